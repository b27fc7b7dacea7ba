package l4smp.mutate;

import l4smp.mutate.MutantResult.Verdict;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.ConfigHeader;
import l4smp.tlc.Outcome;
import l4smp.tlc.TempDirs;
import l4smp.tlc.TlcDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Mutation testing of one spec module: every mutant is checked against the spec's configurations,
 * each in a scratch copy of the spec's directory (nothing under spec-tla/ is written), by
 * {@code jobs} workers in parallel, each with its own TLC worker JVM. A mutant is killed when a
 * configuration's outcome differs from the one its header declares; the configurations run
 * fastest first, and the first that kills a mutant ends its check. A survivor is then checked
 * for equivalence ({@link EquivalenceCheck}).
 */
public final class MutationRun {

    /**
     * How to run.
     *
     * @param jobs        mutants checked at the same time (one TLC worker JVM each, TLC with one thread)
     * @param timeout     time limit per configuration and mutant; null: five times the original's time, at least 60 s
     * @param equivalence check survivors for equivalence
     * @param next        the next-state relation whose definitions are mutated (usually "Next")
     */
    public record Options(int jobs, Duration timeout, boolean equivalence, String next) {
        public Options {
            if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
        }
    }

    /**
     * A configuration the mutants are checked against, and what the unmutated spec does there. Its
     * text is read once, at the start, so that editing the cfg during a run changes nothing.
     */
    public record Config(Path file, String text, String module, ConfigHeader header, long baselineMillis, long distinct) {
        public String name() {
            String f = file.getFileName().toString();
            return f.endsWith(".cfg") ? f.substring(0, f.length() - 4) : f;
        }
    }

    private final SpecModules spec;
    private final List<Mutant> mutants;
    private final List<Path> configFiles;
    private final Options options;
    private final List<Path> libraryPath;

    /**
     * @param spec        the module to mutate and the project modules it extends
     * @param mutants     the mutants to check
     * @param configs     the configurations (each names its module in its header or by its directory)
     * @param libraryPath further module directories (searched after the scratch copy)
     */
    public MutationRun(SpecModules spec, List<Mutant> mutants, List<Path> configs, List<Path> libraryPath, Options options) {
        this.spec = spec;
        this.mutants = List.copyOf(mutants);
        this.configFiles = List.copyOf(configs);
        this.libraryPath = List.copyOf(libraryPath);
        this.options = options;
    }

    /** Runs the original on every configuration, then every mutant; tells {@code onResult} about each. */
    public MutationReport run(Consumer<MutantResult> onResult) {
        long start = System.nanoTime();
        BlockingQueue<Worker> workers = new ArrayBlockingQueue<>(options.jobs());
        List<Worker> all = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.jobs(), r -> {
            Thread t = new Thread(r, "l4smp-mutant");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < options.jobs(); i++) all.add(new Worker());
            workers.addAll(all);
            List<Config> configs = baseline(workers.peek());
            List<Future<MutantResult>> futures = new ArrayList<>();
            for (Mutant m : mutants) {
                futures.add(pool.submit(() -> {
                    Worker w = workers.take();
                    try {
                        MutantResult r = w.check(m, configs);
                        synchronized (onResult) {
                            onResult.accept(r);
                        }
                        return r;
                    } finally {
                        workers.add(w);
                    }
                }));
            }
            List<MutantResult> results = new ArrayList<>();
            for (Future<MutantResult> f : futures) results.add(f.get());
            return new MutationReport(spec.module().name(), spec.file(), configs, results,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
            for (Worker w : all) w.close();
        }
    }

    /** Checks the unmutated spec on each configuration: it must have the outcome its header declares. */
    private List<Config> baseline(Worker w) {
        List<Config> out = new ArrayList<>();
        for (Path cfg : configFiles) {
            ConfigHeader h;
            String text;
            try {
                h = ConfigHeader.read(cfg);
                text = Files.readString(cfg);
            } catch (IOException e) {
                throw new MutationException("cannot read " + cfg + ": " + e.getMessage(), "give a readable .cfg file");
            }
            if (!h.errors().isEmpty()) throw new MutationException(String.join("; ", h.errors()), "fix the cfg's header");
            String module = moduleOf(h, cfg);
            w.writeSpec(spec.module().text());
            Config c = new Config(cfg, text, module, h, 0, 0);
            CheckResult r = w.check(c, null);
            if (!h.expect().matches(r)) {
                throw new MutationException(MutationException.Cause.BASELINE, "the unmutated " + spec.module().name()
                        + " does not have the outcome " + cfg.getFileName() + " declares: expected " + h.expect()
                        + ", got " + ConfigHeader.actual(r)
                        + (r.message() == null ? "" : " (" + r.message().lines().findFirst().orElse("") + ")"),
                        "mutants can only be judged against configurations the spec passes; run l4smp suite");
            }
            out.add(new Config(cfg, text, module, h, r.statistics().wallMillis(), r.statistics().distinct()));
        }
        out.sort(Comparator.comparingLong(Config::baselineMillis));
        return out;
    }

