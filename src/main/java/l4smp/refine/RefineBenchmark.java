package l4smp.refine;

import l4smp.tlc.TempDirs;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.Trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How fast the {@link TraceChecker} checks traces, beside the classic way: the same traces, each
 * written as a TLA+ trace module and model-checked by TLC in a fresh JVM. Both are measured in the
 * same run, on TLC-simulated behaviours of each spec, and their verdicts are compared.
 *
 * <p>The in-process rates are per second of CPU time of the checker's thread (one core), so they
 * do not depend on what else the machine runs; the classic figure is wall time, as a user waits
 * for it. The headline rate is on fresh behaviours with the checker's memory of good states and
 * steps off: every state and step is evaluated. The memory's effect is measured separately.
 */
public final class RefineBenchmark {

    /**
     * One spec's figures. Rates are steps (or traces) per CPU second of the checker's thread.
     *
     * @param stepsPerSecond       fresh behaviours, each checked once, memory off
     * @param rememberStepsPerSecond the same behaviours checked once more with the memory on, starting empty
     *                             (it helps where states and steps recur across behaviours)
     * @param repeatStepsPerSecond the same behaviours a third time, memory on: every state and step is
     *                             remembered, as on repetitive traces (a kernel's call-reply loop)
     * @param baselineStepsPerSecond fresh, memory off, with the checker as it was before issue 14
     *                             (invariants evaluated whole on every state); NaN unless asked for
     */
    public record Row(String spec, int traces, long steps, double stepsPerSecond, double tracesPerSecond,
                      double rememberStepsPerSecond, double repeatStepsPerSecond, double baselineStepsPerSecond,
                      int classicTraces, double classicSecondsPerTrace, double ratio, boolean verdictsAgree) {
    }

    /**
     * What to measure.
     *
     * @param traces        behaviours simulated per spec; a quarter warm the checker up,
     *                      the rest are measured
     * @param depth         states per behaviour at most
     * @param seconds       CPU seconds to measure for at least: the measured behaviours are checked in
     *                      full (nothing remembered) pass after pass until this is used
     * @param warmupSeconds CPU seconds of checking before measuring at least (TLC is loaded afresh for
     *                      each spec, so the JIT starts cold); warming up goes on until two passes over
     *                      the warm-up behaviours agree within 10 %, for at most ten times this
     * @param classicTraces behaviours checked the classic way
     * @param baseline      also measure the checker as it was before (see {@link Row#baselineStepsPerSecond})
     */
    public record Settings(int traces, int depth, double seconds, double warmupSeconds, int classicTraces, boolean baseline) {
    }

    private final List<Path> libraryPath;
    private final Settings settings;

    public RefineBenchmark(List<Path> libraryPath, Settings settings) {
        this.libraryPath = libraryPath;
        this.settings = settings;
    }

    /**
     * Measures one spec; {@code progress} hears what it is doing. The behaviours are TLC's: random
     * walks of its successor function, chosen as its simulator chooses (seed 1), generated in the
     * checker's process ({@link TraceChecker#simulate}) rather than by a TLC run in the worker,
     * which would cost more than all the checking; a quarter warm the checker up.
     */
    public Row run(SpecTarget target, Consumer<String> progress) throws IOException, SpecLoadException, InterruptedException {
        try (TraceChecker checker = TraceChecker.load(target.spec(), target.config(), libraryPath)) {
            progress.accept("simulating " + settings.traces() + " behaviours with TLC's successor function");
            List<Trace> all = checker.simulate(1, settings.depth(), settings.traces());
            if (all.size() < 2) throw new IllegalStateException("TLC simulated fewer than 2 behaviours of " + target.name());
            List<Trace> warmup = all.subList(0, Math.max(1, all.size() / 4));
            List<Trace> measured = all.subList(warmup.size(), all.size());
            long steps = measured.stream().mapToLong(t -> t.size() - 1).sum();
            progress.accept("warming up, then checking " + measured.size() + " behaviours (" + steps + " steps)");
            checker.remember(false);
            warmUp(checker, warmup);
            Measured[] passes = measure(checker, measured);
            Measured fresh = passes[0];
            double baseline = passes[1] == null ? Double.NaN : passes[1].stepsPerSecond();
            checker.remember(true);
            TraceChecker.Batch first = checker.checkAll(measured);
            TraceChecker.Batch again = checker.checkAll(measured);
            boolean agree = fresh.verdicts().equals(first.verdicts()) && fresh.verdicts().equals(again.verdicts())
                    && (passes[1] == null || fresh.verdicts().equals(passes[1].verdicts()));
            int k = Math.min(settings.classicTraces(), measured.size());
            progress.accept("checking " + k + " behaviour" + (k == 1 ? "" : "s") + " the classic way (TLC in a fresh JVM)");
            long classicStart = System.nanoTime();
            for (int i = 0; i < k; i++) {
                agree &= classicInFreshJvm(measured.get(i), checker, target) == fresh.verdicts().get(i).accepted();
            }
            double classicPerTrace = k == 0 ? Double.NaN : (System.nanoTime() - classicStart) / 1e9 / k;
            return new Row(target.name(), measured.size(), steps, fresh.stepsPerSecond(), fresh.tracesPerSecond(),
                    perSecond(steps, first.cpuNanos()), perSecond(steps, again.cpuNanos()), baseline, k, classicPerTrace,
                    classicPerTrace * fresh.tracesPerSecond(), agree && fresh.verdicts().stream().allMatch(TraceVerdict::accepted));
        }
    }

