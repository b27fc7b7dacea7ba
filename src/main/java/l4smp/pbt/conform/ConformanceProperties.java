package l4smp.pbt.conform;

import java.util.List;
import l4smp.pbt.Property;
import l4smp.pbt.PropertyProvider;
import l4smp.pbt.PropertyRegistry;
import l4smp.pbt.Trial;
import l4smp.refine.Abstractions;
import l4smp.refine.ConformanceCheck;
import l4smp.refine.ConformanceMonitor;
import l4smp.refine.ConformanceReport;
import l4smp.refine.Coverage;
import l4smp.refine.KernelRefinement;
import l4smp.refine.KernelRun;
import l4smp.refine.SpecCheckers;
import l4smp.tlc.Project;

/**
 * The conformance properties of issue 12, over generated kernel runs ({@link KernelInput}):
 * <ul>
 *   <li>{@value #SPECS}: every run conforms to every spec it is a behaviour of, checked step by
 *       step while it runs ({@link ConformanceCheck});</li>
 *   <li>{@value #MIGRATION}: every run with a scheduler thread moving threads is, as a whole
 *       recorded run, a behaviour of MigrationBarriers or XpMigration ({@link #migration});</li>
 *   <li>{@value #DETERMINISTIC}: the same input gives the same run, step for step;</li>
 *   <li>{@value #PROGRESS}: every run comes to rest or keeps making progress ({@link Progress});</li>
 *   <li>{@value #SEMANTICS}: what the threads saw of their IPCs obeys L4's message semantics
 *       ({@link L4Semantics}).</li>
 * </ul>
 * The runs of every property add to one {@link #coverage()}.
 */
public final class ConformanceProperties implements PropertyProvider {
    public static final String SPECS = "conform.specs";
    public static final String MIGRATION = "conform.migration";
    /** Tries of {@value #MIGRATION} by default: each parses its spec for the run's constants (seconds). */
    public static final int MIGRATION_TRIES = 24;
    public static final String DETERMINISTIC = "conform.deterministic";
    public static final String PROGRESS = "conform.progress";
    public static final String SEMANTICS = "conform.l4-semantics";
    /** Tries of {@value #SPECS} by default: what `l4smp pbt` runs in a few minutes on two cores. */
    public static final int DEFAULT_TRIES = 120;

    private static final Coverage COVERAGE = new Coverage();
    private static SpecCheckers checkers;

    /** What the conformance runs of this JVM exercised so far. */
    public static synchronized Coverage coverage() {
        return COVERAGE;
    }

    static synchronized SpecCheckers checkers() {
        if (checkers == null) {
            checkers = new SpecCheckers(Project.locate(null), 12);
        }
        return checkers;
    }

    @Override
    public void registerProperties(PropertyRegistry registry) {
        registry.register(SPECS, "every generated kernel run (placements, programs, interleavings with delays) is, step by "
                + "step, a behaviour of XpIpc, ProxyWakeup and UhligRace as far as each describes it", () -> specs(false));
        registry.register(MIGRATION, "every generated run in which a scheduler thread moves threads between CPUs is, as a "
                + "whole, a behaviour of MigrationBarriers (family migration) or XpMigration (family xp-migration)",
                ConformanceProperties::migration);
        registry.register(DETERMINISTIC, "a generated kernel run is the same, step for step, every time it is run",
                ConformanceProperties::deterministic);
        registry.register(PROGRESS, "every generated kernel run comes to rest or keeps making progress: no thread stays "
                + "locked after its partner's IPC, no CPU spins for ever", ConformanceProperties::progress);
        registry.register(SEMANTICS, "every message a thread receives is one its sender sent it, once, and the sender's "
                + "completion code agrees", ConformanceProperties::semantics);
    }

    /** {@value #SPECS}, for generated inputs of every family ({@code migration}: also threads moved between CPUs). */
    public static Property<KernelInput> specs(boolean migration) {
        return specs(migration, java.util.Set.of());
    }

