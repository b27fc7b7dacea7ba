package l4smp.hw.sched;

import java.util.SplittableRandom;

/**
 * Explores interleavings: each step picks a candidate uniformly at random from a generator seeded
 * once, so the same seed on the same configuration gives the same run. Timing is not respected
 * (a CPU may run many steps ahead of another); a CPU never observes an interrupt before the
 * interrupt's time, because taking it moves the CPU's clock up to that time.
 */
public final class SeededRandomScheduler implements Scheduler {
    private final long seed;
    private final SplittableRandom random;

    public SeededRandomScheduler(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int choose(Candidates candidates) {
        return candidates.choice(random.nextInt(candidates.size()));
    }

    @Override
    public String toString() {
        return "seeded-random(" + seed + ")";
    }
}
