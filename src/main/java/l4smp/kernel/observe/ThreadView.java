package l4smp.kernel.observe;

import java.util.List;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/** Read-only view of one thread's TCB. */
public interface ThreadView {
    /** The id the TCB was created for (its myself field, or the id it had before it died). */
    ThreadId id();

    ThreadState state();

    ThreadId partner();

    int cpu();

    int priority();

    ThreadId pager();

    /** The threads in this thread's send queue, head first. */
    List<ThreadId> sendQueue();

    /** When its timeout expires (millicycles of its CPU's clock), or -1 if it is in no wakeup queue. */
    long wakeupTime();

    /** The IPC in progress, or null. */
    IpcOp ipcOp();

    /** Whether it waits in an open receive. */
    boolean receivesOpen();

    /** The last IPC's completion code; {@code none} while one is in progress. */
    CompletionCode completion();

    /** The IPC in progress (the outer one while a nested page-fault IPC runs), or null. */
    IpcView ipc();

    /** The IPC it started last, in progress or over (its code then set), or null before its first. */
    IpcView lastIpc();

    /** The IPCs it has started, page faults included: {@code <<thread, n>>} names its n-th message. */
    int ipcCount();

    /** The proxy handling its cross-processor send (§8.3.5 "from TCB.proxy"), or null. */
    ProxyView proxy();

    /** The completion code a proxy set for its cross-processor send (§8.4.1 "xp cc"). */
    CompletionCode xpCc();

    /** The ids of the mailboxes in its list, first first: a sender's reply (§8.4.1). */
    List<Integer> mailboxes();

    /** Whether it waits for a mailbox of its CPU's pool, its IPC not begun. */
    boolean waitsForMailbox();

    /** Whether lthread_ex_regs canceled its cross-processor send, which ends at XP_RETURN (§8.4.3). */
    boolean cancelAtXpReturn();

    /** Where its kernel continuation resumes. */
    Resume resume();

    /** Whether it is in its CPU's ready list (lazily: it may be there while not runnable). */
    boolean inReadyList();

    /** Its thread_schedule call that moves another thread, in progress, or null. */
    MigrationCallView migrationCall();

    /** The scheduler whose migration request holds its "do not migrate" lock, or nil. */
    ThreadId doNotMigrate();

    /** Whether a migration has it in flight: out of its old CPU's lists, not yet settled on the new one. */
    boolean inFlight();
}
