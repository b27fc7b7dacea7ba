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

    /**
     * Whether its timeout expired while it was blocked and it has not yet run to abort its IPC
     * (§8.3.2: "if returned with timeout then abortIPC"); until then a sender stays in its
     * receiver's send queue.
     */
    boolean timedOut();

    /** Where its kernel continuation resumes. */
    Resume resume();

    /** Whether it is in its CPU's ready list (lazily: it may be there while not runnable). */
    boolean inReadyList();
}