    /**
     * {@value #SPECS} on a kernel without the fixes {@code removed} (fault injection): the property
     * is expected to fail, and its counterexample shows the bug. With migrations, the run is checked
     * against MigrationBarriers too (over the recorded run).
     */
    public static Property<KernelInput> specs(boolean migration, java.util.Set<l4smp.kernel.RemovedFix> removed) {
        Project project = Project.locate(null);
        if (!java.nio.file.Files.isDirectory(project.configDir())) {
            throw new IllegalStateException("the conformance properties check against the project's specs, and there is no "
                    + project.configDir() + ": run l4smp pbt in the project's directory");
        }
        List<String> specs = migration ? Abstractions.all() : Abstractions.specs();
        return Property.forAll(SPECS, KernelInput.gen(migration, removed), (input, trial) -> conforms(input, trial, specs))
                .withTries(DEFAULT_TRIES).withPrinter(KernelInput::toString);
    }

    /** Checks one input against every spec; notes the rejection in both words. */
    static boolean conforms(KernelInput input, Trial trial, List<String> specs) throws Exception {
        ConformanceCheck.Outcome out = ConformanceCheck.run(input.scenario(),
                input.scheduler(), input.workload().steps(), specs,
                checkers(), ConformanceMonitor.WINDOW, Workload::modelNames);
        synchronized (ConformanceProperties.class) {
            COVERAGE.add(out.report().coverage());
        }
        classify(input, trial);
        for (ConformanceReport.SpecResult r : out.report().specs()) {
            trial.classify(r.status() == ConformanceReport.SpecResult.Status.ACCEPTED && r.actions() > 0,
                    r.spec() + " checked");
            if (r.cut() != null) {
                trial.collect(r.spec() + " cut: " + mechanism(r.cut().why()));
            }
        }
        if (out.crash() != null) {
            trial.note("the kernel threw at machine step " + out.simulation().machine().steps() + ": " + out.crash());
            throw new AssertionError("the kernel threw: " + out.crash(), out.crash());
        }
        ConformanceReport.Rejection bad = out.report().rejection();
        if (bad != null) {
            bad.describe().lines().forEach(trial::note);
            List<ConformanceReport.Rejection> all = out.report().specs().stream().map(ConformanceReport.SpecResult::rejection)
                    .filter(java.util.Objects::nonNull).toList();
            all.stream().filter(r -> r != bad).forEach(r -> trial.note("also " + out.report().of(r.spec()).summary()));
            trial.failsAs(String.join("; ", all.stream().map(ConformanceProperties::failureName).toList()));
            return false;
        }
        return true;
    }

    /**
     * A rejection named by what the spec found, not where: the spec, what is wrong (an invariant and
     * which, or not a step), and the action the step claimed. A run's failure is named by every
     * spec's rejection, in the order of the specs; shrinking keeps to that name.
     */
    static String failureName(ConformanceReport.Rejection bad) {
        var f = bad.failure();
        return bad.spec() + " " + f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (f.invariant() == null ? "" : " " + f.invariant())
                + (f.claimed() == null ? "" : " at " + f.claimed().name());
    }

    /** What a cut's reason names, without the thread and step it happened to: a label for --stats. */
    private static String mechanism(String why) {
        int end = why.length();
        for (String stop : new String[] {" (", " of ", ":"}) {
            int i = why.indexOf(stop);
            if (i > 0) {
                end = Math.min(end, i);
            }
        }
        return why.substring(0, end);
    }

    /** {@value #MIGRATION}: runs of {@link WorkloadGens#migrations} recorded and checked as a whole. */
    public static Property<KernelInput> migration() {
        return Property.forAll(MIGRATION, l4smp.pbt.Gens.zip(WorkloadGens.migrations(), Interleaving.gen(), KernelInput::new),
                ConformanceProperties::migrationConforms).withTries(MIGRATION_TRIES).withPrinter(KernelInput::toString);
    }

