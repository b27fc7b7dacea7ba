package l4smp.kernel.xcpu;

import l4smp.hw.mem.Access;
import l4smp.hw.mem.PageFault;
import l4smp.kernel.Kernel;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.TimerTick;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * The sender's side of a cross-processor IPC (§8.3.5, §8.4.1): the send path's XP branch up to
 * {@code switchTo(Anyone)}, and {@code XP_RETURN} when the reply mailbox has come back.
 */
public final class XpSender {
    private final Kernel kernel;
    private final CrossProcessor xcpu;

    XpSender(Kernel kernel, CrossProcessor xcpu) {
        this.kernel = kernel;
        this.xcpu = xcpu;
    }

    /**
     * The send path once it found B on another CPU:
     * <pre>
     * ipc proxy = get ipc proxy (from TCB.cpu, to TCB.cpu)
     * ipc mailbox = get ipc mailbox (from TCB.cpu, to TCB.cpu, A, ipc proxy)
     * write ipc data to mailbox
     * from TCB.proxy = ipc proxy
     * trigger mailbox
     * from TCB.timeout = NEVER
     * from TCB.state = locked waiting
     * switchTo(Anyone)</pre>
     * The sender is in no wakeup queue while the proxy works: the proxy waits with its timeout.
     * The send path asked first that a mailbox be free ({@link CrossProcessor#awaitMailbox}).
     */
    public void send(ProcessorData local, Tcb a, Tcb to, IpcState ipc) {
        ProxyThread proxy = xcpu.proxies().of(local.id(), to.cpu());
        IpcMailbox m = xcpu.pool().findAndLock(local);
        if (m == null) {
            throw new IllegalStateException("send path invariant violated: " + a + " began a cross-processor send "
                    + "without a free mailbox (SendPath.mayBegin)");
        }
        kernel.step().segment(PathSegment.XCPU_SEND);
        xcpu.countSend();
        m.setUpSend(local.cpu(), a, to.myself(), ipc.sendDescriptor(), ipc.sendTimeout(), ipc.receivePageFaultTimeout(),
                new int[] {ipc.word(0), ipc.word(1), ipc.word(2)}, proxy.tcb(), to.cpu());
        m.unlock(local.cpu());
        kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        a.proxy(proxy);
        a.xpCc(CompletionCode.NONE);
        xcpu.flags().trigger(local, m);
        if (kernel.config().removed(RemovedFix.SENDER_TIMEOUT_NEVER) && ipc.sendTimeout().isFinite()) {
            // fault injection: A keeps its own send timeout, and its timer may end the IPC its proxy works on
            local.wakeupQueue().enqueue(a, TimerTick.deadline(local, ipc.sendTimeout().cycles()));
        } else {
            local.wakeupQueue().dequeue(a);
        }
        kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
        a.state(ThreadState.LOCKED_WAITING);
        a.resume(Resume.XP_RETURN);
        ipc.crossed(true);
        kernel.threadSwitch().switchTo(local, null);
    }

    /**
     * The sender runs again, its reply in its mailbox list (§8.4.1 and the send path's end):
     * <pre>
     * XP RETURN: free and release all mailboxes in the sender's mailbox list
     * if some error occurred then returnIPC (error message) endif
     * if not isReceive() then
     *     from TCB.state = ready; enqueueReadyList (A)
     *     returnIPC ("message successfully transmitted")
     * endif
     * // the receive phase of call and reply-and-wait</pre>
     */
    public void xpReturn(ProcessorData local, Tcb a) {
        IpcMailbox first = a.firstMailbox();
        if (first != null && first.kind() == IpcMailbox.Kind.XP_REDO_FAULT) {
            redoFault(local, a, first);
            return;
        }
        kernel.step().segment(PathSegment.XCPU_XP_RETURN);
        java.util.List<Integer> freed = new java.util.ArrayList<>();
        while (a.firstMailbox() != null) {
            IpcMailbox m = xcpu.unhookFirst(local, a);
            freed.add(m.id());
            m.lock(local.cpu());
            xcpu.pool().free(local, m);
            m.unlock(local.cpu());
        }
        xcpu.operationsDone(local, freed);
        CompletionCode code = a.xpCc();
        a.xpCc(CompletionCode.NONE);
        IpcState ipc = a.ipc();
        kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
        a.state(ThreadState.RUNNING);
        if (a.cancelAtXpReturn() && code == CompletionCode.OK && ipc.op().hasReceivePhase()) {
            code = CompletionCode.RECEIVE_CANCELED;
        }
        a.cancelAtXpReturn(false);
        if (code != CompletionCode.OK) {
            kernel.ipcReturn().abort(local, a, code);
        } else if (ipc.op().hasReceivePhase()) {
            kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
            a.partner(ThreadId.NIL);
            kernel.receivePath().start(local, a);
        } else {
            kernel.ipcReturn().complete(local, a);
        }
    }

