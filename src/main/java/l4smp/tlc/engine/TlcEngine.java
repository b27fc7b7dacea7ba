package l4smp.tlc.engine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Progress;
import l4smp.tlc.worker.Engine;
import tlc2.TLC;
import tlc2.TLCGlobals;
import tlc2.output.MP;
import util.SimpleFilenameToStream;
import util.ToolIO;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import l4smp.trace.Trace;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs TLC in this (isolated) class loader and turns what its recorder saw into a
 * {@link CheckResult}. One instance per run: TLC's statics belong to this loader alone.
 */
public final class TlcEngine implements Engine {
    /** Set {@code -Dl4smp.tlc.debug=true} on the worker to see every TLC message code on its stderr. */
    private static final boolean DEBUG = Boolean.getBoolean("l4smp.tlc.debug");

    @Override
    public CheckResult run(CheckRequest request, Path scratch, Consumer<Progress> progress) {
        long start = System.currentTimeMillis();
        Recorder recorder = new Recorder();
        MP.setRecorder(recorder);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        ToolIO.out = out;
        ToolIO.err = out;

        l4smp.tlc.SpecProblem cfgSyntax = CfgSyntax.check(request.config(), scratch);
        if (cfgSyntax != null) {
            return new CheckResult(l4smp.tlc.Outcome.CONFIG_ERROR, null, List.of(), null, null, List.of(cfgSyntax), List.of(),
                    cfgSyntax.message());
        }
        TLC tlc = new TLC();
        if (!tlc.handleParameters(arguments(request, scratch).toArray(String[]::new))) {
            return CheckResult.internalError("TLC rejected its arguments: " + text.toString(StandardCharsets.UTF_8).trim());
        }
        SimpleFilenameToStream resolver = new SimpleFilenameToStream(searchPath(request));
        tlc.setResolver(resolver);

        ProgressSampler sampler = new ProgressSampler(progress, start);
        int code;
        try {
            code = tlc.process();
        } finally {
            sampler.stop();
        }
        out.flush();
        if (DEBUG) dump(recorder, code);
        String output = text.toString(StandardCharsets.UTF_8);
        return new ResultBuilder(request, recorder, output, resolver, System.currentTimeMillis() - start).build(code);
    }

    @Override
    public List<Trace> behaviours(CheckRequest request, Path scratch) {
        MP.setRecorder(new Recorder());
        ToolIO.out = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        ToolIO.err = ToolIO.out;
        try {
            return Behaviours.generate(request, new PrivateStandardModules(searchPath(request), scratch));
        } catch (Exception e) {
            throw new IllegalStateException("TLC's simulation of " + request.spec().getFileName() + " failed: " + e, e);
        }
    }

    private static List<String> arguments(CheckRequest request, Path scratch) {
        List<String> args = new ArrayList<>();
        args.add("-workers");
        args.add(String.valueOf(request.workers() == 0 ? Runtime.getRuntime().availableProcessors() : request.workers()));
        args.add("-metadir");
        args.add(scratch.resolve("states").toString());
        // TLC looks the cfg up relative to the spec's directory, even when given an absolute path.
        args.add("-config");
        args.add(request.spec().getParent().relativize(request.config()).toString());
        if (Boolean.FALSE.equals(request.checkDeadlock())) args.add("-deadlock"); // TLC's -deadlock turns checking OFF
        if (request.simulation() != null) {
            // TLC's num is per simulation worker: split the requested total among them.
            int workers = request.workers() == 0 ? Runtime.getRuntime().availableProcessors() : request.workers();
            args.add("-simulate");
            args.add("num=" + Math.max(1, (request.simulation().traces() + workers - 1) / workers));
            args.add("-depth");
            args.add(String.valueOf(request.simulation().depth()));
        }
        if (request.seed() != null) {
            args.add("-seed");
            args.add(String.valueOf(request.seed()));
        }
        args.add("-nowarning");
        args.add(request.spec().toString());
        return args;
    }

    static String[] searchPath(CheckRequest request) {
        List<String> dirs = new ArrayList<>();
        dirs.add(request.spec().getParent().toString());
        request.libraryPath().forEach(p -> dirs.add(p.toAbsolutePath().toString()));
        return dirs.toArray(String[]::new);
    }

    private static void dump(Recorder recorder, int code) {
        System.err.println("[tlc] process() returned " + code);
        for (Recorder.Message m : recorder.messages()) {
            StringBuilder sb = new StringBuilder("[tlc] ").append(m.code());
            for (Object o : m.objects()) {
                String s = String.valueOf(o).replace('\n', ' ');
                sb.append(" | ").append(o == null ? "null" : o.getClass().getSimpleName()).append(": ")
                        .append(s.length() > 120 ? s.substring(0, 120) + "..." : s);
            }
            System.err.println(sb);
        }
    }

    /** Samples TLC's counters while it runs; TLC itself reports progress only once a minute. */
    private static final class ProgressSampler {
        private final Thread thread;
        private volatile boolean running = true;

        ProgressSampler(Consumer<Progress> progress, long start) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (TLCGlobals.mainChecker instanceof tlc2.tool.ModelChecker mc && running) {
                        try {
                            // distinct first: the workers' generated counters are read after it, never behind it
                            long distinct = mc.getDistinctStatesGenerated();
                            long queue = mc.getStateQueueSize();
                            int depth = mc.getProgress();
                            progress.accept(new Progress(mc.getStatesGenerated(), distinct, queue,
                                    depth < 0 ? l4smp.tlc.Statistics.UNKNOWN : depth, System.currentTimeMillis() - start));
                        } catch (RuntimeException notReadyYet) {
                            // the checker's queue or fingerprint set is not set up yet
                        }
                    }
                }
            }, "l4smp-tlc-progress");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }
    }
}
