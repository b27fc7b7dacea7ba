package l4smp.pbt.conform;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.sched.Candidates;
import l4smp.hw.sched.DelayingScheduler;
import l4smp.hw.sched.Scheduler;
import l4smp.pbt.Gen;
import l4smp.pbt.Gens;

/**
 * How the machine interleaves a run: the seed of its random scheduler and the delays injected
 * into it (IPIs arriving late, timer ticks late, a CPU held in its kernel path while the others run).
 *
 * @param seed   the random scheduler's seed
 * @param delays the injected delays
 */
public record Interleaving(long seed, List<Delay> delays) {
    public Interleaving {
        delays = List.copyOf(delays);
    }

    /** What is held back: IPIs, timer ticks, or a CPU in kernel mode (its kernel exit). */
    public enum What { IPI, TICK, KERNEL_EXIT }

    /** {@code what} held back during machine steps {@code from .. from + steps - 1}; {@code cpu} for a kernel exit. */
    public record Delay(What what, int cpu, int from, int steps) {
    }

    /** The scheduler of a machine with {@code cpus} CPUs. */
    public Scheduler scheduler(int cpus) {
        List<DelayingScheduler.Delay> injected = new ArrayList<>();
        for (Delay d : delays) {
            Candidates.Kind kind = switch (d.what()) {
                case IPI -> Candidates.Kind.IPI;
                case TICK -> Candidates.Kind.TIMER_TICK;
                case KERNEL_EXIT -> Candidates.Kind.CPU_KERNEL;
            };
            injected.add(new DelayingScheduler.Delay(kind, d.what() == What.KERNEL_EXIT ? d.cpu() % cpus : -1, d.from(), d.steps()));
        }
        return new DelayingScheduler(seed, injected);
    }

    /** Seeds, and up to four delays each of up to 400 steps in the first 3000. */
    public static Gen<Interleaving> gen() {
        Gen<Delay> delay = Gens.zip(Gens.elements(What.values()), Gens.integers(0, 3), Gens.integers(0, 3000),
                Gens.integers(1, 400), Delay::new);
        return Gens.zip(Gens.longs(0, 1L << 32), Gens.lists(delay, 0, 4), Interleaving::new);
    }

    @Override
    public String toString() {
        return "seed " + seed + (delays.isEmpty() ? "" : ", delays " + delays);
    }
}
