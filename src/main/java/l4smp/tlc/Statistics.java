package l4smp.tlc;

/**
 * The size of a run. For simulation, {@code distinct} is the number of states generated and
 * {@code traces} the number of behaviours; for model checking {@code traces} is 0. A count TLC
 * did not report (the depth after a liveness violation, anything after a timeout but what was
 * sampled last) is {@link #UNKNOWN}, never a made-up 0.
 *
 * @param generated  states generated (including duplicates)
 * @param distinct   distinct states found
 * @param queue      states left on the queue when the run ended (0 for a complete run)
 * @param depth      the depth of the state graph (longest shortest path from an initial state)
 * @param traces     behaviours generated in simulation mode
 * @param wallMillis wall-clock time of the run in the worker, in milliseconds
 */
public record Statistics(long generated, long distinct, long queue, long depth, long traces, long wallMillis) {
    /** A count that is not known. */
    public static final long UNKNOWN = -1;
    public static final Statistics NONE = new Statistics(0, 0, 0, 0, 0, 0);

    /**
     * What a run stopped at its time limit is known to have done: the last sample of TLC's
     * counters, of which {@code generated} only if it is consistent with {@code distinct}.
     */
    public static Statistics sampled(Progress last, long wallMillis) {
        if (last == null) return new Statistics(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, 0, wallMillis);
        return new Statistics(last.generated() >= last.distinct() ? last.generated() : UNKNOWN, last.distinct(),
                last.queue(), last.depth(), 0, wallMillis);
    }

    public static boolean known(long count) {
        return count != UNKNOWN;
    }
}