    /**
     * Checks the whole recorded run against the spec of its family. A run outside the abstraction's
     * scope (a request refused while its thread was pinned, a thread_schedule carried out as a
     * cross-processor operation, a send restarted on its sender's CPU) is classified, not failed:
     * the spec does not describe it.
     */
    static boolean migrationConforms(KernelInput input, Trial trial) throws Exception {
        classify(input, trial);
        KernelRun[] recorded = new KernelRun[1];
        KernelInput.Run run = input.run(sim -> recorded[0] = new KernelRun(sim.kernel().view(), Workload.modelNames(sim),
                RECORDED_STEPS));
        if (run.crash() != null) {
            throw new AssertionError("the kernel threw: " + run.crash(), run.crash());
        }
        synchronized (ConformanceProperties.class) {
            COVERAGE.segments(recorded[0]);
        }
        String spec = input.workload().family().equals("migration") ? "MigrationBarriers" : "XpMigration";
        KernelRefinement checked;
        try {
            checked = KernelRefinement.check(Project.locate(null), Abstractions.of(spec, recorded[0]));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || !e.getMessage().contains("scope")) {
                throw e;
            }
            trial.classify(true, "outside " + spec + "'s scope");
            return true;
        }
        trial.classify(true, spec + " checked");
        if (!checked.verdict().accepted()) {
            checked.verdict().failure().message().lines().forEach(trial::note);
            trial.note("claimed " + checked.verdict().failure().claimed() + ", diverging " + checked.verdict().failure().diverging());
            return false;
        }
        synchronized (ConformanceProperties.class) {
            COVERAGE.accepted(checked);
        }
        return true;
    }

    /** Kernel steps a migration run keeps for its whole-run check. */
    private static final int RECORDED_STEPS = 100_000;

    private static void classify(KernelInput input, Trial trial) {
        trial.collect("family " + input.workload().family());
        trial.collect(input.workload().cpus() + " cpus");
        trial.classify(!input.interleaving().delays().isEmpty(), "delays injected");
    }

    static Property<KernelInput> deterministic() {
        return Property.forAll(DETERMINISTIC, KernelInput.gen(false), (input, trial) -> {
            classify(input, trial);
            StringBuilder first = new StringBuilder();
            StringBuilder second = new StringBuilder();
            KernelInput.Run a = input.run((step, view) -> first.append(step.cpu()).append(step.label()).append(step.subjects())
                    .append(step.millicycles()).append('\n'));
            KernelInput.Run b = input.run((step, view) -> second.append(step.cpu()).append(step.label()).append(step.subjects())
                    .append(step.millicycles()).append('\n'));
            boolean same = first.toString().equals(second.toString())
                    && a.simulation().machine().choices().equals(b.simulation().machine().choices())
                    && String.valueOf(a.crash()).equals(String.valueOf(b.crash()));
            if (!same) {
                trial.note("the two runs differ after " + commonLines(first.toString(), second.toString()) + " kernel steps");
            }
            return same;
        }).withTries(60).withPrinter(KernelInput::toString);
    }

    private static int commonLines(String a, String b) {
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        int n = 0;
        while (n < x.size() && n < y.size() && x.get(n).equals(y.get(n))) {
            n++;
        }
        return n;
    }

    static Property<KernelInput> progress() {
        return Property.forAll(PROGRESS, KernelInput.gen(false), (input, trial) -> {
            classify(input, trial);
            Progress[] watch = new Progress[1];
            KernelInput.Run run = input.run(sim -> watch[0] = new Progress(sim));
            if (run.crash() != null) {
                throw new AssertionError("the kernel threw: " + run.crash(), run.crash());
            }
            trial.classify(run.result().reason() == l4smp.hw.RunResult.Reason.QUIESCENT, "came to rest");
            List<String> bad = watch[0].violations(run.result());
            bad.forEach(trial::note);
            return bad.isEmpty();
        }).withTries(100).withPrinter(KernelInput::toString);
    }

    static Property<KernelInput> semantics() {
        return Property.forAll(SEMANTICS, KernelInput.gen(false), (input, trial) -> {
            classify(input, trial);
            KernelInput.Run run = input.run((l4smp.kernel.observe.StepListener) null);
            if (run.crash() != null) {
                throw new AssertionError("the kernel threw: " + run.crash(), run.crash());
            }
            boolean rest = run.result().reason() == l4smp.hw.RunResult.Reason.QUIESCENT;
            IpcLog log = IpcLog.read(input.workload(), run.simulation());
            int entries = 0;
            for (int i = 0; i < input.workload().threads().size(); i++) {
                entries += log.of(i).size();
            }
            trial.classify(entries > 0, "IPCs logged");
            List<String> bad = L4Semantics.violations(input.workload(), run.simulation(), log, rest);
            bad.forEach(trial::note);
            return bad.isEmpty();
        }).withTries(100).withPrinter(KernelInput::toString);
    }
}
