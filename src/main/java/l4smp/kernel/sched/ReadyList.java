package l4smp.kernel.sched;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;

/**
 * One CPU's ready lists (§8.8.3: "the ready queues which are realized as an array of priorities,
 * holding the head pointers to the next ready TCB of that priority. The TCBs itself are connected
 * in a double linked list"; design decision 1: they exist per processor and are touched on it
 * only). Per priority 0..255 a circular list through the TCBs' ready links and a {@code current}
 * pointer, the next thread of that priority to run; and the highest active priority.
 *
 * <p>Removal is lazy (slides, "Lazy Dispatching": "Thread state toggles frequently (per ipc) ready
 * <-> waiting; delete/insert ready list is expensive; therefore: delete lazily from ready list.
 * Whenever reaching a non-ready thread, delete it from list, proceed with next"). So a thread in a
 * list need not be runnable, and enqueueing a thread still in its list keeps its place.
 */
public final class ReadyList {
    public static final int PRIORITIES = 256;

    private final LocalAccess local;
    /** Where the head pointers live in the CPU's local data page. */
    private final long heads;
    private final Tcb[] current = new Tcb[PRIORITIES];
    private int highestActive;
    private long lazyRemovals;

    public ReadyList(Cpu cpu, long heads) {
        this(cpu::touch, heads);
    }

    /** Charges its accesses through {@code local}: to the CPU that owns the data. */
    ReadyList(LocalAccess local, long heads) {
        this.local = local;
        this.heads = heads;
    }

    /**
     * enqueueReadyList: appends {@code t} at the end of its priority's round (just before
     * {@code current}); "highest active p := max(new p, highest active p)" (slides, "Priorities,
     * Preemption"). A thread still in its list is left where it is.
     */
    public void enqueue(Tcb t) {
        if (t.inReadyList()) {
            return;
        }
        int p = t.priority();
        touchHead(p, Access.WRITE);
        local.touch(t.line(TcbLine.IPC), Access.WRITE);
        t.readyPriority(p);
        Tcb head = current[p];
        if (head == null) {
            t.readyPrev(t);
            t.readyNext(t);
            current[p] = t;
        } else {
            Tcb last = head.readyPrev();
            local.touch(last.line(TcbLine.IPC), Access.WRITE);
            local.touch(head.line(TcbLine.IPC), Access.WRITE);
            t.readyPrev(last);
            t.readyNext(head);
            last.readyNext(t);
            head.readyPrev(t);
        }
        highestActive = Math.max(highestActive, p);
    }

    /**
     * Takes {@code t} out of its list now (a priority change, a thread deleted, a migration): the
     * list of the priority it was linked with, which a migration may have exchanged meanwhile.
     */
    public void remove(Tcb t) {
        if (!t.inReadyList()) {
            return;
        }
        int p = t.readyPriority();
        local.touch(t.line(TcbLine.IPC), Access.WRITE);
        if (t.readyNext() == t) {
            current[p] = null;
            touchHead(p, Access.WRITE);
        } else {
            Tcb prev = t.readyPrev();
            Tcb next = t.readyNext();
            local.touch(prev.line(TcbLine.IPC), Access.WRITE);
            local.touch(next.line(TcbLine.IPC), Access.WRITE);
            prev.readyNext(next);
            next.readyPrev(prev);
            if (current[p] == t) {
                current[p] = next;
                touchHead(p, Access.WRITE);
            }
        }
        t.readyPrev(null);
        t.readyNext(null);
    }

    /**
     * The dispatcher's choice (slides, "Lazy Dispatching"):
     * <pre>
     * do
     *   round robin if necessary;
     *   if current[highest active p] != nil then B := current[highest active p]; return
     *   elif highest active p > 0 then highest active p -= 1
     *   else idle
     *   fi
     * od
     * </pre>
     *
     * @return the thread to run, or null: idle
     */
    public Tcb select() {
        while (true) {
            roundRobinIfNecessary();
            touchHead(highestActive, Access.READ);
            if (current[highestActive] != null) {
                return current[highestActive];
            } else if (highestActive > 0) {
                highestActive -= 1;
            } else {
                return null;
            }
        }
    }

    /**
     * <pre>
     * round robin if necessary:
     *   while curr[hi act p] != nil do
     *     if curr[hi act p].state != ready then delete from list (curr[hi act p])
     *     elif curr[hi act p].rem ts = 0 then curr[hi act p].rem ts := new ts
     *     else leave round robin if necessary
     *     fi;
     *     curr[hi act p] := next
     *   od
     * </pre>
     * Deleting moves {@code current} on by itself; "ready" is L4Common's Runnable.
     */
    private void roundRobinIfNecessary() {
        int p = highestActive;
        while (current[p] != null) {
            Tcb t = current[p];
            local.touch(t.line(TcbLine.IPC), Access.READ);
            if (!t.dispatchable()) {
                lazyRemovals++;
                remove(t);
                continue;
            }
            local.touch(t.line(TcbLine.SCHEDULING), Access.READ);
            if (t.remainingTimeslice() <= 0) {
                local.touch(t.line(TcbLine.SCHEDULING), Access.WRITE);
                t.remainingTimeslice(t.timeslice());
            } else {
                return;
            }
            current[p] = t.readyNext();
            touchHead(p, Access.WRITE);
        }
    }

    private void touchHead(int priority, Access access) {
        local.touch(heads + 4L * priority, access);
    }

    /** Whether a runnable thread above {@code priority} is in a list (what preemption asks). */
    public boolean hasRunnableAbove(int priority) {
        for (int p = highestActive; p > priority; p--) {
            Tcb head = current[p];
            if (head != null) {
                Tcb t = head;
                do {
                    if (t.dispatchable()) {
                        return true;
                    }
                    t = t.readyNext();
                } while (t != head);
            }
        }
        return false;
    }

    public int highestActive() {
        return highestActive;
    }

    /** The list of priority {@code p} from its current pointer on, as ids (a view; free). */
    public List<ThreadId> list(int p) {
        List<ThreadId> ids = new ArrayList<>();
        Tcb head = current[p];
        if (head != null) {
            Tcb t = head;
            do {
                ids.add(t.myself());
                t = t.readyNext();
            } while (t != head);
        }
        return ids;
    }

    /** Threads deleted from a list lazily, when the dispatcher passed them. */
    public long lazyRemovals() {
        return lazyRemovals;
    }
}
