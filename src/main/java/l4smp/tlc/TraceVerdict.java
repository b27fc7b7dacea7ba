package l4smp.tlc;

import l4smp.trace.ActionLabel;
import l4smp.trace.TraceState;

import java.util.List;

/**
 * Whether a trace is a behaviour of a spec, and if not, the first step where it is not.
 *
 * @param accepted     the trace is a behaviour of the spec
 * @param stepsChecked steps (pairs of consecutive states, and the loop step of a lasso) checked
 * @param failure      the first bad step, or {@code null} when accepted
 */
public record TraceVerdict(boolean accepted, int stepsChecked, Failure failure) {

    public enum Kind {
        /** The trace's variables are not the spec's. */
        VARIABLES,
        /** The first state is not an initial state of the spec. */
        NOT_INITIAL,
        /** A state violates an invariant of the cfg. */
        INVARIANT,
        /** No action of Next relates the two states (and they differ, so it is no stutter). */
        NOT_A_STEP,
        /** The step is a step of Next, but not of the action the trace names. */
        WRONG_ACTION,
        /** Evaluating the spec on the trace's values failed (e.g. a value of the wrong type). */
        EVALUATION,
    }

    /**
     * @param kind      what is wrong
     * @param index     the index of the state at which it goes wrong: for a step, the state after it
     *                  (the trace's length for the loop-back step of a lasso)
     * @param before    the state before the step ({@code null} for the first state)
     * @param after     the state after the step (or the bad state)
     * @param claimed   the action the trace names for the step, or {@code null}
     * @param invariant the violated invariant (INVARIANT only)
     * @param diverging the variables in which {@code after} differs from every successor the spec
     *                  allows from {@code before} (the fewest such variables over all successors),
     *                  or in which the first state differs from every initial state
     * @param enabled   the actions enabled in {@code before} (their labels); empty if none was
     * @param message   one line for humans
     */
    public record Failure(Kind kind, int index, TraceState before, TraceState after, ActionLabel claimed,
                          String invariant, List<String> diverging, List<ActionLabel> enabled, String message) {
        public Failure {
            diverging = diverging == null ? List.of() : List.copyOf(diverging);
            enabled = enabled == null ? List.of() : List.copyOf(enabled);
        }
    }

    public static TraceVerdict accepted(int steps) {
        return new TraceVerdict(true, steps, null);
    }

    public static TraceVerdict rejected(int steps, Failure failure) {
        return new TraceVerdict(false, steps, failure);
    }
}
