package l4smp.pbt.conform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import l4smp.hw.RunResult;
import l4smp.hw.sched.Scheduler;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.observe.StepListener;
import l4smp.pbt.Gen;
import l4smp.pbt.Gens;
import l4smp.pbt.Reducible;
import l4smp.pbt.Reproducible;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.ScenarioWriter;
import l4smp.workload.Simulation;

/**
 * One generated kernel run: a workload, the interleaving the machine runs it with, and the fixes
 * the kernel leaves out (fault injection, usually none). Written down ({@link #reproduction}) it is
 * a scenario file and the scheduler's choices, which
 * {@code l4smp simulate scenario.json --schedule schedule.txt} replays step for step.
 *
 * <p>A failing input, once its workload and interleaving are shrunk, {@link #reduce reduces} its
 * scheduler choices ({@link ScheduleShrinker}): it then runs with {@code schedule}, its few
 * deviations from the timing-realistic default, instead of the interleaving's random scheduler.
 *
 * @param schedule null for the interleaving's scheduler, else the deviations the run makes
 */
public record KernelInput(Workload workload, Interleaving interleaving, Set<RemovedFix> removedFixes,
                          List<ScheduleShrinker.Deviation> schedule) implements Reproducible, Reducible<KernelInput> {
    /** Runs of the property the schedule shrinker makes at most, and how long it may take. */
    static final int SCHEDULE_RUNS = 150;
    static final Duration SCHEDULE_TIME = Duration.ofMinutes(2);

    /** The file names of {@link #reproduction}. */
    public static final String SCENARIO = "scenario.json";
    public static final String SCHEDULE = "schedule.txt";

    /** Workloads of every family (migration off until the kernel migrates) with their interleavings. */
    public static Gen<KernelInput> gen(boolean migration) {
        return gen(migration, Set.of());
    }

    /** As {@link #gen(boolean)}, run on a kernel without the fixes {@code removed}. */
    public static Gen<KernelInput> gen(boolean migration, Set<RemovedFix> removed) {
        return Gens.zip(WorkloadGens.workloads(migration), Interleaving.gen(), (w, i) -> new KernelInput(w, i, removed));
    }

    public KernelInput(Workload workload, Interleaving interleaving) {
        this(workload, interleaving, Set.of());
    }

    public KernelInput(Workload workload, Interleaving interleaving, Set<RemovedFix> removedFixes) {
        this(workload, interleaving, removedFixes, null);
    }

    public KernelInput {
        removedFixes = RemovedFix.setOf(removedFixes);
        schedule = schedule == null ? null : List.copyOf(schedule);
    }

    /** A fresh scheduler of this run: the interleaving's, or the default with {@link #schedule}'s deviations. */
    public Scheduler scheduler() {
        return schedule == null ? interleaving.scheduler(workload.cpus()) : ScheduleShrinker.deviating(schedule);
    }

    /** This input run with the scheduler choices {@code deviations} instead of its interleaving's. */
    public KernelInput withSchedule(List<ScheduleShrinker.Deviation> deviations) {
        return new KernelInput(workload, interleaving, removedFixes, deviations);
    }

    /**
     * The same failure with fewer and earlier scheduler deviations from the default ({@link
     * ScheduleShrinker}), each candidate checked by {@code failsTheSameWay}; this input if the
     * schedule is already reduced or its recorded run does not fail when replayed by deviations.
     */
    @Override
    public KernelInput reduce(Predicate<KernelInput> failsTheSameWay) {
        if (schedule != null) {
            return this;
        }
        try {
            ScheduleShrinker shrinker = new ScheduleShrinker(scenario(), workload.steps(),
                    deviations -> failsTheSameWay.test(withSchedule(deviations)), SCHEDULE_RUNS, SCHEDULE_TIME);
            return withSchedule(shrinker.shrink(run((StepListener) null).simulation().machine().choices()).deviations());
        } catch (IllegalArgumentException | ScenarioException e) {
            return this; // the recorded run does not fail when replayed by deviations: keep its interleaving
        }
    }

    public Scenario scenario() {
        Scenario s = workload.toScenario();
        return removedFixes.isEmpty() ? s : new Scenario(s.name(), s.description(), s.machine(),
                s.kernel().withRemovedFixes(removedFixes), s.run(), s.programs(), s.tasks(), s.images(), s.interrupts());
    }

    /** A run of this input, as far as it got: the simulation, how it ended, what the kernel threw. */
    public record Run(Simulation simulation, RunResult result, RuntimeException crash) {
    }

    /** Runs the workload with the interleaving, {@code listener} told every kernel step (may be null). */
    public Run run(StepListener listener) {
        return run(sim -> listener);
    }

    /** Runs the workload with the interleaving and the listener {@code listener} makes for the booted simulation. */
    public Run run(java.util.function.Function<Simulation, StepListener> listener) {
        Simulation sim;
        try {
            sim = Simulation.build(scenario(), scheduler());
        } catch (ScenarioException e) {
            throw new IllegalStateException("a generated workload does not boot: " + e.getMessage() + "\n" + workload.describe(), e);
        }
        StepListener l = listener.apply(sim);
        if (l != null) {
            sim.listener(l);
        }
        try {
            return new Run(sim, sim.run(workload.steps()), null);
        } catch (RuntimeException crash) {
            return new Run(sim, null, crash);
        }
    }

    @Override
    public Map<String, String> reproduction() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(SCENARIO, ScenarioWriter.write(scenario()));
        files.put(SCHEDULE, "# the scheduler's choices of the run (" + scheduleDescription() + "); replay with l4smp simulate "
                + "--schedule\n" + run((StepListener) null).simulation().machine().choices().toText());
        return files;
    }

    @Override
    public String replayCommand(Path dir) {
        // a run of the migration families is checked as a whole, against its family's spec
        String specs = switch (workload.family()) {
            case "migration" -> "MigrationBarriers";
            case "xp-migration" -> "XpMigration";
            default -> String.join(",", l4smp.refine.Abstractions.specs());
        };
        return "l4smp simulate " + dir.resolve(SCENARIO) + " --schedule " + dir.resolve(SCHEDULE) + " --check " + specs;
    }

    /** The interleaving, or the reduced schedule's deviations (at most the first ten). */
    private String scheduleDescription() {
        if (schedule == null) {
            return "interleaving " + interleaving;
        }
        return "earliest clock first but for " + schedule.size() + " deviation" + (schedule.size() == 1 ? "" : "s")
                + (schedule.isEmpty() ? "" : ": " + String.join(", ", schedule.stream().limit(10)
                        .map(d -> "step " + d.step() + " " + (d.choice() == Scheduler.EVENT ? "event" : "cpu" + d.choice()))
                        .toList()) + (schedule.size() > 10 ? ", ..." : ""))
                + ", reduced from the interleaving " + interleaving;
    }

    @Override
    public String toString() {
        return workload.describe() + "  " + (schedule == null ? "interleaving: " + interleaving : "schedule: " + scheduleDescription())
                + (removedFixes.isEmpty() ? "" : "  removed fixes: " + removedFixes);
    }
}
