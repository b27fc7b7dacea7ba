package l4smp.kernel.xcpu;

import l4smp.hw.Cpu;
import l4smp.hw.sync.Spinlock;

/**
 * What every mailbox of §8.3.4 has: a number (its bit in a CPU's flag line), the CPU whose pool it
 * belongs to, its place in shared kernel memory, and the Appendix A lock guarding its setup.
 */
abstract class Mailbox {
    private final int id;
    private final int home;
    private final long address;
    private final Spinlock lock;

    Mailbox(int id, int home, long address, int cpus) {
        this.id = id;
        this.home = home;
        this.address = address;
        this.lock = new Spinlock(address, cpus);
    }

    /**
     * Appendix A's {@code spinlock(lock)}. The printed listing branches with {@code js} after
     * {@code lock bts}, but {@code bts} reports the old bit in the carry flag, not the sign flag:
     * the loop must test CF ({@code jc}), which is what {@link Spinlock#acquireStep} does. A kernel
     * path runs as one atomic step of the simulator, and no path holds a mailbox lock across a
     * step, so the lock is always free when tried: it costs its {@code lock bts} and its line.
     */
    void lock(Cpu cpu) {
        if (!lock.acquireStep(cpu)) {
            throw new IllegalStateException(this + " is locked by another CPU between two atomic steps");
        }
    }

    void unlock(Cpu cpu) {
        lock.release(cpu);
    }

    /** Frees the mailbox; the lock is held. */
    abstract void release(Cpu cpu);

    public abstract boolean isFree();

    /** The mailbox's number: its bit in a CPU's flag line (§8.3.4 "id = bit scan forward"). */
    public int id() {
        return id;
    }

    /** The CPU whose pool the mailbox belongs to: the CPU of the threads that use it. */
    public int home() {
        return home;
    }

    public long address() {
        return address;
    }
}
