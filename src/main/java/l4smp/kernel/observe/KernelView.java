package l4smp.kernel.observe;

import java.util.List;
import l4smp.kernel.thread.ThreadId;

/** Read-only view of the kernel's state: threads and per-CPU data. */
public interface KernelView {
    /** Every thread that exists or existed (its TCB was created), in thread-id order. */
    List<ThreadView> threads();

    /**
     * The TCBs of deleted threads (task_new), dead, under the ids they had: a proxy may still hold
     * such a thread's request, and its reply may still be on its way (§8.4.3).
     */
    default List<ThreadView> gone() {
        return List.of();
    }

    /** The thread with this id (the version must match), or null. */
    ThreadView thread(ThreadId id);

    int cpuCount();

    CpuView cpu(int id);

    /**
     * Every proxy thread: the IPC proxies by target CPU then source CPU, then each CPU's operation
     * proxy (its source and target are its own CPU).
     */
    List<ProxyView> proxies();

    /** Every IPC mailbox, by id. */
    List<MailboxView> mailboxes();

    /** Every operation mailbox, by id (§8.4.3). */
    List<OpMailboxView> opMailboxes();

    /** The migrations past their callers' locks, by request (initiating CPU). */
    List<MigrationView> migrations();

    /** The scheduler whose migration holds the global migration lock, or nil. */
    ThreadId migrationLock();

    /**
     * The thesis's fixes this kernel leaves out (fault injection, {@link l4smp.kernel.RemovedFix}):
     * an abstraction checks its run against the spec with the same fixes left out.
     */
    java.util.Set<l4smp.kernel.RemovedFix> removedFixes();
}
