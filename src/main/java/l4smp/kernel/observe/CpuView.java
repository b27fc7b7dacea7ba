package l4smp.kernel.observe;

import java.util.List;
import java.util.SortedMap;
import l4smp.kernel.thread.ThreadId;

/** Read-only view of one CPU's kernel data (§8.8). */
public interface CpuView {
    int id();

    /** The thread the CPU runs, or nil while its dispatcher (idle) thread runs. */
    ThreadId current();

    /** The non-empty ready lists by priority, each from its current pointer on. */
    SortedMap<Integer, List<ThreadId>> readyLists();

    int highestActivePriority();

    /** The wakeup queue in wakeup order. */
    List<ThreadId> wakeupQueue();

    /** The thread whose state the FPU holds, or nil. */
    ThreadId fpuOwner();

    /** Whether a trigger IPI sent to this CPU has not yet been acknowledged by its handler (§8.3.4). */
    boolean ipiPending();

    /** How many of the APIC's two IPI slots IPIs to this CPU hold (on their way, pending, in service). */
    int ipiSlotsHeld();

    /** The CPU an IPI of this CPU waits for a slot on (the CPU stalls), or -1. */
    int stalledOn();

    /** The threads of this CPU waiting for a mailbox, first first. */
    List<ThreadId> mailboxWaiters();

    /** The migration request whose part this CPU executes, interrupts disabled, or -1 (MigrationBarriers' {@code part[c]}). */
    int migrationRequest();

    /** Which part of {@link #migrationRequest()} it executes: "B" or "C"; null if none. */
    String migrationPart();
}
