package l4smp.kernel.thread;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.mm.FrameAllocator;

/**
 * The TCB area: one 1 KB TCB per thread number, found from a thread id by mask and offset and
 * validated through its {@code myself} field (slides, "Avoid Table Lookups": {@code TCB =
 * TCB_area + (thread_no & TCB_size_mask)}; "Validate Thread ID": "Are the thread IDs equal?").
 *
 * <p>The area is virtual in a real kernel and backed on demand (§8.3.2, footnote 12: "When no TCB
 * is present, it is either zero filled or if no page is present and a pagefault occurs, a zero
 * filled page will be mapped"). Here each group of four TCBs gets a kernel frame when its first
 * TCB is created; a lookup of a number whose page was never backed reads the zero page, so its
 * myself is nil and the id is invalid.
 */
public final class TcbArea {
    /** Where the TCB area begins in the kernel part of every address space, above the CPUs' communication areas. */
    public static final long VIRTUAL_BASE = 0xF000_0000L;
    private static final int TCBS = 1 << (ThreadId.TASK_BITS + ThreadId.LTHREAD_BITS);
    private static final int TCBS_PER_FRAME = PhysicalMemory.FRAME_BYTES / Tcb.SIZE;

    private final FrameAllocator frames;
    private final Tcb[] tcbs = new Tcb[TCBS];
    private final long[] pageFrames = new long[TCBS / TCBS_PER_FRAME];
    /** The TCBs backed so far, in thread-number order: for views, and for the scans of task deletion and thread death. */
    private final List<Tcb> backed = new ArrayList<>();

    public TcbArea(FrameAllocator frames) {
        this.frames = frames;
    }

    /** The virtual address of the TCB of {@code id}: the area's base plus the id's thread-number bits. */
    public static long address(ThreadId id) {
        return VIRTUAL_BASE + (id.raw() & ThreadId.THREAD_NUMBER_MASK);
    }

    /**
     * getTCB and the myself check of the send path (§8.3.2): "we check the myself field of the
     * target TCB against 0 and compare it with dest". Charges the read of the TCB's read-only line.
     *
     * @return the TCB if {@code id} names a present thread with exactly this version, else null
     */
    public Tcb find(ThreadId id, Cpu cpu) {
        if (id.isNil() || id.isInvalid() || id.isInterrupt()) {
            return null;
        }
        Tcb tcb = tcbs[id.threadNumber()];
        if (tcb == null) {
            return null;
        }
        cpu.touch(tcb.line(TcbLine.GLOBAL_READ_ONLY), Access.READ);
        return tcb.myself().equals(id) ? tcb : null;
    }

    /** The TCB of thread number {@code id.threadNumber()}, whether or not it is present; null if never backed. */
    public Tcb slot(ThreadId id) {
        return id.isNil() || id.isInvalid() || id.isInterrupt() ? null : tcbs[id.threadNumber()];
    }

    /** The present TCB of {@code id} without charging (for views and boot); null if none. */
    public Tcb present(ThreadId id) {
        Tcb tcb = slot(id);
        return tcb != null && tcb.myself().equals(id) ? tcb : null;
    }

    /**
     * The TCB for {@code id}'s thread number, backing its page with a kernel frame if needed.
     *
     * @return null if the kernel has no frame left
     */
    public Tcb backing(ThreadId id) {
        int number = id.threadNumber();
        if (tcbs[number] == null) {
            int page = number / TCBS_PER_FRAME;
            if (pageFrames[page] == 0) {
                int frame = frames.allocate();
                if (frame < 0) {
                    return null;
                }
                pageFrames[page] = (long) frame << PhysicalMemory.FRAME_SHIFT;
            }
            Tcb tcb = new Tcb(number, pageFrames[page] + (long) (number % TCBS_PER_FRAME) * Tcb.SIZE);
            tcbs[number] = tcb;
            int at = 0;
            while (at < backed.size() && backed.get(at).threadNumber() < number) {
                at++;
            }
            backed.add(at, tcb);
        }
        return tcbs[number];
    }

    /** Every TCB ever backed, in thread-number order. */
    public List<Tcb> all() {
        return java.util.Collections.unmodifiableList(backed);
    }
}
