package l4smp.hw.sched;

/**
 * Picks what the machine does next: which CPU takes its next atomic step, or whether the earliest
 * pending hardware event (an IPI arriving, a timer tick) happens now. Events are always taken in
 * the order (time, sequence number), so the only freedom is when the next one happens relative to
 * the CPUs' steps. The machine records every choice; {@link ReplayScheduler} plays a recorded list
 * back exactly.
 */
public interface Scheduler {
    /** The choice that fires the earliest hardware event. */
    int EVENT = -1;

    /** One of {@code candidates}' choices. */
    int choose(Candidates candidates);

    /** Timing-realistic: earliest local clock first (see {@link EarliestClockFirst}). */
    static Scheduler earliestClockFirst() {
        return new EarliestClockFirst();
    }

    /** Uniformly random among the candidates, reproducible from {@code seed}. */
    static Scheduler seededRandom(long seed) {
        return new SeededRandomScheduler(seed);
    }
}
