package l4smp.pbt.conform;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import l4smp.hw.RunResult;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.observe.StepListener;
import l4smp.pbt.Gen;
import l4smp.pbt.Gens;
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
 */
public record KernelInput(Workload workload, Interleaving interleaving, Set<RemovedFix> removedFixes) implements Reproducible {
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

    public KernelInput {
        removedFixes = RemovedFix.setOf(removedFixes);
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
            sim = Simulation.build(scenario(), interleaving.scheduler(workload.cpus()));
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
        files.put(SCHEDULE, "# the scheduler's choices of the run (" + interleaving + "); replay with l4smp simulate --schedule\n"
                + run((StepListener) null).simulation().machine().choices().toText());
        return files;
    }

    @Override
    public String replayCommand(Path dir) {
        return "l4smp simulate " + dir.resolve(SCENARIO) + " --schedule " + dir.resolve(SCHEDULE) + " --check "
                + String.join(",", l4smp.refine.Abstractions.specs());
    }

    @Override
    public String toString() {
        return workload.describe() + "  interleaving: " + interleaving
                + (removedFixes.isEmpty() ? "" : "  removed fixes: " + removedFixes);
    }
}