    /** Rates over whole passes of the measured behaviours, each checked in full. */
    private record Measured(List<TraceVerdict> verdicts, double stepsPerSecond, double tracesPerSecond) {
    }

    /**
     * The fresh rate (memory off), and with {@link Settings#baseline} the baseline's, in alternating
     * passes over the measured behaviours until the measuring time is used, so that both see the same
     * JIT and the same load; only the later half of the passes counts (the earlier half warms up more).
     */
    private Measured[] measure(TraceChecker checker, List<Trace> traces) {
        long steps = traces.stream().mapToLong(t -> t.size() - 1).sum();
        List<Long> fresh = new ArrayList<>();
        List<Long> old = new ArrayList<>();
        List<TraceVerdict> freshVerdicts = null;
        List<TraceVerdict> oldVerdicts = null;
        long spent = 0;
        do {
            TraceChecker.Batch b = checker.checkAll(traces);
            fresh.add(b.cpuNanos());
            spent += b.cpuNanos();
            if (freshVerdicts == null) freshVerdicts = b.verdicts();
            if (settings.baseline()) {
                checker.incremental(false);
                TraceChecker.Batch o = checker.checkAll(traces);
                checker.incremental(true);
                old.add(o.cpuNanos());
                if (oldVerdicts == null) oldVerdicts = o.verdicts();
            }
        } while (spent < settings.seconds() * 1e9 || fresh.size() < 2);
        return new Measured[] {rates(freshVerdicts, fresh, steps, traces.size()),
                settings.baseline() ? rates(oldVerdicts, old, steps, traces.size()) : null};
    }

    private static Measured rates(List<TraceVerdict> verdicts, List<Long> passes, long steps, int traces) {
        List<Long> later = passes.subList(passes.size() / 2, passes.size());
        long nanos = later.stream().mapToLong(Long::longValue).sum();
        return new Measured(verdicts, perSecond(steps * later.size(), nanos), perSecond((long) traces * later.size(), nanos));
    }

    /** Checks the warm-up behaviours until the rate settles (the JIT has compiled TLC's evaluator). */
    private void warmUp(TraceChecker checker, List<Trace> warmup) {
        long spent = 0;
        long previous = Long.MAX_VALUE;
        while (true) {
            long pass = checker.checkAll(warmup).cpuNanos();
            spent += pass;
            boolean settled = Math.abs(pass - previous) <= previous / 10;
            if (spent >= settings.warmupSeconds() * 1e9 * 10 || settled && spent >= settings.warmupSeconds() * 1e9) return;
            previous = pass;
        }
    }

    private static double perSecond(long count, long nanos) {
        return count / (Math.max(1, nanos) / 1e9);
    }

    /**
     * The classic way, as a user would run it: a trace module beside copies of the spec's modules,
     * {@code java tlc2.TLC} in a new JVM, the verdict read from TLC's exit status.
     */
    private boolean classicInFreshJvm(Trace trace, TraceChecker checker, SpecTarget target) throws IOException, InterruptedException {
        Path dir = TempDirs.create("bench");
        try {
            Path tla = ClassicCheck.write(trace, checker.shape(), target.config(), dir);
            // TLC's exit status does not say how far a replay got; this invariant fails when it reaches the end.
            Files.writeString(dir.resolve(ClassicCheck.MODULE + ".cfg"), "INVARIANT L4smpNotAtEnd\n",
                    java.nio.file.StandardOpenOption.APPEND);
            List<Path> sources = new ArrayList<>(libraryPath);
            sources.add(target.spec().getParent());
            for (Path src : sources) copyModules(src, dir);
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseParallelGC", "-Djava.io.tmpdir=" + dir, "-cp", tlcClassPath(), "tlc2.TLC",
                    "-workers", "1", "-metadir", dir.resolve("states").toString(), "-config", ClassicCheck.MODULE + ".cfg",
                    tla.getFileName().toString());
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // TLC's exit status 12 (safety violation): L4smpNotAtEnd failed, the whole trace was replayed
            // (the targets' own invariants hold on their behaviours); 11 (deadlock): the replay got stuck.
            return p.waitFor() == 12;
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    private static void copyModules(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tla")).toList()) {
                Path target = to.resolve(f.getFileName());
                if (!Files.exists(target)) Files.copy(f, target);
            }
        }
    }

    private static String tlcClassPath() {
        String url = String.valueOf(RefineBenchmark.class.getClassLoader().getResource("tlc2/TLC.class"));
        String jar = url.startsWith("jar:file:") ? url.substring("jar:file:".length(), url.indexOf("!/")) : null;
        return jar != null ? jar : System.getProperty("java.class.path");
    }
}
