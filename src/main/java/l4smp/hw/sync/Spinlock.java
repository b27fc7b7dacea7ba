package l4smp.hw.sync;

import l4smp.hw.Cpu;

/**
 * Appendix A's spinlock for the Pentium, one instruction per step so that every interleaving of
 * two CPUs contending for it can be scheduled:
 * <pre>
 *  spinlock(lock)
 *      lock bts [lock],1
 *      js spin            ; (the carry flag bts sets: taken)
 *  critical section:
 *      ...
 *  spin:
 *      cmp [lock],0
 *      jne spin
 *      lock bts [lock],1
 *      js spin
 *      jmp critical section
 * </pre>
 * "Only when there is a chance to acquire the lock, i.e. the simple read returns a free lock, the
 * lock is tried to set again. This is done because the MESI protocol of the Pentium processors
 * snoops a write, even when the data of a shared line is not modified." So while the lock is
 * held, a waiting CPU's reads hit its own cache in state S and cost no bus traffic; only the
 * release (a write, invalidating the waiters' copies) and the next try move the line.
 *
 * <p>The lock is one word of physical memory; which phase each CPU is in (trying with
 * {@code lock bts} or reading in {@code spin}) is kept here, per CPU, as its instruction pointer
 * would be.
 */
public final class Spinlock {
    /** The bit Appendix A sets. */
    public static final int BIT = 1;

    private final long address;
    private final boolean[] spinning;

    /**
     * @param address physical address of the lock word (4-byte aligned, initially 0)
     * @param cpus    the machine's number of CPUs
     */
    public Spinlock(long address, int cpus) {
        if ((address & 3) != 0 || address < 0) {
            throw new IllegalArgumentException(String.format("a lock word needs a 4-byte aligned address, not 0x%x", address));
        }
        this.address = address;
        this.spinning = new boolean[cpus];
    }

    /**
     * Executes {@code cpu}'s next instruction of the acquire loop: in the try phase
     * {@code lock bts} (acquired if the bit was clear, else go to spin); in the spin phase
     * {@code cmp [lock],0} (if free, the next call tries again).
     *
     * @return whether {@code cpu} now holds the lock
     */
    public boolean acquireStep(Cpu cpu) {
        int id = cpu.id();
        if (!spinning[id]) {
            if (!cpu.lockBts(address, BIT)) {
                return true;
            }
            spinning[id] = true;
            return false;
        }
        if (cpu.loadPhysical(address) == 0) {
            spinning[id] = false;
        }
        return false;
    }

    /** Releases the lock: a plain store of 0 ({@code mov [lock],0}). */
    public void release(Cpu cpu) {
        spinning[cpu.id()] = false;
        cpu.storePhysical(address, 0);
    }

    /** Whether {@code cpu} is in the read-only spin phase. */
    public boolean isSpinning(Cpu cpu) {
        return spinning[cpu.id()];
    }

    public long address() {
        return address;
    }
}
