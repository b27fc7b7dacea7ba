package l4smp.refine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.CpuView;
import l4smp.kernel.observe.IpcView;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.MailboxView;
import l4smp.kernel.observe.ProxyView;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * The kernel's state after one atomic step, as much of the live {@link KernelView} as the specs'
 * abstraction functions read, frozen: the view itself changes with the next step.
 *
 * @param threads   every thread that exists, by id
 * @param cpus      each CPU's dispatcher data and APIC, by CPU number
 * @param proxies   every proxy thread
 * @param mailboxes every IPC mailbox, by id
 * @param opMailboxes every operation mailbox, by id
 * @param migration the ready lists and the migration machinery
 * @param gone      the TCBs of deleted threads, by the ids they had ({@link KernelView#gone})
 */
public record KernelSnapshot(Map<ThreadId, ThreadSnap> threads, List<CpuSnap> cpus, List<ProxyView> proxies,
                             List<MailboxView> mailboxes, List<l4smp.kernel.observe.OpMailboxView> opMailboxes,
                             MigrationSnapshot migration, Map<ThreadId, ThreadSnap> gone) {
    /** The codes lthread_ex_regs ends an IPC with (§8.4.3). */
    static final java.util.Set<CompletionCode> ABORT_CODES = java.util.Set.copyOf(java.util.EnumSet.of(
            CompletionCode.SEND_CANCELED, CompletionCode.RECEIVE_CANCELED, CompletionCode.SEND_ABORTED,
            CompletionCode.RECEIVE_ABORTED));
    /** The codes of a page fault during a copy that outlasted its timeout (§8.4.2). */
    static final java.util.Set<CompletionCode> PF_TIMEOUT_CODES = java.util.Set.copyOf(java.util.EnumSet.of(
            CompletionCode.SEND_SND_PF_TIMEOUT, CompletionCode.RECEIVE_SND_PF_TIMEOUT, CompletionCode.SEND_RCV_PF_TIMEOUT,
            CompletionCode.RECEIVE_RCV_PF_TIMEOUT));

    /** One thread's TCB, as {@link ThreadView} shows it. */
    public record ThreadSnap(ThreadId id, ThreadState state, ThreadId partner, int cpu, List<ThreadId> sendQueue,
                             long wakeupTime, IpcView ipc, IpcView lastIpc, int ipcCount, ThreadId proxy,
                             CompletionCode completion, CompletionCode xpCc, List<Integer> mailboxes,
                             boolean waitsForMailbox, Resume resume, boolean cancelAtXpReturn) {
        /** A receiver its sender has transferred to, that has not yet returned (§8.3.2's locked receiver). */
        public boolean holdsDelivery() {
            return state == ThreadState.LOCKED_WAITING && ipc != null && ipc.delivered() && !endedByError();
        }

        /**
         * An IPC that an abort or a transfer error ended (its code decided, §8.4.3), whose thread
         * has not yet run its return: for the specs, the IPC is over.
         */
        public boolean endedByError() {
            return ipc != null && (ABORT_CODES.contains(ipc.code()) || PF_TIMEOUT_CODES.contains(ipc.code()));
        }
    }

    /** One CPU's wakeup queue and trigger IPI state. */
    public record CpuSnap(int id, ThreadId current, List<ThreadId> wakeupQueue, boolean ipiPending, int ipiSlotsHeld,
                          int stalledOn) {
    }

    public static KernelSnapshot of(KernelView view) {
        Map<ThreadId, ThreadSnap> threads = snaps(view.threads());
        List<CpuSnap> cpus = new ArrayList<>();
        for (int c = 0; c < view.cpuCount(); c++) {
            CpuView cpu = view.cpu(c);
            cpus.add(new CpuSnap(c, cpu.current(), List.copyOf(cpu.wakeupQueue()), cpu.ipiPending(), cpu.ipiSlotsHeld(),
                    cpu.stalledOn()));
        }
        return new KernelSnapshot(threads, cpus, List.copyOf(view.proxies()), List.copyOf(view.mailboxes()),
                List.copyOf(view.opMailboxes()), MigrationSnapshot.of(view), snaps(view.gone()));
    }

    private static Map<ThreadId, ThreadSnap> snaps(List<ThreadView> views) {
        Map<ThreadId, ThreadSnap> threads = new LinkedHashMap<>();
        for (ThreadView t : views) {
            threads.put(t.id(), new ThreadSnap(t.id(), t.state(), t.partner(), t.cpu(), List.copyOf(t.sendQueue()),
                    t.wakeupTime(), t.ipc(), t.lastIpc(), t.ipcCount(), t.proxy() == null ? ThreadId.NIL : t.proxy().id(),
                    t.completion(), t.xpCc(), List.copyOf(t.mailboxes()), t.waitsForMailbox(), t.resume(),
                    t.cancelAtXpReturn()));
        }
        return threads;
    }

    public ThreadSnap thread(ThreadId id) {
        return threads.get(id);
    }

    /** The proxy with kernel id {@code id}, or null. */
    public ProxyView proxy(ThreadId id) {
        for (ProxyView p : proxies) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    /** The mailbox carrying {@code sender}'s cross-processor send or its reply, or null. */
    public MailboxView mailboxOf(ThreadId sender) {
        for (MailboxView m : mailboxes) {
            if (!m.kind().equals("free") && m.sender().equals(sender)) {
                return m;
            }
        }
        return null;
    }
}
