package l4smp.tlc;

/**
 * The size of a run. For simulation, {@code distinct} is the number of states generated and
 * {@code traces} the number of behaviours; for model checking {@code traces} is 0.
 *
 * @param generated  states generated (including duplicates)
 * @param distinct   distinct states found
 * @param queue      states left on the queue when the run ended (0 for a complete run)
 * @param depth      the depth of the state graph (longest shortest path from an initial state)
 * @param traces     behaviours generated in simulation mode
 * @param wallMillis wall-clock time of the run in the worker, in milliseconds
 */
public record Statistics(long generated, long distinct, long queue, long depth, long traces, long wallMillis) {
    public static final Statistics NONE = new Statistics(0, 0, 0, 0, 0, 0);
}
