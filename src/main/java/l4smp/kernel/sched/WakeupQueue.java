package l4smp.kernel.sched;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * One CPU's wakeup queue: the threads whose timeout runs (§8.3.2: "A sets its send timeout by
 * inserting itself into the wakeup queue of the system"; design decision 1 makes the "short wakeup
 * queues" per processor). Sorted by wakeup time, ties in order of insertion, linked through the
 * TCBs' wakeup links; the timer tick takes expired threads from its head. A thread with timeout
 * never is not in it (§8.7.3).
 */
public final class WakeupQueue {
    private final LocalAccess local;
    private final long headAddress;
    private Tcb head;

    public WakeupQueue(Cpu cpu, long headAddress) {
        this(cpu::touch, headAddress);
    }

    /** Charges its accesses through {@code local}: to the CPU that owns the data. */
    WakeupQueue(LocalAccess local, long headAddress) {
        this.local = local;
        this.headAddress = headAddress;
    }

    /** enqueueWakeup: {@code t} wakes at {@code time} (millicycles of this CPU's clock). */
    public void enqueue(Tcb t, long time) {
        if (t.wakeupTime() >= 0) {
            dequeue(t);
        }
        local.touch(headAddress, Access.READ);
        local.touch(t.line(TcbLine.QUEUES), Access.WRITE);
        t.wakeupTime(time);
        Tcb prev = null;
        Tcb next = head;
        while (next != null && next.wakeupTime() <= time) {
            local.touch(next.line(TcbLine.QUEUES), Access.READ);
            prev = next;
            next = next.wakeupNext();
        }
        t.wakeupPrev(prev);
        t.wakeupNext(next);
        if (prev == null) {
            head = t;
            local.touch(headAddress, Access.WRITE);
        } else {
            prev.wakeupNext(t);
        }
        if (next != null) {
            next.wakeupPrev(t);
        }
    }

    /** dequeueWakeup: a no-op if {@code t} is not in the queue. */
    public void dequeue(Tcb t) {
        if (t.wakeupTime() < 0) {
            return;
        }
        local.touch(t.line(TcbLine.QUEUES), Access.WRITE);
        Tcb prev = t.wakeupPrev();
        Tcb next = t.wakeupNext();
        if (prev == null) {
            head = next;
            local.touch(headAddress, Access.WRITE);
        } else {
            local.touch(prev.line(TcbLine.QUEUES), Access.WRITE);
            prev.wakeupNext(next);
        }
        if (next != null) {
            local.touch(next.line(TcbLine.QUEUES), Access.WRITE);
            next.wakeupPrev(prev);
        }
        t.wakeupPrev(null);
        t.wakeupNext(null);
        t.wakeupTime(-1);
    }

    /**
     * The first thread whose timeout has expired at {@code now} and who still waits or polls, or
     * null. Expired entries of locked threads are passed over: their IPC is being transmitted. An
     * XP sender waiting locked for its proxy is queued only without the fix
     * {@link l4smp.kernel.RemovedFix#SENDER_TIMEOUT_NEVER}, and then expires.
     */
    public Tcb firstExpiredBlocked(long now) {
        local.touch(headAddress, Access.READ);
        for (Tcb t = head; t != null && t.wakeupTime() <= now; t = t.wakeupNext()) {
            local.touch(t.line(TcbLine.QUEUES), Access.READ);
            if (t.state() == ThreadState.WAITING || t.state() == ThreadState.POLLING
                    || t.state() == ThreadState.LOCKED_WAITING && t.resume() == Resume.XP_RETURN) { // RemovedFix.SENDER_TIMEOUT_NEVER
                return t;
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return head == null;
    }

    /** The queue in wakeup order, as ids (a view; free). */
    public List<ThreadId> list() {
        List<ThreadId> ids = new ArrayList<>();
        for (Tcb t = head; t != null; t = t.wakeupNext()) {
            ids.add(t.myself());
        }
        return ids;
    }
}
