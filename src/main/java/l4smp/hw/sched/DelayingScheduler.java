package l4smp.hw.sched;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded random scheduler with injected delays: for a stretch of steps, candidates of one
 * kind (IPIs reaching their target, timer ticks, a CPU leaving or going on in the kernel) are
 * held back whenever something else can happen, so that an IPI arrives late, a tick is late, or
 * one CPU stays in its kernel path while the others run on. Among the candidates not held back
 * the choice is uniform, from a generator seeded once; the same seed and delays on the same
 * configuration give the same run, and the machine records its choices for exact replay.
 */
public final class DelayingScheduler implements Scheduler {
    /**
     * Candidates of {@code kind} (on CPU {@code cpu}, or any CPU if -1; events have no CPU) are
     * held back during machine steps {@code from .. from + steps - 1}.
     */
    public record Delay(Candidates.Kind kind, int cpu, long from, int steps) {
        public Delay {
            if (steps < 0 || from < 0) {
                throw new IllegalArgumentException("a delay starts at step >= 0 and lasts >= 0 steps");
            }
        }

        boolean holds(Candidates candidates, int i) {
            long now = candidates.step();
            return now >= from && now < from + steps && candidates.kind(i) == kind
                    && (cpu < 0 || candidates.choice(i) == cpu);
        }
    }

    private final long seed;
    private final SplittableRandom random;
    private final List<Delay> delays;
    private final int[] allowed = new int[16];
    private long heldBack;

    public DelayingScheduler(long seed, List<Delay> delays) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.delays = new ArrayList<>(delays);
        this.delays.sort(Comparator.comparingLong(Delay::from));
    }

    @Override
    public int choose(Candidates candidates) {
        int n = 0;
        for (int i = 0; i < candidates.size(); i++) {
            if (!held(candidates, i)) {
                allowed[n++] = candidates.choice(i);
            }
        }
        if (n < candidates.size()) {
            heldBack++;
        }
        if (n == 0) {
            return candidates.choice(random.nextInt(candidates.size()));
        }
        return allowed[random.nextInt(n)];
    }

    private boolean held(Candidates candidates, int i) {
        for (Delay d : delays) {
            if (d.from() > candidates.step()) {
                return false;
            }
            if (d.holds(candidates, i)) {
                return true;
            }
        }
        return false;
    }

    /** How many choices a delay changed (some candidate was held back). */
    public long heldBack() {
        return heldBack;
    }

    public List<Delay> delays() {
        return List.copyOf(delays);
    }

    @Override
    public String toString() {
        return "seeded-random(" + seed + ") with " + delays.size() + " delay" + (delays.size() == 1 ? "" : "s");
    }
}
