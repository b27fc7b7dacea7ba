package l4smp.kernel.mm;

import java.util.ArrayDeque;
import l4smp.hw.mem.PhysicalMemory;

/**
 * The kernel's own frames: page directories and tables, TCB pages, UTCB pages, the kernel info
 * page and per-CPU data. They come from a pool at the bottom of physical memory that sigma0 never
 * owns; everything above it is sigma0's (§2.2: "we construct an initial address space called
 * sigma 0 and establish a mapping to all available frames (i.e. to those not used by the
 * µ-kernel itself)"). Frames are handed out zero-filled; lowest free first, so runs are
 * deterministic.
 */
public final class FrameAllocator {
    private final PhysicalMemory memory;
    private final int first;
    private final int limit;
    private int next;
    private final ArrayDeque<Integer> released = new ArrayDeque<>();

    /** Frames {@code first} up to (excluding) {@code limit}. */
    public FrameAllocator(PhysicalMemory memory, int first, int limit) {
        if (first < 0 || limit > memory.frameCount() || first >= limit) {
            throw new IllegalArgumentException("kernel frame pool " + first + ".." + limit + " does not fit "
                    + memory.frameCount() + " frames of memory");
        }
        this.memory = memory;
        this.first = first;
        this.limit = limit;
        this.next = first;
    }

    /** A zero-filled frame's number, or -1 if the pool is exhausted. */
    public int allocate() {
        int frame;
        if (!released.isEmpty()) {
            frame = released.poll();
        } else if (next < limit) {
            frame = next++;
        } else {
            return -1;
        }
        memory.zeroFrame(frame);
        return frame;
    }

    /** Like {@link #allocate} but fails with a message naming what the frame was for. */
    public int allocateOrFail(String purpose) {
        int frame = allocate();
        if (frame < 0) {
            throw new IllegalStateException("out of kernel memory: no frame left for " + purpose
                    + " (the pool has " + (limit - first) + " frames)");
        }
        return frame;
    }

    public void release(int frame) {
        if (frame < first || frame >= limit) {
            throw new IllegalArgumentException("frame " + frame + " is not a kernel frame");
        }
        released.add(frame);
    }

    public int available() {
        return limit - next + released.size();
    }

    /** The first frame not in the pool: sigma0 owns this frame and all above. */
    public int limit() {
        return limit;
    }
}
