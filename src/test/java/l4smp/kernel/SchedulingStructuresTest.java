package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.Machine;
import l4smp.hw.MachineConfig;
import l4smp.hw.sched.Scheduler;
import l4smp.kernel.sched.ReadyList;
import l4smp.kernel.sched.WakeupQueue;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import org.junit.jupiter.api.Test;

/** The per-CPU ready lists and wakeup queue on their own. */
class SchedulingStructuresTest {
    private final Machine machine = new Machine(MachineConfig.pentium3(1).withMemoryFrames(1024), Scheduler.earliestClockFirst());
    private final Cpu cpu = machine.cpu(0);
    private int next = 1;

    private Tcb thread(int priority) {
        ThreadId id = ThreadId.of(next / 64 + 4, next % 64, 0);
        Tcb t = new Tcb(id.threadNumber(), 0x10000L + 1024L * next);
        t.create(id, null, 0);
        next++;
        t.priority(priority);
        t.timeslice(100);
        t.remainingTimeslice(100);
        return t;
    }

    @Test
    void theHighestActivePriorityIsSelected() {
        ReadyList list = new ReadyList(cpu, 0x8000);
        Tcb low = thread(10);
        Tcb high = thread(200);
        list.enqueue(low);
        list.enqueue(high);
        assertSame(high, list.select());
        high.state(ThreadState.WAITING);
        assertSame(low, list.select(), "the waiting thread is passed and removed");
        assertTrue(!high.inReadyList() && list.lazyRemovals() == 1);
        assertEquals(10, list.highestActive(), "highest active p fell to the next non-empty priority");
    }

    @Test
    void roundRobinMovesOnWhenTheTimeSliceIsUsedUp() {
        ReadyList list = new ReadyList(cpu, 0x8000);
        Tcb a = thread(50);
        Tcb b = thread(50);
        list.enqueue(a);
        list.enqueue(b);
        assertSame(a, list.select());
        assertSame(a, list.select(), "a still has time left");
        a.remainingTimeslice(0);
        assertSame(b, list.select());
        assertEquals(100, a.remainingTimeslice(), "a got a new time slice");
        assertEquals(List.of(b.myself(), a.myself()), list.list(50));
    }

    @Test
    void enqueueingAThreadStillInItsListKeepsItsPlace() {
        ReadyList list = new ReadyList(cpu, 0x8000);
        Tcb a = thread(50);
        Tcb b = thread(50);
        list.enqueue(a);
        list.enqueue(b);
        a.state(ThreadState.WAITING);
        a.state(ThreadState.READY);
        list.enqueue(a);
        assertEquals(List.of(a.myself(), b.myself()), list.list(50), "lazily kept: no delete and insert");
        list.remove(a);
        list.remove(b);
        assertNull(list.select());
    }

    @Test
    void theWakeupQueueIsOrderedByTimeThenByArrival() {
        WakeupQueue queue = new WakeupQueue(cpu, 0x9000);
        Tcb late = thread(1);
        Tcb early = thread(1);
        Tcb tie = thread(1);
        queue.enqueue(late, 500);
        queue.enqueue(early, 100);
        queue.enqueue(tie, 500);
        assertEquals(List.of(early.myself(), late.myself(), tie.myself()), queue.list());
        for (Tcb t : List.of(late, early, tie)) {
            t.state(ThreadState.WAITING);
        }
        assertNull(queue.firstExpiredBlocked(99));
        assertSame(early, queue.firstExpiredBlocked(100));
        early.state(ThreadState.LOCKED_WAITING);
        assertNull(queue.firstExpiredBlocked(100), "a locked thread's expired entry is passed over");
        assertSame(late, queue.firstExpiredBlocked(500), "and the next expired one found");
        early.state(ThreadState.WAITING);
        queue.dequeue(early);
        queue.dequeue(early);
        queue.enqueue(late, 50);
        assertEquals(List.of(late.myself(), tie.myself()), queue.list(), "a new timeout replaces the old entry");
        assertEquals(-1, early.wakeupTime());
    }
}
