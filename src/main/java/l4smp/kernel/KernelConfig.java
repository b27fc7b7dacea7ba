package l4smp.kernel;

import java.util.EnumSet;
import java.util.Set;

/**
 * The kernel's tunables.
 *
 * @param tickCycles        period of each CPU's timer tick, in cycles: the resolution of time
 *                          slices and timeouts
 * @param timesliceCycles   the time slice a thread gets when created (§2.1.1)
 * @param kernelFrames      4 KB frames reserved for the kernel (page tables, TCBs, UTCBs, the
 *                          kernel info page, per-CPU data); sigma0 owns all frames above
 * @param userBurstCycles   at most how many cycles of user code run in one step before the CPU
 *                          looks for interrupts again
 * @param copyChunkBytes    at most how many bytes of a long message one copy step moves before
 *                          interrupts may be taken (§8.3.1: "Long IPC messages are interruptible")
 * @param mailboxesPerCpu   IPC mailboxes in each CPU's pool (§8.3.4, §8.3.5 get_ipc_mailbox): at
 *                          most this many cross-processor sends may be in flight from one CPU
 * @param proxyHandover     a proxy whose operation must wait hands its mailbox list to another
 *                          instance of its pair (§8.4.4, docs/decisions/0004); false: the proxy of
 *                          §8.4, one operation at a time, the others waiting behind it
 * @param removedFixes      fault injection: the thesis's fixes this kernel leaves out, each as a spec's
 *                          bug configuration does ({@link RemovedFix}). Default none: the fixed kernel
 */
public record KernelConfig(long tickCycles, long timesliceCycles, int kernelFrames, long userBurstCycles,
                           int copyChunkBytes, int mailboxesPerCpu, boolean proxyHandover, Set<RemovedFix> removedFixes) {
    /** At most 256 mailboxes in all: check_n_ack's flag bits fill one 32-byte line per CPU (§8.3.4). */
    public static final int MAX_MAILBOXES = 256;

    public KernelConfig(long tickCycles, long timesliceCycles, int kernelFrames, long userBurstCycles, int copyChunkBytes) {
        this(tickCycles, timesliceCycles, kernelFrames, userBurstCycles, copyChunkBytes, 8, true, Set.of());
    }

    public KernelConfig {
        removedFixes = RemovedFix.setOf(removedFixes);
        if (tickCycles < 100) {
            throw new IllegalArgumentException("the timer tick must be at least 100 cycles, not " + tickCycles);
        }
        if (timesliceCycles < tickCycles) {
            throw new IllegalArgumentException("a time slice must last at least one tick (" + tickCycles
                    + " cycles), not " + timesliceCycles);
        }
        if (kernelFrames < 16) {
            throw new IllegalArgumentException("the kernel needs at least 16 frames, not " + kernelFrames);
        }
        if (userBurstCycles < 1 || copyChunkBytes < 4) {
            throw new IllegalArgumentException("user bursts need >= 1 cycle and copy chunks >= 4 bytes");
        }
        if (mailboxesPerCpu < 1 || mailboxesPerCpu > MAX_MAILBOXES / 15) {
            throw new IllegalArgumentException("mailboxesPerCpu must be 1.." + MAX_MAILBOXES / 15
                    + " (at most " + MAX_MAILBOXES + " mailboxes for 15 CPUs), not " + mailboxesPerCpu);
        }
    }

    /** A 20 000-cycle tick (44 µs at 450 MHz), 10-tick time slices, 2 MB of kernel memory. */
    public static KernelConfig defaults() {
        return new KernelConfig(20_000, 200_000, 512, 2_000, 256, 8, true, Set.of());
    }

    public KernelConfig withTick(long cycles) {
        return new KernelConfig(cycles, Math.max(timesliceCycles, cycles), kernelFrames, userBurstCycles, copyChunkBytes,
                mailboxesPerCpu, proxyHandover, removedFixes);
    }

    public KernelConfig withKernelFrames(int frames) {
        return new KernelConfig(tickCycles, timesliceCycles, frames, userBurstCycles, copyChunkBytes, mailboxesPerCpu,
                proxyHandover, removedFixes);
    }

    public KernelConfig withTimeslice(long cycles) {
        return new KernelConfig(tickCycles, cycles, kernelFrames, userBurstCycles, copyChunkBytes, mailboxesPerCpu,
                proxyHandover, removedFixes);
    }

    public KernelConfig withMailboxesPerCpu(int mailboxes) {
        return new KernelConfig(tickCycles, timesliceCycles, kernelFrames, userBurstCycles, copyChunkBytes, mailboxes,
                proxyHandover, removedFixes);
    }

    public KernelConfig withProxyHandover(boolean handover) {
        return new KernelConfig(tickCycles, timesliceCycles, kernelFrames, userBurstCycles, copyChunkBytes,
                mailboxesPerCpu, handover, removedFixes);
    }

    /** Whether this kernel leaves out {@code fix} (fault injection). */
    public boolean removed(RemovedFix fix) {
        return removedFixes.contains(fix);
    }

    /** The same kernel without the fixes {@code fixes} (and with every other). */
    public KernelConfig withRemovedFixes(Set<RemovedFix> fixes) {
        return new KernelConfig(tickCycles, timesliceCycles, kernelFrames, userBurstCycles, copyChunkBytes, mailboxesPerCpu,
                proxyHandover, fixes);
    }

    /** Whether the global migration lock is left out: {@code removed(MIGRATION_LOCK)}. */
    public boolean withoutMigrationLock() {
        return removed(RemovedFix.MIGRATION_LOCK);
    }

    /** The same kernel with (true) or without the global migration lock removed, other switches kept. */
    public KernelConfig withoutMigrationLock(boolean without) {
        Set<RemovedFix> fixes = removedFixes.isEmpty() ? EnumSet.noneOf(RemovedFix.class) : EnumSet.copyOf(removedFixes);
        if (without) {
            fixes.add(RemovedFix.MIGRATION_LOCK);
        } else {
            fixes.remove(RemovedFix.MIGRATION_LOCK);
        }
        return withRemovedFixes(fixes);
    }
}
