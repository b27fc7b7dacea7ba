package l4smp.kernel.mm;

import java.util.function.Supplier;
import l4smp.hw.Cpu;
import l4smp.hw.sync.Spinlock;

/**
 * The lock of the kernel's global memory structures: the mapping database and the page tables
 * it changes (§6: "global kernel data structures [...] must be protected against concurrent
 * access", with Appendix A's spinlock). Every map, grant, unmap and space removal holds it.
 *
 * <p>A kernel path is one atomic step of the simulator and none holds the lock across a step, so
 * it is always free when tried; it still costs what it costs on the Pentium: a {@code lock bts}
 * and the release's store on a line every CPU's mapping operations move into their cache.
 */
public final class MappingLock {
    private final Spinlock lock;

    /** @param address physical address of the lock word, in kernel memory */
    public MappingLock(long address, int cpus) {
        this.lock = new Spinlock(address, cpus);
    }

    /** Runs {@code work} on {@code cpu} holding the lock. */
    public <T> T holding(Cpu cpu, Supplier<T> work) {
        acquire(cpu);
        try {
            return work.get();
        } finally {
            lock.release(cpu);
        }
    }

    /**
     * Appendix A's loop, at most three of its instructions: a CPU left in the spin phase by an
     * earlier failed try reads the word free and tries again; a lock still held after that is
     * held across steps, which no kernel path does.
     */
    private void acquire(Cpu cpu) {
        for (int instruction = 0; instruction < 3; instruction++) {
            if (lock.acquireStep(cpu)) {
                return;
            }
        }
        throw new IllegalStateException("the mapping lock is held by another CPU between two atomic steps");
    }

    /** Runs {@code work} on {@code cpu} holding the lock. */
    public void holding(Cpu cpu, Runnable work) {
        holding(cpu, () -> {
            work.run();
            return null;
        });
    }
}
