package l4smp.tlc.engine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.ClusterFailure;
import l4smp.tlc.ClusterOptions;
import l4smp.tlc.ClusterReport;
import l4smp.tlc.ServeResult;
import l4smp.tlc.Statistics;
import l4smp.tlc.worker.BoundSockets;
import tlc2.TLCGlobals;
import tlc2.output.EC;
import tlc2.output.MP;
import tlc2.tool.ITool;
import tlc2.tool.distributed.TLCApp;
import tlc2.tool.distributed.TLCServer;
import tlc2.tool.fp.FPSetConfiguration;
import tlc2.util.FP64;
import util.Assert.TLCRuntimeException;
import util.SimpleFilenameToStream;
import util.ToolIO;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.rmi.NotBoundException;
import java.rmi.server.ExportException;
import java.rmi.server.UnicastRemoteObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * One distributed run, on the server: parses the model as TLC's {@code TLCServer} does, refuses
 * what distributed TLC cannot check, runs TLC's server until it is done, and turns what it
 * reported into the {@link CheckResult} a local run of the same model gives.
 */
final class ClusterServer {
    private static final long SAMPLE_MILLIS = 500;
    /** TLC's server reads its block selector's factory from this property (a documented hook). */
    private static final String SELECTOR_FACTORY = "tlc2.tool.distributed.selector.factory";
    private static final String FPSET_COUNT = "tlc2.tool.distributed.TLCServer.expectedFPSetCount";

    private final CheckRequest request;
    private final ClusterOptions options;
    private final Path scratch;
    private final Consumer<ClusterReport> progress;
    private final Recorder recorder = new Recorder();
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final long start = System.currentTimeMillis();
    private SimpleFilenameToStream resolver;

    ClusterServer(CheckRequest request, ClusterOptions options, Path scratch, Consumer<ClusterReport> progress) {
        this.request = request;
        this.options = options;
        this.scratch = scratch;
        this.progress = progress;
    }

    ServeResult run() {
        MP.setRecorder(recorder);
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        ToolIO.out = out;
        ToolIO.err = out;
        resolver = new SimpleFilenameToStream(TlcEngine.searchPath(request));
        TLCApp app;
        try {
            app = parse();
        } catch (Throwable e) {
            return ServeResult.of(result(null, TlcFailure.code(e)));
        }
        ITool tool = app.tool; // TLC swaps in a call-stack tool after an error; keep the plain one
        List<String> properties = ConfigNames.propertiesWithLiveness(tool);
        if (!properties.isEmpty()) {
            return ServeResult.failed(ClusterFailure.Kind.UNSUPPORTED, "distributed TLC does not check liveness, and the cfg's "
                    + "PROPERTIES (" + String.join(", ", properties) + ") include a temporal one; check this cfg without --distributed");
        }
        ModelServers.Served served;
        WorkGate gate = new WorkGate();
        try {
            served = listen(app, gate);
        } catch (ExportException e) {
            return ServeResult.failed(ClusterFailure.Kind.CANNOT_LISTEN, "cannot listen on " + options.bind() + " port "
                    + options.port() + ": " + rootCause(e) + " (is another server using it? pick another with --port)");
        } catch (IOException | NotBoundException e) {
            return ServeResult.failed(ClusterFailure.Kind.CANNOT_LISTEN, "cannot listen on " + options.bind() + ": " + rootCause(e));
        }
        ServeResult stalled = serve(served, gate);
        if (stalled != null) return stalled;
        boolean deadlock = !Boolean.FALSE.equals(request.checkDeadlock()) && tool.getModelConfig().getCheckDeadlock();
        ErrorStep.Finding finding = ErrorStep.of(tool, deadlock, recorder);
        CheckResult r = finding == null ? result(tool, endCode())
                : result(tool, MP.printError(finding.code(), finding.parameters()));
        return ServeResult.of(asLocal(r, finding != null && finding.unseenState(), served.depth()));
    }

    /** The model as TLC's server parses it, with TLC's files in the scratch directory. */
    private TLCApp parse() throws IOException {
        TLCGlobals.setNumWorkers(0); // TLC's server counts its remote workers from zero
        TLCGlobals.metaDir = scratch.resolve("states") + File.separator;
        TLCGlobals.chkptDuration = 0; // TLC's advice: checkpoints are too costly in distributed mode
        TLCGlobals.warn = false;
        FP64.Init(0);
        Path dir = request.spec().getParent();
        String spec = withoutExtension(request.spec().toString());
        // As in a local run, the cfg is named relative to the spec's directory.
        String cfg = withoutExtension(dir.relativize(request.config()).toString());
        return new TLCApp(spec, cfg, !Boolean.FALSE.equals(request.checkDeadlock()), null, new FPSetConfiguration(), resolver);
    }

