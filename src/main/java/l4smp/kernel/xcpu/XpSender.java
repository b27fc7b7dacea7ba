package l4smp.kernel.xcpu;

import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
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
        m.setUpSend(local.cpu(), a, to.myself(), ipc.sendDescriptor(), ipc.sendTimeout(),
                new int[] {ipc.word(0), ipc.word(1), ipc.word(2)}, proxy.tcb(), to.cpu());
        m.unlock(local.cpu());
        kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        a.proxy(proxy);
        a.xpCc(CompletionCode.NONE);
        xcpu.flags().trigger(local, m);
        local.wakeupQueue().dequeue(a);
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
        kernel.step().segment(PathSegment.XCPU_XP_RETURN);
        while (a.firstMailbox() != null) {
            IpcMailbox m = xcpu.unhookFirst(local, a);
            m.lock(local.cpu());
            xcpu.pool().free(local, m);
            m.unlock(local.cpu());
        }
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
}
