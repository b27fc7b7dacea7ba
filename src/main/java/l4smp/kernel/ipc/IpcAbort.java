package l4smp.kernel.ipc;

import l4smp.kernel.Kernel;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * Ending IPCs from outside: lthread_ex_regs "aborts an ongoing IPC of the target" (the issue;
 * §8.4.3 discusses the cross-processor case), and a thread that dies leaves its partners waiting
 * for nothing. An IPC still waiting for its partner (polling or waiting) is canceled; one being
 * transmitted (its partners locked) is aborted for both partners; the codes say which phase.
 */
public final class IpcAbort {
    private final Kernel kernel;

    public IpcAbort(Kernel kernel) {
        this.kernel = kernel;
    }

    /** lthread_ex_regs on {@code t}: cancel or abort whatever IPC it is in; it returns from it with the code. */
    public void exRegs(ProcessorData local, Tcb t) {
        kernel.checkLocal(local, t);
        boolean waitedForMailbox = t.waitsForMailbox();
        kernel.xcpu().pool().release(local, t);
        if (t.ipc() == null || (t.outerIpc() == null && t.ipc().phase() == IpcState.Phase.DONE)) {
            return;
        }
        if (t.resume() == Resume.XP_RETURN) {
            // its request is with a proxy on another CPU: it ends when the reply is back (§8.4.3);
            // a request to redo a fault it holds is answered "aborted" when it runs
            t.cancelAtXpReturn(true);
            if (waitedForMailbox) {
                makeReady(local, t);
            }
            return;
        }
        if (t.outerIpc() != null || t.state().isLocked()) {
            abortTransfer(local, t, false);
            return;
        }
        if (t.state() == ThreadState.POLLING || t.state() == ThreadState.WAITING) {
            kernel.step().segment(PathSegment.IPC_CANCEL);
            IpcState ipc = t.ipc();
            unwind(local, t);
            ipc.code(ipc.phase() == IpcState.Phase.SEND ? CompletionCode.SEND_CANCELED : CompletionCode.RECEIVE_CANCELED);
            makeReady(local, t);
            kernel.ipcReturn().complete(local, t, false);
        }
    }

    /**
     * The CPU whose proxy holds {@code t}'s cross-processor send, which lthread_ex_regs must unwind
     * there (§8.4.3), or -1: t is in no such send, or its reply is on its way back.
     */
    public int unwindCpu(Tcb t) {
        if (t.resume() != Resume.XP_RETURN || t.firstMailbox() != null) {
            return -1;
        }
        var m = kernel.xcpu().requestOf(kernel.processor(t.cpu()), t);
        return m == null || m.kind() != l4smp.kernel.xcpu.IpcMailbox.Kind.XP_SEND ? -1 : m.targetCpu();
    }

    /** {@code t} dies: its IPC ends (a transfer is aborted for its partner), and those waiting for it learn it does not exist. */
    public void threadGone(ProcessorData local, Tcb t) {
        // Nothing of t's IPC to end on this CPU: a cross-processor sender's request is with a proxy on
        // another CPU, whose part of the deletion gives it up there (§8.4.3; t returns from nothing,
        // its reply is freed when it comes back); a receiver whose message has arrived is past its
        // transfer, and its sender may be in another IPC by now (as for lthread_ex_regs, exRegs)
        boolean nothingHere = t.outerIpc() == null
                && (t.resume() == Resume.XP_RETURN || t.ipc() != null && t.ipc().phase() == IpcState.Phase.DONE);
        if (!nothingHere && (t.outerIpc() != null || (t.ipc() != null && t.state().isLocked()))) {
            abortTransfer(local, t, true);
        } else if (!nothingHere && t.ipc() != null) {
            unwind(local, t);
        }
        kernel.xcpu().sender().abandon(local, t);
        t.ipc(null);
        t.outerIpc(null);
        for (Tcb sender : SendQueue.members(t)) {
            if (sender.cpu() != local.id()) {
                // a remote sender's proxy polls here for t, holding its request (§8.3.5)
                kernel.xcpu().proxyPath().receiverGone(local, sender.proxy());
                continue;
            }
            unwind(local, sender);
            sender.ipc().code(CompletionCode.NOT_EXISTENT);
            makeReady(local, sender);
            kernel.ipcReturn().complete(local, sender, false);
        }
        tellWaiters(local, t.myself());
        kernel.interruptThreads().detach(t);
        local.readyList().remove(t);
    }