    /**
     * The module a cfg is checked against: the one its header names, else the one named after its
     * directory (model-configs/XpIpc/ -> XpIpc) if it sits beside the spec, else the spec itself.
     */
    private String moduleOf(ConfigHeader h, Path cfg) {
        if (h.spec() != null) return h.spec();
        String byDirectory = h.module(cfg);
        return Files.isRegularFile(spec.file().resolveSibling(byDirectory + ".tla")) ? byDirectory : spec.name();
    }

    private Duration limit(Config c) {
        if (options.timeout() != null) return options.timeout();
        return Duration.ofMillis(Math.max(60_000, 5 * c.baselineMillis()));
    }

    /** One parallel worker: a TLC worker JVM and a scratch copy of the spec's directory. */
    private final class Worker implements EquivalenceCheck.Scratch, AutoCloseable {
        private final TlcDriver driver = new TlcDriver();
        private final Path scratch;

        Worker() {
            try {
                scratch = Files.createTempDirectory("l4smp-mutate-");
                try (Stream<Path> files = Files.list(spec.file().getParent())) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".tla")).toList()) {
                        Files.copy(f, scratch.resolve(f.getFileName()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a scratch copy of " + spec.file().getParent(), e);
            }
        }

        void writeSpec(String text) {
            write(spec.file().getFileName().toString(), text);
        }

        @Override
        public void write(String fileName, String text) {
            try {
                Files.writeString(scratch.resolve(fileName), text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + fileName + " in " + scratch, e);
            }
        }

        @Override
        public Path dir() {
            return scratch;
        }

        @Override
        public CheckResult check(String module, Path cfg, Duration timeout) {
            List<Path> lib = new ArrayList<>(libraryPath);
            return driver.check(new CheckRequest(scratch.resolve(module + ".tla"), cfg, 1, null, null, null, timeout, lib));
        }

        /** Checks the scratch spec against the snapshot of {@code c}. */
        CheckResult check(Config c, Duration timeout) {
            String name = "L4smpConfig-" + c.name() + ".cfg";
            if (!Files.isRegularFile(scratch.resolve(name))) write(name, c.text());
            return check(c.module(), scratch.resolve(name), timeout);
        }

        MutantResult check(Mutant m, List<Config> configs) {
            long start = System.nanoTime();
            String text = m.apply(spec.module().text());
            writeSpec(text);
            Verdict verdict = Verdict.SURVIVED;
            String by = null;
            String detail = null;
            for (Config c : configs) {
                CheckResult r = check(c, limit(c));
                if (r.outcome() == Outcome.INTERNAL_ERROR) r = check(c, limit(c)); // a fresh worker
                Verdict v = judge(c, r);
                if (v == Verdict.SURVIVED) continue;
                if (v == Verdict.TIMEOUT && verdict == Verdict.SURVIVED) {
                    verdict = Verdict.TIMEOUT;
                    by = c.name();
                    detail = r.outcome() == Outcome.TIMEOUT ? "no verdict within " + limit(c).toSeconds() + " s"
                            : "TLC failed twice: " + firstLine(r);
                    continue;
                }
                if (v == Verdict.TIMEOUT) continue;
                verdict = v;
                by = c.name();
                detail = v == Verdict.STILLBORN ? firstLine(r) : "found " + ConfigHeader.actual(r)
                        + (r.outcome().isViolation() ? "" : ": " + firstLine(r));
                break;
            }
            if (verdict == Verdict.SURVIVED && options.equivalence()) {
                EquivalenceCheck.Finding f = new EquivalenceCheck(this, spec, options.next()).check(text, configs,
                        MutationRun.this::limit);
                verdict = f.equivalent() ? Verdict.EQUIVALENT : Verdict.SURVIVED;
                detail = f.detail();
            }
            return new MutantResult(m, verdict, by, detail, (System.nanoTime() - start) / 1_000_000);
        }

        private Verdict judge(Config c, CheckResult r) {
            if (r.outcome() == Outcome.PARSE_ERROR || r.outcome() == Outcome.CONFIG_ERROR) return Verdict.STILLBORN;
            // no verdict: out of time, or TLC itself failed (twice; e.g. a worker out of memory)
            if (r.outcome() == Outcome.TIMEOUT || r.outcome() == Outcome.INTERNAL_ERROR) return Verdict.TIMEOUT;
            return c.header().expect().matches(r) ? Verdict.SURVIVED : Verdict.KILLED;
        }

        @Override
        public void close() {
            driver.close();
            TempDirs.deleteTree(scratch);
        }
    }

    private static String firstLine(CheckResult r) {
        if (!r.problems().isEmpty()) return r.problems().get(0).toString().lines().findFirst().orElse("");
        return r.message() == null ? "" : r.message().lines().findFirst().orElse("");
    }
}
