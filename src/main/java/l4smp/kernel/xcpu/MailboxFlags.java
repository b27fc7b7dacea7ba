package l4smp.kernel.xcpu;

import l4smp.hw.Cpu;
import l4smp.hw.IpiDestination;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.irq.Vectors;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.sched.ProcessorData;

/**
 * How one CPU triggers an operation on another (§8.3.4): per destination CPU, a line of mailbox
 * flags, one bit per mailbox ("If packing the flags to a single cacheline, [...] 32*8 = 256
 * mailboxes can be checked"), and on a line of its own the word that says an IPI to that CPU is on
 * its way and not yet acknowledged, two words of flags for operation mailboxes
 * ({@link OpMailbox}), and one word of flags for migration parts (a bit per initiating CPU's
 * migration request, §8.7.2 "trigger migration task B and C"). All live in shared kernel memory.
 *
 * <pre>
 * setactivatemailbox flag()
 * if next check(destination) &lt; max latency then
 *     if not yet acknowledged then
 *         sendIPI()
 *     endif
 * endif</pre>
 * The Pentium has no synchronous clock to know the destination's next check, so the latency test
 * is always true. "Not yet acknowledged" is read as: an IPI sent to the destination whose handler
 * has not yet run; the handler clears the word before it checks the flags, so a flag set after
 * the check sends a new IPI. Hence at most one trigger IPI is on its way to a CPU, and the local
 * APIC's two slots (§8.3.3) never fill with triggers.
 */
public final class MailboxFlags {
    /** Flag words per CPU: 8 words, one 32-byte line, 256 mailboxes. */
    static final int WORDS = 8;
    /** Flag words per CPU for operation mailboxes: 64 of them. */
    static final int OP_WORDS = 2;
    private static final int PER_CPU = 64;
    private static final int OP_FLAGS = 36;
    private static final int MIGRATION_FLAGS = 44;

    private final long base;
    /** Fault injection ({@link RemovedFix#IPI_ONLY_IF_UNACKED}): an IPI for every trigger. */
    private final boolean ipiEveryTrigger;
    private long ipisSent;
    private long ipisSaved;

    MailboxFlags(FrameAllocator frames, int cpus, boolean ipiEveryTrigger) {
        this.ipiEveryTrigger = ipiEveryTrigger;
        if (cpus * PER_CPU > PhysicalMemory.FRAME_BYTES) {
            throw new IllegalArgumentException("the mailbox flags of " + cpus + " CPUs do not fit one frame");
        }
        this.base = (long) frames.allocateOrFail("the mailbox flags") << PhysicalMemory.FRAME_SHIFT;
    }

    private long flagWord(int cpu, int word) {
        return base + (long) cpu * PER_CPU + 4L * word;
    }

    private long ipiPendingWord(int cpu) {
        return base + (long) cpu * PER_CPU + 32;
    }

    private long opFlagWord(int cpu, int word) {
        return base + (long) cpu * PER_CPU + OP_FLAGS + 4L * word;
    }

    /** "trigger mailbox": set its flag on its target CPU; send an IPI unless one is unacknowledged. */
    void trigger(ProcessorData local, IpcMailbox m) {
        local.cpu().lockBts(flagWord(m.targetCpu(), m.id() / 32), m.id() % 32);
        interrupt(local, m.targetCpu());
    }

    /** Triggers operation mailbox {@code m} on CPU {@code target} (a part to run there, or its completion at home). */
    void trigger(ProcessorData local, OpMailbox m, int target) {
        local.cpu().lockBts(opFlagWord(target, m.id() / 32), m.id() % 32);
        interrupt(local, target);
    }

    /** Triggers the migration part of request {@code request} (a bit 0..31) on CPU {@code target}. */
    void triggerMigration(ProcessorData local, int request, int target) {
        local.cpu().lockBts(migrationWord(target), request);
        interrupt(local, target);
    }

    private long migrationWord(int cpu) {
        return base + (long) cpu * PER_CPU + MIGRATION_FLAGS;
    }

    /** Takes this CPU's migration flags: the requests whose part is triggered here, one bit each. */
    int takeMigrations(ProcessorData local) {
        return takeWord(local, migrationWord(local.id()));
    }

    /**
     * Takes the flag of IPC mailbox {@code id} on this CPU if it is set ({@code lock cmpxchg}), leaving
     * the others: a migration takes the requests to its thread with it.
     *
     * @return whether it was set
     */
    boolean takeOne(ProcessorData local, int id) {
        long word = flagWord(local.id(), id / 32);
        int bit = 1 << (id % 32);
        while (true) {
            int old = local.cpu().loadPhysical(word);
            if ((old & bit) == 0) {
                return false;
            }
            if (local.cpu().cmpxchg(word, old, old & ~bit) == old) {
                return true;
            }
        }
    }

    /** "if not yet acknowledged then sendIPI()". */
    private void interrupt(ProcessorData local, int target) {
        Cpu cpu = local.cpu();
        if (!cpu.lockBts(ipiPendingWord(target), 0) || ipiEveryTrigger) {
            cpu.apic().sendIpi(IpiDestination.cpu(target), Vectors.XCPU);
            ipisSent++;
        } else {
            ipisSaved++;
        }
    }

    /** The IPI handler acknowledges: the next trigger to this CPU sends an IPI again. */
    void acknowledge(ProcessorData local) {
        local.cpu().storePhysical(ipiPendingWord(local.id()), 0);
    }

    /** The polling check: whether any flag of this CPU is set (compares of its flag words, §8.3.4). */
    boolean any(ProcessorData local) {
        for (int w = 0; w < WORDS; w++) {
            if (local.cpu().loadPhysical(flagWord(local.id(), w)) != 0) {
                return true;
            }
        }
        for (int w = 0; w < OP_WORDS; w++) {
            if (local.cpu().loadPhysical(opFlagWord(local.id(), w)) != 0) {
                return true;
            }
        }
        return local.cpu().loadPhysical(migrationWord(local.id())) != 0;
    }

    /** Takes flag word {@code w} of this CPU: returns its set bits and clears them atomically ({@code xchg}). */
    int take(ProcessorData local, int w) {
        return takeWord(local, flagWord(local.id(), w));
    }

    /** Takes operation flag word {@code w} of this CPU. */
    int takeOps(ProcessorData local, int w) {
        return takeWord(local, opFlagWord(local.id(), w));
    }

    private static int takeWord(ProcessorData local, long word) {
        if (local.cpu().loadPhysical(word) == 0) {
            return 0;
        }
        return local.cpu().xchg(word, 0);
    }

    // ---- observers: free ----

    long ipisSent() {
        return ipisSent;
    }

    long ipisSaved() {
        return ipisSaved;
    }

    /** Whether mailbox {@code id}'s flag is set on {@code cpu} (read without charge, for views). */
    boolean isSet(PhysicalMemory memory, int cpu, int id) {
        return (memory.readWord(flagWord(cpu, id / 32)) & (1 << (id % 32))) != 0;
    }

    /** Whether operation mailbox {@code id}'s flag is set on {@code cpu} (read without charge, for views). */
    boolean isOpSet(PhysicalMemory memory, int cpu, int id) {
        return (memory.readWord(opFlagWord(cpu, id / 32)) & (1 << (id % 32))) != 0;
    }

    /** Whether an IPI to {@code cpu} is unacknowledged (read without charge, for views). */
    boolean ipiPending(PhysicalMemory memory, int cpu) {
        return memory.readWord(ipiPendingWord(cpu)) != 0;
    }

}
