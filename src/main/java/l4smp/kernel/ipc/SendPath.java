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
 * The send path of §8.3.2, line by line. A is the sender (the thread running it), B the receiver.
 * It either finds B waiting for A and goes on to transmit, or queues A in B's send queue, polling
 * (inactively), and switches away; A's continuation then resumes here when B's receive path wakes
 * it, or its send timeout expires.
 */
public final class SendPath {
    private final Kernel kernel;

    public SendPath(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The send path from its start; {@code a} runs on {@code local} and holds its IPC state. */
    public void start(ProcessorData local, Tcb a) {
        IpcState ipc = a.ipc();
        kernel.charge(local, PathCosts.SEND_PATH);
        // from TCB = getTCB(A)
        // to TCB = getTCB(B)
        ThreadId b = ipc.partnerId();
        Tcb to = kernel.tcbs().find(b, local.cpu());
        // if not exists(toTCB) or to TCB.myself != B then
        //     abortIPC ("target does not exist")
        // endif
        if (to == null || to.state() == ThreadState.DEAD) {
            kernel.step().segment(PathSegment.SEND_NOT_EXISTENT);
            kernel.ipcReturn().abort(local, a, CompletionCode.NOT_EXISTENT);
            return;
        }
        kernel.checkLocal(local, to);
        kernel.step().touch(to);
        // from TCB.partner = B
        kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        a.partner(b);
        // if B is not waiting or not for me or open then
        kernel.touch(local, to, TcbLine.IPC, Access.READ);
        if (!waitsFor(to, a)) {
            block(local, a, to, ipc);
            return;
        }
        // At this point, B is ready to receive from A
        kernel.transmitPath().lockAndTransmit(local, a, to);
    }

    /** B waits, in its receive phase, closed for A or open. */
    static boolean waitsFor(Tcb b, Tcb a) {
        IpcState receiving = b.ipc();
        if (b.state() != ThreadState.WAITING || receiving == null || receiving.phase() != IpcState.Phase.RECEIVE) {
            return false;
        }
        return receiving.receivesOpen() || b.partner().equals(a.myself());
    }

    /**
     * <pre>
     *     enqueueWakeup (A with A's send timeout)
     *     to TCB.enqueueSendQ (A)
     *     from TCB.state = polling
     *     switchTo(B)</pre>
     * A timeout of 0 fails at once: A may not wait.
     */
    private void block(ProcessorData local, Tcb a, Tcb to, IpcState ipc) {
        Timeout timeout = ipc.sendTimeout();
        if (timeout.isZero()) {
            kernel.step().segment(PathSegment.SEND_TIMEOUT);
            kernel.ipcReturn().abort(local, a, CompletionCode.SEND_TIMEOUT);
            return;
        }
        kernel.step().segment(PathSegment.SEND_ENQUEUE);
        if (timeout.isFinite()) {
            local.wakeupQueue().enqueue(a, TimerTick.deadline(local, timeout.cycles()));
        }
        SendQueue.enqueue(kernel, local, to, a);
        a.state(ThreadState.POLLING);
        a.timedOut(false);
        a.resume(Resume.SEND_BLOCKED);
        kernel.threadSwitch().switchToPreferring(local, to);
    }

    /**
     * A runs again after {@code switchTo(B)}:
     * <pre>
     *     if returned with timeout then
     *         abortIPC ("send timeout occurred")
     *     endif
     *     dequeueWakeup (A)</pre>
     * and, woken by B's receive path, goes on to transmit.
     */
    public void resume(ProcessorData local, Tcb a) {
        kernel.touch(local, a, TcbLine.IPC, Access.READ);
        if (a.timedOut()) {
            kernel.step().segment(PathSegment.SEND_TIMEOUT);
            a.timedOut(false);
            SendQueue.dequeue(kernel, local, a);
            kernel.ipcReturn().abort(local, a, CompletionCode.SEND_TIMEOUT);
            return;
        }
        if (a.ipc() != null && a.ipc().phase() == IpcState.Phase.DONE) {
            kernel.ipcReturn().complete(local, a);
            return;
        }
        kernel.step().segment(PathSegment.SEND_WOKEN);
        local.wakeupQueue().dequeue(a);
        Tcb to = kernel.tcbs().find(a.partner(), local.cpu());
        if (to == null || a.state() != ThreadState.LOCKED_RUNNING) {
            throw new IllegalStateException("send path invariant violated: " + a + " resumed polling without a timeout, "
                    + "but its receiver " + a.partner() + " did not lock it");
        }
        kernel.transmitPath().lockAndTransmit(local, a, to);
    }
}