    private ModelServers.Served listen(TLCApp app, WorkGate gate) throws IOException, NotBoundException {
        BoundSockets.install(options.bind());
        // TLC's server reads the number of fingerprint servers when its class is initialised.
        System.setProperty(FPSET_COUNT, String.valueOf(options.fpsets()));
        TLCServer.Port = options.port();
        WorkGate.current = gate;
        System.setProperty(SELECTOR_FACTORY, WorkGate.SelectorFactory.class.getName());
        return ModelServers.create(app, options.fpsets(), request, resolver);
    }

    /** Runs TLC's server to its end, sampling it; a run left without workers too long is abandoned. */
    private ServeResult serve(ModelServers.Served served, WorkGate gate) {
        Throwable[] failure = new Throwable[1];
        Thread tlc = new Thread(null, () -> {
            try {
                served.check();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "l4smp-tlc-server", 256L << 20); // TLC evaluates recursively: give it a deep stack
        tlc.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        tlc.start();
        ClusterMonitor monitor = new ClusterMonitor(served.server(), gate, recorder, options, start);
        try {
            while (tlc.isAlive()) {
                tlc.join(SAMPLE_MILLIS);
                progress.accept(monitor.sample());
                String stalled = monitor.stalled();
                if (stalled != null) {
                    abandon(served);
                    return ServeResult.failed(ClusterFailure.Kind.NO_WORKERS, stalled);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(served);
            return ServeResult.of(CheckResult.internalError("interrupted while serving the model"));
        }
        if (failure[0] instanceof ExportException e) {
            return ServeResult.failed(ClusterFailure.Kind.CANNOT_LISTEN, "cannot listen on port " + options.port() + ": " + rootCause(e));
        }
        if (failure[0] != null) TlcFailure.code(failure[0]);
        return null;
    }

    /** Stops serving: workers calling in get an error and leave; the JVM ends after the answer. */
    private static void abandon(ModelServers.Served served) {
        try {
            UnicastRemoteObject.unexportObject(served.server(), true);
        } catch (java.rmi.NoSuchObjectException alreadyGone) {
            // nothing to stop
        }
    }

    /** How TLC ended a run whose trace (if any) showed nothing wrong: success, or its own error. */
    private int endCode() {
        if (recorder.last(EC.TLC_SUCCESS) != null) return 0;
        for (int code : new int[]{EC.TLC_FEATURE_UNSUPPORTED, EC.TLC_INITIAL_STATE}) {
            if (recorder.last(code) != null) return code;
        }
        if (recorder.last(EC.GENERAL) == null) {
            MP.printError(EC.GENERAL, "TLC's server ended without a result; set L4SMP_TLC_DEBUG=1 to see its output");
        }
        return EC.GENERAL;
    }

    private CheckResult result(ITool tool, int code) {
        return new ResultBuilder(request, recorder, text.toString(StandardCharsets.UTF_8), resolver,
                System.currentTimeMillis() - start, tool).build(code);
    }

    /**
     * Counted as a local run counts. A state that broke an invariant or action property is one
     * the worker found new, but TLC's server never stores it; a local run counts it (and its
     * level in the depth), and so does this. The depth TLC's server reports only without an error
     * is taken from the server.
     */
    private static CheckResult asLocal(CheckResult r, boolean countBadState, int serverDepth) {
        Statistics s = r.statistics();
        long depth = s.depth() != 0 ? s.depth() : serverDepth;
        if (countBadState && r.trace() != null) depth = Math.max(depth, r.trace().size());
        if (!countBadState && depth == s.depth()) return r;
        Statistics counted = new Statistics(s.generated(), s.distinct() + (countBadState ? 1 : 0), s.queue(),
                depth, s.traces(), s.wallMillis());
        return new CheckResult(r.outcome(), r.violated(), r.candidates(), counted, r.trace(), r.problems(), r.warnings(),
                r.message());
    }

    private static String withoutExtension(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf(File.separatorChar) ? path.substring(0, dot) : path;
    }

    private static String rootCause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null) c = c.getCause();
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /** TLC's mapping of an exception that ended a run to its message code (as {@code TLC.process} does). */
    static final class TlcFailure {
        private TlcFailure() {
        }

        static int code(Throwable e) {
            if (e instanceof StackOverflowError) return MP.printError(EC.SYSTEM_STACK_OVERFLOW, e);
            if (e instanceof OutOfMemoryError) return MP.printError(EC.SYSTEM_OUT_OF_MEMORY, e);
            if (e instanceof TLCRuntimeException t) return MP.printTLCRuntimeException(t);
            return MP.printError(EC.GENERAL, e);
        }
    }
}
