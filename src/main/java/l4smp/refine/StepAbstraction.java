package l4smp.refine;

import java.util.List;
import l4smp.kernel.observe.KernelStep;
import l4smp.trace.TraceState;

/**
 * A spec's abstraction function applied one kernel step at a time, as the kernel runs: the
 * spec's variables computed from each {@link KernelSnapshot} and the action the step claims to
 * be. Its constants (threads, CPUs, bounds, programs) come from a {@link RunSurvey} of the run.
 * Each instance follows one run from its initial state (the history variables are its state).
 */
public interface StepAbstraction {
    String spec();

    /** The spec's variables, in the order the trace lists them. */
    List<String> variables();

    /** The abstraction of the run's initial state. */
    TraceState initial();

    /**
     * The abstraction of the state {@code step} left, labelled with the action the step claims to
     * be (null: a step the spec does not see, which must leave every variable as it was).
     *
     * @param previous the abstraction of {@code before}
     */
    TraceState next(KernelSnapshot before, KernelStep step, KernelSnapshot after, TraceState previous);

    /** A module extending the spec that defines the run's constants, or null if the cfg can give them. */
    String module(String name);

    /** The trace-checking configuration with {@code invariants}; {@code moduleName} names {@link #module}'s module. */
    String config(List<String> invariants, String moduleName);

    /**
     * A whole recorded run through a fresh step-wise abstraction: its initial state, then
     * {@link #next} for every step (what {@link KernelRefinement.Abstraction#trace} gives).
     *
     * @throws IllegalStateException if there is no recorded run: the abstraction follows one as it runs
     * @throws NotApplicable if the run's survey found a step the spec does not describe
     */
    static l4smp.trace.Trace wholeRun(StepAbstraction a, KernelRun run, RunSurvey survey) {
        if (run == null) {
            throw new IllegalStateException("this abstraction follows a run step by step; it has no recorded run");
        }
        NotApplicable.check(a.spec(), survey);
        List<TraceState> states = new java.util.ArrayList<>();
        KernelSnapshot before = run.initial();
        states.add(a.initial());
        for (KernelRun.Step s : run.steps()) {
            states.add(a.next(before, s.step(), s.after(), states.get(states.size() - 1)));
            before = s.after();
        }
        return new l4smp.trace.Trace(a.variables(), states, null, null,
                java.util.Map.of("source", "l4smp kernel run", "spec", a.spec()));
    }
}
