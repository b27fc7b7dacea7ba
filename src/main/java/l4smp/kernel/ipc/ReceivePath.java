package l4smp.kernel.ipc;

import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.TimerTick;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * The receive path of §8.3.2, line by line. B is the receiver (the thread running it), A the
 * sender. It either finds A polling for B and reactivates it ("L4 implements no real polling, but
 * checks and reactivates the inactively polling sender if the receiver becomes ready to
 * receive"), or waits; B's continuation resumes here when A has transmitted, when an interrupt
 * arrives, or when B's receive timeout expires.
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
            from = firstPolling(local, b);
        }
        // if from TCB not present or A is not polling or A is ready to send but not to B then
        if (from != null) {
            kernel.checkLocal(local, from);
            kernel.touch(local, from, TcbLine.IPC, Access.READ);
        }
        if (from == null || from.state() != ThreadState.POLLING || !from.partner().equals(b.myself())) {
            await(local, b, ipc, from, source);
        } else {
            wakeSender(local, b, from);
        }
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
     * The head of B's send queue, passing over senders whose timeout expired but who have not yet
     * run to leave the queue themselves (they are no longer polling); such a head would otherwise
     * hide the senders behind it.
     */
    private Tcb firstPolling(ProcessorData local, Tcb b) {
        for (Tcb sender : SendQueue.members(b)) {
            kernel.touch(local, sender, TcbLine.IPC, Access.READ);
            if (sender.state() == ThreadState.POLLING) {
                return sender;
            }
        }
        return null;
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
        b.timedOut(false);
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
        b.timedOut(false);
        b.resume(Resume.RECEIVE_BLOCKED);
        kernel.threadSwitch().switchTo(local, a);
    }

    /**
     * B runs again after {@code switchTo(A)}:
     * <pre>
     *     if timeout then abortIPC ("timeout occurred") endif
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
        if (b.timedOut()) {
            kernel.step().segment(PathSegment.RECEIVE_TIMEOUT);
            b.timedOut(false);
            kernel.ipcReturn().abort(local, b, CompletionCode.RECEIVE_TIMEOUT);
            return;
        }
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
