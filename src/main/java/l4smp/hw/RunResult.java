package l4smp.hw;

/**
 * How a {@link Machine#run} ended.
 *
 * @param steps  steps taken by this call
 * @param reason why it stopped
 */
public record RunResult(long steps, Reason reason) {
    public enum Reason {
        /** The step budget was used up. */
        STEP_LIMIT,
        /** The stop condition became true. */
        CONDITION,
        /**
         * Nothing can happen any more: every CPU is halted with no interrupt to wake it, or stalled,
         * and no hardware event is pending ({@link Machine#describeState()} says which).
         */
        QUIESCENT
    }
}
