package l4smp.kernel.ipc;

import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.TimerTick;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.kernel.xcpu.ProxyThread;

/**
 * The receive path of §8.3.2 with the cross-processor changes of §8.3.5, line by line. B is the
 * receiver (the thread running it), A the sender. It either finds A polling for B and reactivates
 * it ("L4 implements no real polling, but checks and reactivates the inactively polling sender if
 * the receiver becomes ready to receive"), or, if A is on another CPU, finds A's proxy polling for
 * B and activates the proxy; or it waits. B's continuation resumes here when A (or its proxy) has
 * transmitted, or when an interrupt arrives; an expired receive timeout ends the wait from the
 * timer tick.
 *
 * <p>Two receives are special: a closed receive from an IRQ's hardware thread (§2.4; it also
 * attaches B as the IRQ's handler), and a closed receive from nil, which no one can satisfy: the
 * Version X idiom for sleeping until the timeout.
 */
public final class ReceivePath {
    private final Kernel kernel;

    public ReceivePath(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The receive path from its start; {@code b} runs on {@code local}. */
    public void start(ProcessorData local, Tcb b) {
        IpcState ipc = b.ipc();
        ipc.phase(IpcState.Phase.RECEIVE);
        kernel.charge(local, PathCosts.RECEIVE_PATH);
        Tcb from;
        ThreadId source = ipc.receivesOpen() ? ThreadId.NIL : ipc.partnerId();
        // if closed receive then
        if (!ipc.receivesOpen()) {
            if (source.isInterrupt()) {
                receiveInterrupt(local, b, ipc, source);
                return;
            }
            // from TCB = getTCB(A)
            from = kernel.tcbs().find(source, local.cpu());
            // if from TCB is an invalid TCB then abortIPC ("Invalid source") endif
            if (!source.isNil() && (from == null || from.state() == ThreadState.DEAD)) {
                kernel.step().segment(PathSegment.RECEIVE_NOT_EXISTENT);
                kernel.ipcReturn().abort(local, b, CompletionCode.NOT_EXISTENT);
                return;
            }
        } else {
            // else // open
            //     from TCB = B.sendQueue.dequeueHead()
            kernel.touch(local, b, TcbLine.QUEUES, Access.READ);
            from = b.sendQueueHead();
        }
        // if from TCB.cpu = to TCB.cpu or from TCB not present then // uniprocessor receive path
        if (from != null && from.cpu() != local.id()) {
            receiveRemote(local, b, ipc, from, source);
            return;
        }
        // if from TCB not present or A is not polling or A is ready to send but not to B then
        if (from != null) {
            kernel.touch(local, from, TcbLine.IPC, Access.READ);
        }
        if (from == null || from.state() != ThreadState.POLLING || !from.partner().equals(b.myself())) {
            await(local, b, ipc, from, source);
        } else {
            wakeSender(local, b, from);
        }
    }

    /**
     * The sender is on another CPU (§8.3.5): check its proxy instead, through one read of its proxy
     * pointer kept in a temporary, so that the checks cannot see two proxies:
     * <pre>
     * send proxy = from TCB.proxy
     * if send proxy not present or send proxy is not polling or
     *    send proxy is ready to send but not to B then
     *     // wait, as the uniprocessor path
     * else
     *     send proxy.state = locked running
     *     enqueueReady (send proxy)
     *     dequeueWakeup (send proxy)
     *     B.dequeueSend (A)
     *     to TCB.state = locked waiting
     *     switchTo (send proxy)
     * endif</pre>
     * One check more than the thesis's: that the proxy works on A's request. A proxy serves every
     * sender of A's CPU to B's CPU, and A's pointer names it before it has taken A's mailbox, so
     * "polling for B" alone may be polling for another sender to B (docs/specs.md,
     * ProxyWakeupNoSenderCheck).
     */
    private void receiveRemote(ProcessorData local, Tcb b, IpcState ipc, Tcb from, ThreadId source) {
        kernel.touch(local, from, TcbLine.GLOBAL_MODIFIED, Access.READ);
        ProxyThread sendProxy = from.proxy();
        if (sendProxy == null || sendProxy.target() != local.id()) {
            await(local, b, ipc, from, source);
            return;
        }
        if (kernel.config().removed(RemovedFix.TEMP_PROXY_COPY)) {
            // fault injection: no temporary, the checks below read from TCB.proxy again; inside one
            // atomic step of this CPU nobody can change it in between (docs/refine.md)
            kernel.touch(local, from, TcbLine.GLOBAL_MODIFIED, Access.READ);
            sendProxy = from.proxy();
        }
        Tcb proxy = sendProxy.tcb();
        kernel.touch(local, proxy, TcbLine.IPC, Access.READ);
        kernel.touch(local, proxy, TcbLine.GLOBAL_MODIFIED, Access.READ);
        boolean readyForMe = proxy.state() == ThreadState.POLLING && proxy.partner().equals(b.myself())
                && (kernel.config().removed(RemovedFix.PROXY_SENDER_CHECK)
                    || sendProxy.current() != null && sendProxy.current().sender() == from);
        if (!readyForMe) {
            await(local, b, ipc, from, source);
            return;
        }
        kernel.step().segment(PathSegment.RECEIVE_ACTIVATE_PROXY);
        kernel.touch(local, proxy, TcbLine.IPC, Access.WRITE);
        proxy.state(ThreadState.LOCKED_RUNNING);
        local.readyList().enqueue(proxy);
        local.wakeupQueue().dequeue(proxy);
        SendQueue.dequeue(kernel, local, from);
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        b.state(ThreadState.LOCKED_WAITING);
        b.resume(Resume.RECEIVE_BLOCKED);
        kernel.threadSwitch().switchTo(local, proxy);
    }

    /** A closed receive from an IRQ's hardware thread (§2.4): attach, take a pending interrupt, or wait. */
    private void receiveInterrupt(ProcessorData local, Tcb b, IpcState ipc, ThreadId source) {
        int irq = source.irq();
        if (!kernel.interruptThreads().attach(local, b, irq)) {
            kernel.step().segment(PathSegment.RECEIVE_NOT_EXISTENT);
            kernel.ipcReturn().abort(local, b, CompletionCode.NOT_EXISTENT);
            return;
        }
        if (kernel.interruptThreads().takePending(local, irq)) {
            kernel.step().segment(PathSegment.RECEIVE_INTERRUPT);
            ipc.received(source, 0, 0, 0);
            ipc.code(CompletionCode.OK);
            kernel.ipcReturn().complete(local, b);
            return;
        }
        await(local, b, ipc, null, source);
    }

    /**
     * <pre>
     *     enqueueWakeup (B with B's receive timeout)
     *     to TCB.state = waiting
     *     to TCB.partner = A (nil for open receive)
     *     switchTo (A)</pre>
     */
    private void await(ProcessorData local, Tcb b, IpcState ipc, Tcb from, ThreadId source) {
        Timeout timeout = ipc.receiveTimeout();
        if (timeout.isZero()) {
            kernel.step().segment(PathSegment.RECEIVE_TIMEOUT);
            kernel.ipcReturn().abort(local, b, CompletionCode.RECEIVE_TIMEOUT);
            return;
        }
        kernel.step().segment(PathSegment.RECEIVE_WAIT);
        if (timeout.isFinite()) {
            local.wakeupQueue().enqueue(b, TimerTick.deadline(local, timeout.cycles()));
        }
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        b.state(ThreadState.WAITING);
        kernel.touch(local, b, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        b.partner(source);
        b.resume(Resume.RECEIVE_BLOCKED);
        // switchTo (A): for an open receive A is unknown; after a reply (reply_and_wait) the thread
        // the send phase just released is the natural choice, as a call's client is for a closed one
        Tcb preferred = ipc.receivesOpen() ? kernel.tcbs().present(ipc.peer()) : from;
        kernel.threadSwitch().switchToPreferring(local, preferred);
    }

    /**
     * <pre>
     *     // A was ready to send to B
     *     from TCB.state = locked running
     *     enqueueReady (A)
     *     dequeueWakeup (A)
     *     B.dequeueSend (A)
     *     to TCB.state = locked waiting
     *     switchTo (A)</pre>
     */
    private void wakeSender(ProcessorData local, Tcb b, Tcb a) {
        kernel.step().segment(PathSegment.RECEIVE_WAKE_SENDER);
        kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
        a.state(ThreadState.LOCKED_RUNNING);
        local.readyList().enqueue(a);
        local.wakeupQueue().dequeue(a);
        SendQueue.dequeue(kernel, local, a);
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        b.state(ThreadState.LOCKED_WAITING);
        b.resume(Resume.RECEIVE_BLOCKED);
        kernel.threadSwitch().switchTo(local, a);
    }

    /**
     * B's receive timeout expired while it waited (run by the timer tick on B's CPU):
     * <pre>
     *     if timeout then abortIPC ("timeout occurred") endif</pre>
     */
    public void timeout(ProcessorData local, Tcb b) {
        kernel.ipcReturn().abort(local, b, CompletionCode.RECEIVE_TIMEOUT);
    }

    /**
     * B runs again after {@code switchTo(A)}, its sender (or the sender's proxy) having
     * transmitted:
     * <pre>
     *     dequeueWakeup (B)
     *     ...
     *     to TCB.state = ready
     *     enqueueReady (B)
     *     returnIPC ("message successfully transmitted")</pre>
     * An IPC the sender ended with an error (cut, map failure, page-fault timeout), or that
     * lthread_ex_regs canceled, already carries its code and just returns it.
     */
    public void resume(ProcessorData local, Tcb b) {
        IpcState ipc = b.ipc();
        kernel.touch(local, b, TcbLine.IPC, Access.READ);
        if (ipc.code() == CompletionCode.NONE) {
            throw new IllegalStateException("receive path invariant violated: " + b + " resumed in its receive phase "
                    + "with neither a message, an error nor a timeout");
        }
        kernel.step().segment(PathSegment.RECEIVE_COMPLETE);
        local.wakeupQueue().dequeue(b);
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        b.state(ThreadState.RUNNING);
        local.readyList().enqueue(b);
        kernel.ipcReturn().complete(local, b);
    }
}
