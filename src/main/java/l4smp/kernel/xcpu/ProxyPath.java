package l4smp.kernel.xcpu;

import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.ipc.CommSpace;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.ipc.SendQueue;
import l4smp.kernel.ipc.Timeout;
import l4smp.kernel.ipc.TransmitPath;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.TimerTick;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * What a proxy thread does on its CPU (§8.3.5 "xp send path", §8.4, §8.4.1 "wakeup sender"). Each
 * method is one atomic kernel step: taking the next mailbox and running {@code xp_send_path} up to
 * its switch, the transfer after the receiver activated the proxy, the send timeout, sleeping.
 */
public final class ProxyPath {
    private final Kernel kernel;
    private final CrossProcessor xcpu;

    ProxyPath(Kernel kernel, CrossProcessor xcpu) {
        this.kernel = kernel;
        this.xcpu = xcpu;
    }

    /**
     * The proxy between operations: "when activated and no operation currently in work takes the
     * first mailbox, performs its operation and deletes this box from its queue. If the list is
     * empty, the proxy sleeps until being woken up by the checking procedure" (§8.3.4).
     */
    public void run(ProcessorData local, ProxyThread p) {
        if (p.current() != null) {
            continueAfterSender(local, p, p.current());
            return;
        }
        IpcMailbox m = p.tcb().firstMailbox();
        if (m == null) {
            kernel.step().segment(PathSegment.PROXY_SLEEP, p.tcb());
            kernel.touch(local, p.tcb(), TcbLine.IPC, Access.WRITE);
            p.tcb().state(ThreadState.WAITING);
            kernel.threadSwitch().switchTo(local, null);
            return;
        }
        xpSendPath(local, p, m);
    }

