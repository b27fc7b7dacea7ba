package l4smp.kernel.sched;

import l4smp.hw.Cycles;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * The timer tick on one CPU (§2.1.1: "each thread has a period of time, the timeslice [...]. When
 * the timeslice expires, the dispatcher is invoked and will chose the next ready thread of that
 * priority in a round robin manner"): charges the tick to the running thread's remaining time
 * slice, wakes the threads whose timeout expired (the wakeup queue is per CPU, design decision 1),
 * and preempts: the slice is used up, or a woken thread has a higher priority (slides,
 * "Priorities, Preemption").
 *
 * <p>A woken thread is made ready with its timeout flag set; its own continuation aborts its IPC
 * with the timeout code when it runs (§8.3.2: "When A gets activated again [...] either B got ready
 * to receive and did wake up A, or the timeout occurred. In the second case, the IPC operation is
 * aborted"). A locked thread's stale entry is just removed: its IPC is being transmitted.
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
        preempt |= wakeExpired(local, running == null ? -1 : running.priority());
        if (preempt && running != null) {
            kernel.step().segment(PathSegment.TIMER_PREEMPT);
            kernel.threadSwitch().switchTo(local, null);
        }
    }

    /** Wakes every thread whose timeout expired; true if one has a priority above {@code runningPriority}. */
    private boolean wakeExpired(ProcessorData local, int runningPriority) {
        long now = local.cpu().millicycles();
        boolean higher = false;
        Tcb t;
        while ((t = local.wakeupQueue().expired(now)) != null) {
            local.wakeupQueue().dequeue(t);
            kernel.touch(local, t, TcbLine.IPC, Access.WRITE);
            if (t.state() == ThreadState.WAITING || t.state() == ThreadState.POLLING) {
                kernel.step().segment(PathSegment.TIMER_TIMEOUT);
                t.timedOut(true);
                t.state(ThreadState.READY);
                local.readyList().enqueue(t);
                higher |= t.priority() > runningPriority;
            }
        }
        return higher;
    }

    /** A timeout of {@code cycles} from now, in the wakeup queue's time (millicycles). */
    public static long deadline(ProcessorData local, long cycles) {
        return local.cpu().millicycles() + Cycles.ofWhole(cycles);
    }
}