    /**
     * The proxy's copy of {@code a}'s long message faulted in {@code a}'s space (§8.4.2): "The
     * sender when being activated generates a pagefault in its address space of the appropriate
     * type by touching the same location." If the page is there now, it answers at once; else its
     * pager is called, bounded by the receiver's send page-fault timeout, and it answers when that
     * IPC ends ({@link #faultAnswered}). An IPC lthread_ex_regs ended meanwhile answers "aborted".
     */
    private void redoFault(ProcessorData local, Tcb a, IpcMailbox m) {
        kernel.step().segment(PathSegment.XCPU_REDO_FAULT, a);
        m.readParameters(local.cpu());
        kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
        a.state(ThreadState.RUNNING);
        if (a.cancelAtXpReturn() || m.answer() == IpcMailbox.Answer.ABORTED) {
            a.cancelAtXpReturn(false);
            hold(local, a, m);
            answer(local, a, IpcMailbox.Answer.ABORTED);
            return;
        }
        a.fault(m.faultAddress(), m.faultWrite());
        try {
            local.cpu().touchVirtual(m.faultAddress(), m.faultWrite() ? Access.WRITE : Access.READ);
        } catch (PageFault fault) {
            if (!kernel.sendPath().mayBegin(local, a, a.pager())) {
                return; // no mailbox for the page-fault IPC: it redoes this when one is free
            }
            hold(local, a, m);
            kernel.pageFaults().transferFault(local, a, IpcState.Origin.SENDER_TRANSFER_FAULT, m.faultTimeout());
            return;
        }
        hold(local, a, m);
        answer(local, a, IpcMailbox.Answer.RESOLVED);
    }

    /** The sender takes the request out of its list and holds it while it answers. */
    private void hold(ProcessorData local, Tcb a, IpcMailbox m) {
        xcpu.unhook(local, a, m);
        a.redoFault(m);
    }

    /**
     * The page-fault IPC that {@code a} made for its proxy's copy ended (its interrupted XP send is
     * back in place): resolved if the pager answered, aborted if lthread_ex_regs canceled it, else
     * failed.
     */
    public void faultAnswered(ProcessorData local, Tcb a, CompletionCode pageFault) {
        IpcMailbox.Answer answer = switch (pageFault) {
            case OK -> IpcMailbox.Answer.RESOLVED;
            case SEND_CANCELED, RECEIVE_CANCELED, SEND_ABORTED, RECEIVE_ABORTED -> IpcMailbox.Answer.ABORTED;
            default -> IpcMailbox.Answer.FAILED;
        };
        if (answer == IpcMailbox.Answer.FAILED) {
            kernel.statistics().failedPageFault(a.myself());
        }
        answer(local, a, answer);
    }

    /**
     * "the sender reactivates the proxy at the interrupted position": the same mailbox goes back to
     * the proxy with the answer, and {@code a} waits for its reply again.
     */
    public void answer(ProcessorData local, Tcb a, IpcMailbox.Answer answer) {
        sendAnswer(local, a, answer);
        local.wakeupQueue().dequeue(a);
        kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
        a.state(ThreadState.LOCKED_WAITING);
        a.resume(Resume.XP_RETURN);
        if (local.current() == a) {
            kernel.threadSwitch().switchTo(local, null);
        }
    }

    /**
     * The receiver's side ended (§8.4.3) while {@code a} redoes a fault for the copy: its
     * page-fault IPC, nested in the send, is dropped, and the proxy learns the send is aborted
     * (as IpcAbort ends a local sender's nested fault with its receiver's abort).
     */
    void redoAborted(ProcessorData local, Tcb a) {
        kernel.checkLocal(local, a);
        if (a.resume() == Resume.XP_RETURN) {
            // its page-fault IPC is itself with a proxy on the pager's CPU: it ends when that reply is back
            a.cancelAtXpReturn(true);
            return;
        }
        kernel.ipcAbort().dropNestedFault(local, a);
        answer(local, a, IpcMailbox.Answer.ABORTED);
    }

    /**
     * {@code a} dies: if its proxy's copy waits for it to redo a fault, the proxy learns its IPC is
     * aborted; a reply check_n_ack has linked to it already (it is runnable at XP_RETURN) is freed,
     * as XP_RETURN would have (one still on its way is freed when it arrives).
     */
    public void abandon(ProcessorData local, Tcb a) {
        if (a.redoFault() != null) {
            sendAnswer(local, a, IpcMailbox.Answer.ABORTED);
        }
        while (a.firstMailbox() != null && a.firstMailbox().kind() == IpcMailbox.Kind.XP_REPLY) {
            IpcMailbox m = xcpu.unhookFirst(local, a);
            m.lock(local.cpu());
            xcpu.pool().free(local, m);
            m.unlock(local.cpu());
        }
    }

    private void sendAnswer(ProcessorData local, Tcb a, IpcMailbox.Answer answer) {
        kernel.step().segment(PathSegment.XCPU_FAULT_ANSWER, a);
        IpcMailbox m = a.redoFault();
        a.redoFault(null);
        m.lock(local.cpu());
        m.setUpContinue(local.cpu(), answer);
        m.unlock(local.cpu());
        kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        a.proxy(m.proxy().asProxy());
        xcpu.flags().trigger(local, m);
    }
}