    /**
     * <pre>
     * xp send path (from TCB, B, snd desc, ipc timeout)
     *     // Check again if destination exists
     *     if not exists(toTCB) or to TCB.myself != B then wakeup sender ("target does not exist") endif
     *     from TCB.partner = B
     *     proxy.partner = B
     *     if B is not waiting or not for me or open then
     *         enqueueWakeup (Proxy with A's send timeout)
     *         to TCB.enqueueSendQ (A)
     *         proxy.state = polling
     *         switchTo(B)
     *         ...
     *     endif
     *     // At this point, B is ready to receive from A</pre>
     * "Whom to enter into the send queue???": the sender, as the thesis concludes. A send timeout of
     * 0 gives up at once, as in the uniprocessor path.
     *
     * <p>One addition: if B is itself a cross-processor sender whose reply has come back (it is
     * runnable at XP_RETURN), the proxy first lets B finish its send, by switching to it, and
     * tries again afterwards. B may be about to enter the receive phase of a call to A; without
     * this, a reply with send timeout 0 that arrives together with B's own reply fails, although
     * B was never outside its call (the XpIpcCallNotAtomic witness of docs/specs.md).
     */
    private void xpSendPath(ProcessorData local, ProxyThread p, IpcMailbox m) {
        Tcb a = m.sender();
        p.current(m);
        m.takenBy(local.cpu(), p.tcb());
        m.readParameters(local.cpu());
        Tcb to = kernel.tcbs().find(m.dest(), local.cpu());
        if (to == null || to.state() == ThreadState.DEAD) {
            kernel.step().segment(PathSegment.PROXY_NOT_EXISTENT, a);
            wakeupSender(local, p, m, CompletionCode.NOT_EXISTENT);
            return;
        }
        kernel.checkLocal(local, to);
        kernel.touch(local, to, TcbLine.IPC, Access.READ);
        if (finishesItsSendFirst(to, a)) {
            kernel.step().segment(PathSegment.PROXY_YIELD, a);
            p.current(null);
            xcpu.countYield();
            local.readyList().enqueue(p.tcb());
            kernel.threadSwitch().switchTo(local, to);
            return;
        }
        kernel.step().segment(PathSegment.PROXY_XP_SEND, a);
        kernel.charge(local, PathCosts.SEND_PATH);
        kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        a.partner(to.myself());
        a.proxy(p);
        kernel.touch(local, p.tcb(), TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        p.tcb().partner(to.myself());
        if (kernel.sendPath().waitsFor(to, a)) {
            deliver(local, p, m, to);
            return;
        }
        Timeout timeout = m.timeout();
        if (timeout.isZero()) {
            kernel.step().segment(PathSegment.PROXY_SEND_TIMEOUT, a);
            wakeupSender(local, p, m, CompletionCode.SEND_TIMEOUT);
            return;
        }
        kernel.step().segment(PathSegment.PROXY_POLL, a);
        if (timeout.isFinite()) {
            local.wakeupQueue().enqueue(p.tcb(), TimerTick.deadline(local, timeout.cycles()));
        }
        SendQueue.enqueue(kernel, local, to, a);
        kernel.touch(local, p.tcb(), TcbLine.IPC, Access.WRITE);
        // fault injection (RemovedFix.PROXY_POLLS): the proxy waits, and the receive path's check passes it by
        p.tcb().state(kernel.config().removed(RemovedFix.PROXY_POLLS) ? ThreadState.WAITING : ThreadState.POLLING);
        p.tcb().resume(Resume.PROXY_ACTIVATED);
        handOver(local, p);
        kernel.threadSwitch().switchToPreferring(local, to);
    }

    /** B's own XP send has succeeded, and its receive phase, not yet begun, would accept A. */
    private static boolean finishesItsSendFirst(Tcb b, Tcb a) {
        IpcState ipc = b.ipc();
        return b.resume() == Resume.XP_RETURN && b.firstMailbox() != null && b.state().isRunnable()
                && b.xpCc() == CompletionCode.OK && ipc != null && ipc.op().hasReceivePhase()
                && (ipc.op().receivesOpen() || ipc.partnerId().equals(a.myself()));
    }

    /**
     * The proxy runs again after {@code switchTo(B)}: B's receive path found it polling for B and
     * set it locked_running ("A's proxy was ready to send to B"). {@code dequeueWakeup(proxy)},
     * then the transfer.
     */
    public void activated(ProcessorData local, ProxyThread p) {
        IpcMailbox m = p.current();
        Tcb a = m.sender();
        kernel.step().segment(PathSegment.PROXY_ACTIVATED, a);
        local.wakeupQueue().dequeue(p.tcb());
        Tcb to = kernel.tcbs().present(m.dest());
        if (to == null || to.state() != ThreadState.LOCKED_WAITING || to.ipc() == null
                || to.ipc().phase() != IpcState.Phase.RECEIVE) {
            // lthread_ex_regs aborted the receiver after it activated the proxy
            wakeupSender(local, p, m, CompletionCode.SEND_ABORTED);
            return;
        }
        kernel.checkLocal(local, to);
        deliver(local, p, m, to);
    }

    /**
     * <pre>
     * proxy.state = locked running
     * to TCB.state = locked waiting
     * enqueueReadyList (proxy)
     * transmitMessage ()
     * to TCB.partner = A
     * if error in the transmit phase then wakeup sender ("transmission error") endif
     * from TCB.proxy = NULL
     * wakeup sender ("Message successfully transmitted")</pre>
     * B stays locked_waiting until its own continuation returns from the receive (§8.3.2); the
     * proxy's locked_running lasts only this step.
     */
    private void deliver(ProcessorData local, ProxyThread p, IpcMailbox m, Tcb to) {
        Tcb a = m.sender();
        kernel.step().segment(PathSegment.PROXY_TRANSFER, a);
        kernel.touch(local, to, TcbLine.IPC, Access.WRITE);
        to.state(ThreadState.LOCKED_WAITING);
        IpcState receiving = to.ipc();
        receiving.peer(a.myself());
        m.readParameters(local.cpu());
        kernel.touch(local, to, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        to.partner(a.myself());
        receiving.crossed(true);
        to.resume(Resume.RECEIVE_BLOCKED);
        int[] words = {m.word(0), m.word(1), m.word(2)};
        if (!kernel.transmitPath().isShort(m.sendDescriptor(), to)) {
            m.transfer(kernel.transmitPath().startRemote(local, a, m.sendDescriptor(), words, to));
            startCopy(local, p, m);
            return;
        }
        CompletionCode[] codes = kernel.transmitPath().transmitFromMailbox(local, a, m.sendDescriptor(), words, to);
        receiving.code(codes[1]);
        receiving.phase(IpcState.Phase.DONE);
        local.readyList().enqueue(to);
        wakeupSender(local, p, m, codes[0]);
    }

    /**
     * A long message (§8.4.2): "Before starting the copy, the proxy switches the user space (Note
     * the proxy itself has no address space but runs inside the kernel, only) to the sender's
     * space." The proxy is the copier, locked_running as a local sender would be; the copy goes on
     * in steps with interrupts enabled.
     */
    private void startCopy(ProcessorData local, ProxyThread p, IpcMailbox m) {
        Tcb proxy = p.tcb();
        p.space(m.sender().space());
        local.cpu().loadCr3(p.space().directory());
        kernel.touch(local, proxy, TcbLine.IPC, Access.WRITE);
        proxy.state(ThreadState.LOCKED_RUNNING);
        proxy.resume(Resume.PROXY_COPY);
        copy(local, p);
    }

    /**
     * One step of the proxy's copy. A fault in the receiver's space is translated to the receiver's
     * context as on one CPU ({@code TransmitPath}); one in the sender's space goes back to the
     * sender: "the proxy has to restart the sender, not with an empty operation, but with a
     * request for redoing this pagefault" (§8.4.2), and the proxy waits for its answer.
     */
    public void copy(ProcessorData local, ProxyThread p) {
        IpcMailbox m = p.current();
        Tcb a = m.sender();
        Tcb b = kernel.tcbs().present(m.dest());
        kernel.step().segment(PathSegment.PROXY_COPY, a);
        kernel.step().touch(b);
        TransmitPath.CopyStep step = kernel.transmitPath().copyRemote(local, p.tcb(), a, b, m.transfer());
        switch (step.kind()) {
            case MORE -> {
            }
            case RECEIVER_FAULT -> handOver(local, p);
            case DONE, FAILED -> finishCopy(local, p, m, step.send(), step.receive());
            case SENDER_FAULT -> askSender(local, p, m, step.address(), step.write(), b.ipc().sendPageFaultTimeout());
        }
    }

    private void askSender(ProcessorData local, ProxyThread p, IpcMailbox m, long va, boolean write, Timeout bound) {
        kernel.step().segment(PathSegment.PROXY_SENDER_FAULT, m.sender());
        Tcb proxy = p.tcb();
        leaveSpace(local, p);
        // in the list still if this is the copy's first fault; the sender's earlier answer unhooked it
        xcpu.unhookIfLinked(local, proxy, m);
        Tcb a = m.sender();
        kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        a.proxy(null);
        m.lock(local.cpu());
        m.setUpRedoFault(local.cpu(), proxy, va, write, bound);
        m.unlock(local.cpu());
        xcpu.flags().trigger(local, m);
        kernel.touch(local, proxy, TcbLine.IPC, Access.WRITE);
        proxy.state(ThreadState.LOCKED_WAITING);
        proxy.resume(Resume.PROXY);
        handOver(local, p);
        kernel.threadSwitch().switchTo(local, null);
    }

    /**
     * §8.4.4: "if it blocks it continues with another operation". A proxy whose operation waits
     * while other requests wait behind it hands its list to an idle instance of its pair, which
     * runs them; the operation in work keeps this proxy, and with it its place in the path. Only
     * then: without requests behind it, the proxy works exactly as §8.4 has it (and check_n_ack
     * hands over when one arrives, {@link #handOverForNewRequest}).
     */
    private void handOver(ProcessorData local, ProxyThread p) {
        IpcMailbox first = p.tcb().firstMailbox();
        boolean others = first != null && (first != p.current() || first.next() != null);
        if (others) {
            moveList(local, p);
        }
    }

    /**
     * check_n_ack is about to link a new request to the leader {@code p} of its pair: if p's
     * operation waits (polling, or for a pager), the request goes to another instance (§8.4.4).
     *
     * @return the proxy to link it to
     */
    ProxyThread handOverForNewRequest(ProcessorData local, ProxyThread p) {
        Tcb t = p.tcb();
        kernel.touch(local, t, TcbLine.IPC, Access.READ);
        boolean waits = p.current() != null && (t.state() == ThreadState.POLLING || t.state() == ThreadState.LOCKED_WAITING);
        if (!waits) {
            return p;
        }
        ProxyThread next = moveList(local, p);
        return next == null ? p : next;
    }

    private ProxyThread moveList(ProcessorData local, ProxyThread p) {
        // the operation in work stays first in this proxy's list until wakeup_sender unhooks it
        IpcMailbox inWork = p.current();
        boolean keep = inWork != null && p.tcb().firstMailbox() == inWork;
        if (keep) {
            xcpu.unhook(local, p.tcb(), inWork);
        }
        ProxyThread next = xcpu.proxies().handOver(p);
        if (keep) {
            xcpu.linkFirst(local, p.tcb(), inWork);
        }
        if (next == null) {
            return null;
        }
        kernel.step().segment(PathSegment.PROXY_HAND_OVER, p.tcb());
        Tcb q = next.tcb();
        kernel.touch(local, p.tcb(), TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        kernel.touch(local, q, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        for (IpcMailbox x = q.firstMailbox(); x != null; x = x.next()) {
            x.performer(local.cpu(), q); // each request names the instance whose list it is in now
        }
        if (q.firstMailbox() != null) {
            kernel.touch(local, q, TcbLine.IPC, Access.WRITE);
            q.state(ThreadState.READY);
            local.readyList().enqueue(q);
        }
        return next;
    }

    /**
     * The proxy runs again while an operation is in work: the sender's answer to its fault request
     * has arrived (check_n_ack wakes it only for that), "the sender reactivates the proxy at the
     * interrupted position".
     */
    private void continueAfterSender(ProcessorData local, ProxyThread p, IpcMailbox m) {
        Tcb proxy = p.tcb();
        if (m.kind() != IpcMailbox.Kind.XP_CONTINUE || m.targetCpu() != local.id()) {
            throw new IllegalStateException("proxy invariant violated: " + p + " runs with " + m + " in work");
        }
        kernel.step().segment(PathSegment.PROXY_CONTINUE, m.sender());
        xcpu.unhook(local, proxy, m);
        m.readParameters(local.cpu());
        m.lock(local.cpu());
        m.resumeSend(local.cpu());
        m.unlock(local.cpu());
        switch (m.answer()) {
            case RESOLVED -> startCopy(local, p, m);
            case FAILED -> finishCopy(local, p, m, CompletionCode.SEND_SND_PF_TIMEOUT, CompletionCode.RECEIVE_SND_PF_TIMEOUT);
            case ABORTED -> finishCopy(local, p, m, CompletionCode.SEND_ABORTED, CompletionCode.RECEIVE_ABORTED);
        }
    }

    /**
     * The end of the proxy's copy: the receiver (if its side has not ended meanwhile) is unlocked
     * with its code and made ready, the proxy leaves the sender's space, and wakeup_sender.
     */
    public void finishCopy(ProcessorData local, ProxyThread p, IpcMailbox m, CompletionCode send, CompletionCode receive) {
        leaveSpace(local, p);
        m.transfer(null);
        Tcb b = kernel.tcbs().present(m.dest());
        if (b != null && receivesFrom(b, m.sender())) {
            kernel.checkLocal(local, b);
            kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
            b.ipc().code(receive);
            b.ipc().phase(IpcState.Phase.DONE);
            b.state(local.current() == b ? ThreadState.RUNNING : ThreadState.LOCKED_WAITING);
            b.resume(Resume.RECEIVE_BLOCKED);
            local.readyList().enqueue(b);
        }
        if (send != CompletionCode.OK) {
            kernel.step().segment(PathSegment.TRANSMIT_ABORT);
        }
        wakeupSender(local, p, m, send);
    }

    /** Whether {@code b} is locked in the receive of a transfer from {@code a} (not ended by an abort meanwhile). */
    private static boolean receivesFrom(Tcb b, Tcb a) {
        // inside a page-fault IPC nested in the receive, b may wait for its pager's reply (not locked)
        IpcState ipc = b.outerIpc() != null ? b.outerIpc() : b.ipc();
        return (b.state().isLocked() || b.outerIpc() != null) && ipc != null && ipc.phase() == IpcState.Phase.RECEIVE
                && ipc.peer().equals(a.myself());
    }

    /** Close temp mapping, and back to no address space of its own. */
    private void leaveSpace(ProcessorData local, ProxyThread p) {
        if (p.space() != null) {
            CommSpace.close(kernel, local, p.tcb());
            p.space(null);
        }
    }

    /**
     * The sender's send timeout, which the proxy waits with, expired while it polls (run by the
     * timer tick on the proxy's CPU): "if returned with timeout then wakeup sender ("send timeout
     * occurred")", after leaving B's send queue and the wakeup queue.
     */
    public void timeout(ProcessorData local, ProxyThread p) {
        kernel.step().segment(PathSegment.PROXY_TIMEOUT, p.current().sender());
        giveUp(local, p, CompletionCode.SEND_TIMEOUT);
    }

    /** The receiver the proxy polls for is gone (its thread died): the sender learns it does not exist. */
    public void receiverGone(ProcessorData local, ProxyThread p) {
        kernel.step().segment(PathSegment.PROXY_NOT_EXISTENT, p.current().sender());
        giveUp(local, p, CompletionCode.NOT_EXISTENT);
    }

    /**
     * lthread_ex_regs unwinds {@code sender}'s cross-processor send at its proxy on this CPU
     * (§8.4.3), with the codes a local abort gives: a request not taken yet, or the polling for the
     * receiver, ends with send_canceled; a transfer the receiver has activated is aborted for both
     * (send_aborted, receive_aborted). A request already answered is left to XP_RETURN.
     */
    public void cancel(ProcessorData local, Tcb sender) {
        IpcMailbox m = xcpu.requestOf(local, sender);
        if (m == null || m.targetCpu() != local.id()
                || (m.kind() != IpcMailbox.Kind.XP_SEND && m.kind() != IpcMailbox.Kind.XP_CONTINUE)) {
            return;
        }
        ProxyThread p = xcpu.proxies().holding(m);
        kernel.step().segment(PathSegment.PROXY_CANCEL, sender);
        if (m.kind() == IpcMailbox.Kind.XP_CONTINUE) {
            // the sender's answer to a fault request is on its way: the proxy aborts when it takes it
            m.lock(local.cpu());
            m.abortAnswer(local.cpu());
            m.unlock(local.cpu());
        } else if (p.current() != m) {
            wakeupSender(local, p, m, CompletionCode.SEND_CANCELED);
        } else if (p.tcb().state() == ThreadState.POLLING) {
            giveUp(local, p, CompletionCode.SEND_CANCELED);
        } else {
            abortHere(local, p, m);
        }
    }

    /**
     * The receiver's side of a transfer a proxy of this CPU performs ends from outside
     * (lthread_ex_regs on it, or its death), as IpcAbort does for a local transfer: a page-fault IPC
     * nested in it is dropped and it gets receive_aborted (done by the caller); here the proxy's side
     * ends with send_aborted, at once if the operation is here, else when the sender's answer to the
     * proxy's fault request comes back; a sender redoing a fault is told again, and drops its
     * page-fault IPC ({@link XpSender#redoAborted}).
     */
    public void receiverAborted(ProcessorData local, Tcb b) {
        IpcMailbox m = xcpu.transferTo(local, b);
        if (m == null) {
            return;
        }
        m.lock(local.cpu());
        if (m.kind() == IpcMailbox.Kind.XP_SEND && m.targetCpu() == local.id()) {
            m.unlock(local.cpu());
            ProxyThread p = m.proxy().asProxy();
            leaveSpace(local, p);
            m.transfer(null);
            wakeupSender(local, p, m, CompletionCode.SEND_ABORTED);
            return;
        }
        m.abortAnswer(local.cpu());
        m.unlock(local.cpu());
        if (m.kind() == IpcMailbox.Kind.XP_REDO_FAULT) {
            // the sender may be inside its pager call for the copy: as on one CPU, that IPC ends too
            xcpu.flags().trigger(local, m);
        }
    }

    /** The transfer is here (activated, copying, or waiting for the receiver's pager): aborted for both. */
    private void abortHere(ProcessorData local, ProxyThread p, IpcMailbox m) {
        Tcb to = kernel.tcbs().present(m.dest());
        if (to != null && receivesFrom(to, m.sender())) {
            kernel.checkLocal(local, to);
            kernel.ipcAbort().dropNestedFault(local, to);
            to.ipc().code(CompletionCode.RECEIVE_ABORTED);
            to.ipc().phase(IpcState.Phase.DONE);
            to.state(local.current() == to ? ThreadState.RUNNING : ThreadState.LOCKED_WAITING);
            to.resume(Resume.RECEIVE_BLOCKED);
            local.readyList().enqueue(to);
        }
        leaveSpace(local, p);
        m.transfer(null);
        wakeupSender(local, p, m, CompletionCode.SEND_ABORTED);
    }

    /** The polling proxy gives up: out of the wakeup queue and B's send queue, wakeup_sender(code). */
    private void giveUp(ProcessorData local, ProxyThread p, CompletionCode code) {
        IpcMailbox m = p.current();
        local.wakeupQueue().dequeue(p.tcb());
        SendQueue.dequeue(kernel, local, m.sender());
        wakeupSender(local, p, m, code);
    }

    /**
     * <pre>
     * wakeup sender (error code)
     *     from TCB.xp cc = error code
     *     ipc mailbox = unhook first mailbox from list
     * (the mailbox worked on is the first; lthread_ex_regs may cancel one further down)
     *     from TCB.proxy = NULL
     *     setup ipc mailbox with proxy = A
     *     trigger mailbox
     *     return to proxy at end of IPC</pre>
     * The proxy's next operation is a step of its own.
     */
    private void wakeupSender(ProcessorData local, ProxyThread p, IpcMailbox m, CompletionCode code) {
        Tcb a = m.sender();
        kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        a.xpCc(code);
        xcpu.unhookIfLinked(local, p.tcb(), m);
        if (!kernel.config().removed(RemovedFix.CLEAR_PROXY_POINTER)) {
            a.proxy(null);
        }
        m.lock(local.cpu());
        m.setUpReply(local.cpu());
        m.unlock(local.cpu());
        xcpu.flags().trigger(local, m);
        xcpu.operationsDone(local, java.util.List.of(m.id()));
        xcpu.countReply();
        p.current(null);
        Tcb proxy = p.tcb();
        kernel.touch(local, proxy, TcbLine.IPC, Access.WRITE);
        proxy.resume(Resume.PROXY);
        proxy.state(local.current() == proxy ? ThreadState.RUNNING : ThreadState.READY);
        local.readyList().enqueue(proxy);
    }
}
