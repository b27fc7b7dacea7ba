package l4smp.refine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.observe.IpcView;
import l4smp.kernel.thread.ThreadId;
import l4smp.refine.KernelSnapshot.ThreadSnap;
import l4smp.trace.TlaValue;

/**
 * What the specs' history variables remember of a kernel run, step by step: the IPCs each thread
 * began that the specs see, their messages, who returned them, the codes they ended with.
 *
 * <p>The specs see IPC between the run's threads. A receive from nil (sleeping until a timeout)
 * or from an interrupt, an IPC to a thread that does not exist, and a page fault's IPC to its
 * pager (§8.4.2; pagers are no threads of the specs, {@link RunSurvey#threads}) are hidden: the
 * thread looks as if it were in user mode, and its IPC count and completion code are those of the
 * IPCs the specs see. A page fault inside a long IPC nests its IPC in the long one; once it is
 * answered the thread is back in the IPC the specs see.
 */
final class IpcHistory {
    /** One thread's history. */
    static final class Seen {
        int ipcs;
        CompletionCode code = CompletionCode.NONE;
        boolean hiddenNow;
        /** The IPCs it began that the specs see, in order. */
        final List<IpcView> begun = new ArrayList<>();
        /** The codes of those that ended; a transferred message counts as ended (ok) when it arrives. */
        final List<CompletionCode> ended = new ArrayList<>();
        boolean deliveryCounted;
    }

    private final TlaNames names;
    private final java.util.Set<ThreadId> threads;
    private final Map<ThreadId, Seen> seen = new HashMap<>();
    private final Map<TlaValue, TlaValue> sentTo = new HashMap<>();
    private final Map<TlaValue, List<TlaValue>> rcvdBy = new HashMap<>();
    private final Map<ThreadId, TlaValue> inbox = new HashMap<>();

    IpcHistory(TlaNames names, List<ThreadId> threads) {
        this.names = names;
        this.threads = new java.util.HashSet<>(threads);
    }

    /** Takes in one step: {@code before} and {@code after} are the kernel's states around it. */
    void step(KernelSnapshot before, KernelSnapshot after) {
        // IPCs begun first: a message transferred in the same step is named by its sender's new count
        for (ThreadSnap t : after.threads().values()) {
            if (!threads.contains(t.id())) {
                continue; // a pager, or a thread that exists only in the kernel's view
            }
            ThreadSnap old = before.thread(t.id());
            Seen h = of(t.id());
            if (t.ipcCount() > (old == null ? 0 : old.ipcCount()) && t.lastIpc() != null) {
                h.hiddenNow = !visible(t.lastIpc());
                if (!h.hiddenNow) {
                    h.ipcs++;
                    h.begun.add(t.lastIpc());
                    h.deliveryCounted = false;
                    if (t.lastIpc().op().hasSendPhase()) {
                        sentTo.put(names.message(t.id(), h.ipcs), names.thread(t.lastIpc().dest()));
                    }
                }
            }
        }
        for (ThreadSnap t : after.threads().values()) {
            if (!threads.contains(t.id())) {
                continue;
            }
            ThreadSnap old = before.thread(t.id());
            Seen h = of(t.id());
            int oldCount = old == null ? 0 : old.ipcCount();
            boolean held = old != null && old.holdsDelivery();
            if (t.holdsDelivery() && !held && !hidden(t)) {
                ThreadId from = t.ipc().receivedFrom();
                inbox.put(t.id(), names.message(from, of(from).ipcs));
                h.ended.add(CompletionCode.OK);
                h.deliveryCounted = true;
            } else if (held && !t.holdsDelivery()) {
                TlaValue m = inbox.remove(t.id());
                if (t.ipc() == null && t.completion() == CompletionCode.OK && m != null) {
                    rcvdBy.computeIfAbsent(m, k -> new ArrayList<>())
                            .add(TlaValue.rec("by", names.thread(t.id()), "from", names.thread(old.partner())));
                }
            }
            boolean ended = old != null && live(old) && !live(t) || (t.ipcCount() > oldCount && !live(t));
            IpcView which = old != null && old.ipc() != null ? old.ipc() : t.lastIpc();
            if (ended && which != null && visible(which)) {
                h.code = t.endedByError() ? t.ipc().code() : t.completion();
                if (!h.deliveryCounted) {
                    h.ended.add(h.code);
                }
                h.deliveryCounted = false;
            }
        }
    }

    private boolean visible(IpcView ipc) {
        return visible(ipc, threads);
    }

    /** An IPC between threads of the run, {@code threads} (an open receive: from any of them). */
    static boolean visible(IpcView ipc, java.util.Collection<ThreadId> threads) {
        if (ipc.op() == IpcOp.OPEN_RECEIVE) {
            return true;
        }
        return !ipc.pageFault() && !ipc.dest().isNil() && threads.contains(ipc.dest())
                && !(ipc.code() == CompletionCode.NOT_EXISTENT && ipc.op().hasSendPhase());
    }

    Seen of(ThreadId t) {
        return seen.computeIfAbsent(t, k -> new Seen());
    }

    /**
     * Whether t is inside an IPC the specs do not see: it looks as if it were in user mode. The
     * kernel shows the IPC a page fault interrupted ({@code Tcb.outerIpc}) as t's IPC while the
     * fault's IPC runs: t is inside that one.
     */
    boolean hidden(ThreadSnap t) {
        return t != null && t.ipc() != null && !visible(t.ipc());
    }

    /** Whether t is inside an IPC the specs see. */
    boolean inIpc(ThreadSnap t) {
        return live(t) && !hidden(t);
    }

    /** In an IPC that has not ended: an aborted one is over once its code is decided ({@link ThreadSnap#endedByError}). */
    private static boolean live(ThreadSnap t) {
        return t != null && t.ipc() != null && !t.endedByError();
    }

    TlaValue sentTo(TlaValue message) {
        return sentTo.getOrDefault(message, TlaNames.NIL);
    }

    List<TlaValue> receipts(TlaValue message) {
        return rcvdBy.getOrDefault(message, List.of());
    }

    /** The message a receiver holds: transferred to it, not yet returned. */
    TlaValue inbox(ThreadId t) {
        return inbox.get(t);
    }
}
