package l4smp.refine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.TempDirs;
import l4smp.tlc.TlcDriver;
import l4smp.trace.Trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How fast the {@link TraceChecker} checks traces, beside the classic way: the same traces, each
 * written as a TLA+ trace module and model-checked by TLC in a fresh JVM. Both are measured in the
 * same run, on TLC-simulated behaviours of each spec, and their verdicts are compared.
 */
public final class RefineBenchmark {

    /** One spec's figures. */
    public record Row(String spec, int traces, long steps, double stepsPerSecond, double tracesPerSecond,
                      int classicTraces, double classicSecondsPerTrace, double ratio, boolean verdictsAgree) {
    }

    private final TlcDriver driver;
    private final List<Path> libraryPath;
    private final int traces;
    private final int depth;
    private final int classicTraces;
    private final long measureNanos;
    private static final int MAX_BATCHES = 20;

    /**
     * @param seconds how long to measure each spec in process (at most 20 batches of {@code traces})
     */
    public RefineBenchmark(TlcDriver driver, List<Path> libraryPath, int traces, int depth, int classicTraces, double seconds) {
        this.measureNanos = (long) (seconds * 1e9);
        this.driver = driver;
        this.libraryPath = libraryPath;
        this.traces = traces;
        this.depth = depth;
        this.classicTraces = classicTraces;
    }

    /**
     * Warms the checker up on one batch of behaviours, then checks fresh batches (TLC simulations
     * with new seeds; their generation is not timed) until the measuring time is used up: every
     * behaviour is checked once, so the figure is the rate on behaviours the checker has not seen,
     * with what it remembers of the earlier ones (states that recur, as they do in any system).
     */
    public Row run(SpecTarget target) throws IOException, SpecLoadException, InterruptedException {
        try (TraceChecker checker = TraceChecker.load(target.spec(), target.config(), libraryPath)) {
            long warm = 0;
            for (long seed = 1_000_000; warm < measureNanos * 2 / 3 && seed < 1_000_000 + MAX_BATCHES; seed++) {
                List<Trace> batch = simulate(target, seed); // until the JIT has compiled TLC's evaluator
                long start = System.nanoTime();
                checkAll(checker, batch, new boolean[batch.size()]);
                warm += System.nanoTime() - start;
            }
            long timed = 0;
            long steps = 0;
            int checked = 0;
            List<Trace> first = null;
            boolean[] firstAccepted = null;
            for (long seed = 1; timed < measureNanos && seed <= MAX_BATCHES; seed++) {
                List<Trace> batch = simulate(target, seed);
                boolean[] accepted = new boolean[batch.size()];
                System.gc(); // the batch just read from the TLC worker should not be collected on the clock
                long start = System.nanoTime();
                checkAll(checker, batch, accepted);
                timed += System.nanoTime() - start;
                steps += batch.stream().mapToLong(t -> t.size() - 1).sum();
                checked += batch.size();
                if (first == null) {
                    first = batch;
                    firstAccepted = accepted;
                }
            }
            double seconds = timed / 1e9;
            int k = Math.min(classicTraces, first.size());
            boolean agree = true;
            long classicStart = System.nanoTime();
            for (int i = 0; i < k; i++) agree &= classicInFreshJvm(first.get(i), checker, target) == firstAccepted[i];
            double classicPerTrace = k == 0 ? Double.NaN : (System.nanoTime() - classicStart) / 1e9 / k;
            double tracesPerSecond = checked / seconds;
            return new Row(target.name(), checked, steps, steps / seconds, tracesPerSecond, k, classicPerTrace,
                    classicPerTrace * tracesPerSecond, agree);
        }
    }

    private List<Trace> simulate(SpecTarget target, long seed) {
        return driver.behaviours(target.request(libraryPath).withSimulation(new CheckRequest.Simulation(depth, traces)).withSeed(seed));
    }

    private static void checkAll(TraceChecker checker, List<Trace> behaviours, boolean[] accepted) {
        for (int i = 0; i < behaviours.size(); i++) accepted[i] = checker.check(behaviours.get(i)).accepted();
    }

    /**
     * The classic way, as a user would run it: a trace module beside copies of the spec's modules,
     * {@code java tlc2.TLC} in a new JVM, the verdict read from TLC's exit status.
     */
    private boolean classicInFreshJvm(Trace trace, TraceChecker checker, SpecTarget target) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("l4smp-bench-classic-");
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
