package l4smp.kernel.sched;

import l4smp.hw.Cycles;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.migrate.Migration;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * The timer tick on one CPU (§2.1.1: "each thread has a period of time, the timeslice [...]. When
 * the timeslice expires, the dispatcher is invoked and will chose the next ready thread of that
 * priority in a round robin manner"): charges the tick to the running thread's remaining time
 * slice, ends the wait of a thread whose timeout expired (the wakeup queue is per CPU, design
 * decision 1), and preempts: the slice is used up, or a woken thread has a higher priority
 * (slides, "Priorities, Preemption").
 *
 * <p>A timeout ends the IPC in the tick's own step: the thread's "if returned with timeout then
 * abortIPC" runs at once on its behalf, so that a timed-out sender leaves its receiver's send
 * queue before any other path can find it there (§8.3.5's proxy: "if returned with timeout then
 * wakeup sender"). One timeout per step: if more have expired, the CPU's next steps handle them
 * one by one before anything else runs, each an atomic step of its own. A locked thread's entry
 * stays: its IPC is being transmitted, and its own continuation dequeues it.
 */
public final class TimerTick {
    private final Kernel kernel;

    public TimerTick(Kernel kernel) {
        this.kernel = kernel;
    }

    public void tick(ProcessorData local) {
        kernel.step().segment(PathSegment.TIMER_TICK);
        kernel.charge(local, PathCosts.TIMER_TICK);
        local.cpu().apic().eoi();
        Tcb running = local.current();
        boolean preempt = false;
        if (running != null) {
            kernel.touch(local, running, TcbLine.SCHEDULING, Access.WRITE);
            long left = running.remainingTimeslice() - kernel.config().tickCycles();
            running.remainingTimeslice(Math.max(0, left));
            if (left <= 0) {
                preempt = true;
            }
        }
        if (local.id() == 0) {
            kernel.kernelInfoPage().tick(local.cpu());
        }
        preempt |= expireOne(local, running);
        if (preempt && running != null && local.current() == running && kernel.threadSwitch().preemptible(running)) {
            kernel.step().segment(PathSegment.TIMER_PREEMPT);
            kernel.threadSwitch().preempt(local);
        }
    }

    /** The next expired timeout, after a tick that found several: a step of its own. */
    public void expireNext(ProcessorData local) {
        Tcb running = local.current();
        if (expireOne(local, running) && running != null && local.current() == running
                && kernel.threadSwitch().preemptible(running)) {
            kernel.step().segment(PathSegment.TIMER_PREEMPT);
            kernel.threadSwitch().preempt(local);
        }
    }

    /**
     * Ends the wait of the first thread (or proxy) in the wakeup queue whose timeout has expired,
     * and notes whether another one has.
     *
     * @return whether it has a higher priority than {@code running}
     */
    private boolean expireOne(ProcessorData local, Tcb running) {
        long now = local.cpu().millicycles();
        Tcb t = local.wakeupQueue().firstExpiredBlocked(now);
        local.timeoutsPending(false);
        if (t == null) {
            return false;
        }
        kernel.touch(local, t, TcbLine.IPC, Access.WRITE);
        if (Migration.waitsToRetry(t)) {
            kernel.migration().retryDue(local, t);
        } else if (t.isProxy()) {
            kernel.xcpu().proxyPath().timeout(local, t.asProxy());
        } else if (t.state() == ThreadState.LOCKED_WAITING && t.resume() == Resume.XP_RETURN) {
            // only without RemovedFix.SENDER_TIMEOUT_NEVER is an XP sender in a wakeup queue: its own
            // timer ends its send, its mailbox still with the proxy
            kernel.step().segment(PathSegment.TIMER_TIMEOUT, t);
            kernel.ipcReturn().abort(local, t, CompletionCode.SEND_TIMEOUT);
        } else if (t.state() == ThreadState.POLLING) {
            kernel.step().segment(PathSegment.TIMER_TIMEOUT, t);
            kernel.sendPath().timeout(local, t);
        } else {
            kernel.step().segment(PathSegment.TIMER_TIMEOUT, t);
            kernel.receivePath().timeout(local, t);
        }
        local.timeoutsPending(local.wakeupQueue().firstExpiredBlocked(now) != null);
        return running == null || t.priority() > running.priority();
    }

    /** A timeout of {@code cycles} from now, in the wakeup queue's time (millicycles). */
    public static long deadline(ProcessorData local, long cycles) {
        return local.cpu().millicycles() + Cycles.ofWhole(cycles);
    }
}