    /** The threads of this CPU that wait in a closed receive from {@code gone} learn it does not exist. */
    public void tellWaiters(ProcessorData local, ThreadId gone) {
        for (Tcb other : kernel.tcbs().all()) {
            if (other.exists() && other.cpu() == local.id() && other.state() == ThreadState.WAITING
                    && other.partner().equals(gone) && other.ipc() != null) {
                unwind(local, other);
                other.ipc().code(CompletionCode.NOT_EXISTENT);
                makeReady(local, other);
                kernel.ipcReturn().complete(local, other, false);
            }
        }
    }

    /**
     * Aborts the transfer {@code t} is locked in, for both partners (send_aborted, receive_aborted);
     * a nested page-fault IPC of either partner is dropped first.
     */
    private void abortTransfer(ProcessorData local, Tcb t, boolean dying) {
        kernel.step().segment(PathSegment.IPC_ABORT);
        if (t.redoFault() != null) {
            // its proxy's copy waits for it to redo a fault (§8.4.2): the proxy aborts the transfer
            dropNested(local, t);
            if (!dying) {
                kernel.xcpu().sender().answer(local, t, l4smp.kernel.xcpu.IpcMailbox.Answer.ABORTED);
            }
            return;
        }
        IpcState mine = t.outerIpc() != null ? t.outerIpc() : t.ipc();
        Tcb other = kernel.tcbs().present(mine.peer());
        if (other != null && other.cpu() != local.id()) {
            // a proxy of this CPU copies other's long message to t (§8.4.2, §8.4.3)
            dropNested(local, t);
            finishAborted(local, t, CompletionCode.RECEIVE_ABORTED);
            kernel.xcpu().proxyPath().receiverAborted(local, t);
            return;
        }
        dropNested(local, t);
        if (other != null) {
            kernel.checkLocal(local, other);
            dropNested(local, other);
        }
        Tcb sender = mine.phase() == IpcState.Phase.SEND ? t : other;
        Tcb receiver = sender == t ? other : t;
        if (sender != null) {
            CommSpace.close(kernel, local, sender);
            sender.ipc().transfer(null);
            finishAborted(local, sender, CompletionCode.SEND_ABORTED);
        }
        if (receiver != null) {
            finishAborted(local, receiver, CompletionCode.RECEIVE_ABORTED);
        }
    }

    private void finishAborted(ProcessorData local, Tcb x, CompletionCode code) {
        x.ipc().code(code);
        makeReady(local, x);
        kernel.ipcReturn().complete(local, x, false);
    }

    /** Drops a page-fault IPC nested in {@code x}'s transfer, if there is one (a proxy aborts that transfer, §8.4.3). */
    public void dropNestedFault(ProcessorData local, Tcb x) {
        dropNested(local, x);
    }

    /**
     * Leaves a nested page-fault IPC: out of the pager's send queue and the wakeup queue, and the
     * interrupted IPC is back. If the pager was in the middle of a long reply to {@code x}, that
     * transfer is aborted too.
     */
    private void dropNested(ProcessorData local, Tcb x) {
        if (x.outerIpc() == null) {
            return;
        }
        IpcState inner = x.ipc();
        if (inner != null && inner != x.outerIpc() && x.state().isLocked()) {
            Tcb pager = kernel.tcbs().present(inner.peer());
            if (pager != null && pager.ipc() != null && pager.ipc().transfer() != null) {
                CommSpace.close(kernel, local, pager);
                pager.ipc().transfer(null);
                finishAborted(local, pager, CompletionCode.SEND_ABORTED);
            }
        }
        unwind(local, x);
        x.ipc(x.outerIpc());
        x.outerIpc(null);
        if (x.redoFault() != null) {
            x.partner(x.ipc().partnerId()); // as TransmitPath.senderFaultDone: the fault's IPC used the field
        }
    }

    /** Out of the send queue it polls in and out of the wakeup queue. */
    private void unwind(ProcessorData local, Tcb x) {
        SendQueue.dequeue(kernel, local, x);
        local.wakeupQueue().dequeue(x);
    }

    private void makeReady(ProcessorData local, Tcb x) {
        x.state(local.current() == x ? ThreadState.RUNNING : ThreadState.READY);
        x.partner(ThreadId.NIL);
        local.readyList().enqueue(x);
    }
}
