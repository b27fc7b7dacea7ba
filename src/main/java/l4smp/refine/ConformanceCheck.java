package l4smp.refine;

import java.util.List;
import l4smp.hw.RunResult;
import l4smp.hw.sched.ChoiceList;
import l4smp.hw.sched.ReplayScheduler;
import l4smp.hw.sched.Scheduler;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.Simulation;

/**
 * A scenario run on the kernel and checked against specs while it runs: a first run surveys it
 * ({@link RunSurvey}: the constants of the specs' cfgs come from the whole run) and records the
 * scheduler's choices; a second run replays those choices, so it is the same run, step for step,
 * and a {@link ConformanceMonitor} checks every step of it, stopping at the first one a spec
 * rejects. A kernel that throws (an invariant it checks itself) ends both runs at the same step.
 */
public final class ConformanceCheck {
    /**
     * @param result     how the checked run ended (step limit, rest, stopped at a rejection)
     * @param choices    the scheduler's choices of the whole run: a schedule that replays it
     * @param report     the verdict of each spec
     * @param crash      what the kernel threw, or null
     * @param simulation the checked run, as it ended
     */
    public record Outcome(RunResult result, ChoiceList choices, ConformanceReport report, RuntimeException crash,
                          Simulation simulation) {
        /** Whether every spec accepted the run and the kernel did not crash. */
        public boolean conforms() {
            return crash == null && report.accepted();
        }
    }

    private ConformanceCheck() {
    }

    /**
     * Runs {@code scenario} for at most {@code steps} machine steps with {@code scheduler} and
     * checks it against {@code specs}.
     *
     * @throws ScenarioException if the scenario does not boot
     * @throws SpecLoadException if a spec does not load with the cfg made for the run
     */
    public static Outcome run(Scenario scenario, Scheduler scheduler, long steps, List<String> specs,
                              SpecCheckers checkers, int window) throws ScenarioException, SpecLoadException {
        return run(scenario, scheduler, steps, specs, checkers, window, ConformanceCheck::names);
    }

    /** As {@link #run}, the model value of each thread given by {@code namer} for the booted simulation. */
    public static Outcome run(Scenario scenario, Scheduler scheduler, long steps, List<String> specs, SpecCheckers checkers,
                              int window, java.util.function.Function<Simulation, java.util.function.Function<l4smp.kernel.thread.ThreadId, String>> namer)
            throws ScenarioException, SpecLoadException {
        Simulation first = Simulation.build(scenario, scheduler);
        RunSurvey survey = new RunSurvey(first.kernel().view(), namer.apply(first), specs);
        first.listener(survey);
        try {
            first.run(steps);
        } catch (RuntimeException crash) {
            // the checked run crashes at the same step; the survey covers the steps before it
        }
        ChoiceList choices = first.machine().choices();
        Simulation second = Simulation.build(scenario, new ReplayScheduler(choices));
        ConformanceMonitor monitor = new ConformanceMonitor(checkers, survey, specs, second.kernel().view(), window);
        second.listener(monitor);
        RunResult result = null;
        RuntimeException crash = null;
        try {
            result = second.runUntil(monitor::stopped, choices.size());
        } catch (RuntimeException e) {
            crash = e;
        }
        return new Outcome(result, second.machine().choices(), monitor.finish(), crash, second);
    }

    /** The model value of each thread: its scenario name as a TLA+ identifier. */
    public static java.util.function.Function<l4smp.kernel.thread.ThreadId, String> names(Simulation simulation) {
        return id -> TlaNames.identifier(simulation.name(id));
    }
}
