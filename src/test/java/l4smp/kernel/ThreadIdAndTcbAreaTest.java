package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l4smp.hw.Machine;
import l4smp.hw.MachineConfig;
import l4smp.hw.sched.Scheduler;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbArea;
import l4smp.kernel.thread.ThreadId;
import org.junit.jupiter.api.Test;

/** Version X.0 thread ids, and TCBs found by mask and offset and validated by myself (slides). */
class ThreadIdAndTcbAreaTest {
    @Test
    void theFieldsSitWhereVersionX0PutsThem() {
        ThreadId id = ThreadId.of(0x12, 0x05, 0x3FF);
        assertEquals((0x12 << 16) | (0x05 << 10) | 0x3FF, id.raw());
        assertEquals(0x12, id.task());
        assertEquals(0x05, id.lthread());
        assertEquals(0x3FF, id.version());
        assertEquals((0x12 << 6) | 0x05, id.threadNumber());
        assertEquals("18.5v1023", id.toString());
        assertThrows(IllegalArgumentException.class, () -> ThreadId.of(256, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ThreadId.of(1, 64, 0));
    }

    @Test
    void interruptThreadsAreIrqPlusOne() {
        assertEquals(4, ThreadId.ofIrq(3).raw(), "l4_make_taskid_from_irq: raw = irq + 1");
        assertTrue(ThreadId.ofIrq(3).isInterrupt());
        assertEquals(3, ThreadId.ofIrq(3).irq());
        assertTrue(ThreadId.NIL.isNil() && !ThreadId.NIL.isInterrupt());
        assertEquals("irq3", ThreadId.ofIrq(3).toString());
    }

    @Test
    void aTcbIsFoundByMaskingTheIdAndAddingTheAreaBase() {
        ThreadId id = ThreadId.of(7, 9, 3);
        assertEquals(TcbArea.VIRTUAL_BASE + (long) id.threadNumber() * Tcb.SIZE, TcbArea.address(id),
                "TCB = TCB_area + (thread_no & TCB_size_mask): no table lookup");
        assertEquals(TcbArea.address(id), TcbArea.address(ThreadId.of(7, 9, 4)), "versions share the TCB");
    }

    @Test
    void findValidatesTheIdThroughMyself() {
        Machine machine = new Machine(MachineConfig.pentium3(1).withMemoryFrames(1024), Scheduler.earliestClockFirst());
        TcbArea area = new TcbArea(new FrameAllocator(machine.memory(), 1, 64));
        ThreadId id = ThreadId.of(5, 1, 2);
        Tcb tcb = area.backing(id);
        assertNull(area.find(id, machine.cpu(0)), "backed but not created: myself is nil");
        tcb.create(id, null, 0);
        assertSame(tcb, area.find(id, machine.cpu(0)));
        assertNull(area.find(ThreadId.of(5, 1, 3), machine.cpu(0)), "another version: myself differs");
        assertNull(area.find(ThreadId.of(5, 2, 2), machine.cpu(0)), "never backed");
        assertNull(area.find(ThreadId.NIL, machine.cpu(0)));
        Tcb neighbour = area.backing(ThreadId.of(5, 0, 0));
        assertEquals(tcb.physical() & ~0xFFFL, neighbour.physical() & ~0xFFFL, "four TCBs share a frame");
        assertNotEquals(tcb.physical(), neighbour.physical());
        tcb.vanish();
        assertNull(area.find(id, machine.cpu(0)), "a deleted thread's id is invalid");
    }
}
