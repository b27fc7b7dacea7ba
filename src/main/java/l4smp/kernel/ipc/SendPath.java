package l4smp.kernel.ipc;

import l4smp.hw.Reg;
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
 * The send path of §8.3.2 with the cross-processor branch of §8.3.5, line by line. A is the sender
 * (the thread running it), B the receiver. On one CPU it either finds B waiting for A and goes on
 * to transmit, or queues A in B's send queue, polling (inactively), and switches away; A's
 * continuation then resumes here when B's receive path wakes it. If B is on another CPU, A hands
 * the send to a proxy there ({@link l4smp.kernel.xcpu.XpSender}).
 */
public final class SendPath {
    private final Kernel kernel;

    public SendPath(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Whether {@code a} may begin a send to {@code dest} now: always, unless {@code dest} is on
     * another CPU and {@code a}'s CPU has no free mailbox. Then {@code a} waits for one, its IPC not
     * begun; it redoes from its current continuation (the system call, the page fault) when a
     * mailbox is freed. Callers ask before they change any of {@code a}'s IPC state.
     */
    public boolean mayBegin(ProcessorData local, Tcb a, ThreadId dest) {
        Tcb to = kernel.tcbs().present(dest);
        if (to == null || to.cpu() == local.id() || kernel.xcpu().pool().hasFree(local)) {
            return true;
        }
        kernel.xcpu().awaitMailbox(local, a);
        return false;
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
        kernel.step().touch(to);
        // if from TCB.cpu != to TCB.cpu then xp operation: IPC Send endif
        if (to.cpu() != local.id()) {
            kernel.xcpu().sender().send(local, a, to, ipc);
            return;
        }
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

    /**
     * Design decision 4 (§6.2.3): a send whose descriptor asks to fail rather than cross CPUs, to a
     * thread on another CPU, fails before it begins: "Conceptionally [...] a fault". Nothing of the
     * thread's IPC state changes; it returns the completion code send_aborted with the zero flag
     * set and the destination's processor number (1..k, §7.2) in ECX.
     *
     * @return whether it failed so
     */
    public boolean failsCrossProcessor(ProcessorData local, Tcb a, IpcState ipc) {
        if (!ipc.failsCrossProcessor()) {
            return false;
        }
        Tcb to = kernel.tcbs().find(ipc.partnerId(), local.cpu());
        if (to == null || to.state() == ThreadState.DEAD || to.cpu() == local.id()) {
            return false;
        }
        kernel.step().segment(PathSegment.XCPU_FAULT);
        kernel.touch(local, to, TcbLine.GLOBAL_READ_ONLY, Access.READ);
        a.register(Reg.EAX, CompletionCode.SEND_ABORTED.value());
        a.register(Reg.ECX, to.cpu() + 1);
        a.register(Reg.EFLAGS, a.register(Reg.EFLAGS) | Reg.ZF);
        kernel.threadSwitch().exitToUser(local, a);
        return true;
    }

    /** B waits, in its receive phase, closed for A or open. */
    public boolean waitsFor(Tcb b, Tcb a) {
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
        a.resume(Resume.SEND_BLOCKED);
        kernel.threadSwitch().switchToPreferring(local, to);
    }

    /**
     * A's send timeout expired while it polled (run by the timer tick on A's CPU):
     * <pre>
     *     if returned with timeout then
     *         abortIPC ("send timeout occurred")
     *     endif</pre>
     * after leaving B's send queue and the wakeup queue.
     */
    public void timeout(ProcessorData local, Tcb a) {
        local.wakeupQueue().dequeue(a);
        SendQueue.dequeue(kernel, local, a);
        kernel.ipcReturn().abort(local, a, CompletionCode.SEND_TIMEOUT);
    }

    /**
     * A runs again after {@code switchTo(B)}, woken by B's receive path:
     * <pre>
     *     dequeueWakeup (A)</pre>
     * and goes on to transmit.
     */
    public void resume(ProcessorData local, Tcb a) {
        kernel.touch(local, a, TcbLine.IPC, Access.READ);
        if (a.ipc() != null && a.ipc().phase() == IpcState.Phase.DONE) {
            kernel.ipcReturn().complete(local, a);
            return;
        }
        kernel.step().segment(PathSegment.SEND_WOKEN);
        local.wakeupQueue().dequeue(a);
        Tcb to = kernel.tcbs().find(a.partner(), local.cpu());
        if (to == null || a.state() != ThreadState.LOCKED_RUNNING) {
            throw new IllegalStateException("send path invariant violated: " + a + " resumed polling, "
                    + "but its receiver " + a.partner() + " did not lock it");
        }
        kernel.transmitPath().lockAndTransmit(local, a, to);
    }
}
