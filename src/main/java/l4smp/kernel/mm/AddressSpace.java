package l4smp.kernel.mm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import l4smp.hw.mem.PageTables;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.hw.mem.PhysicalWords;
import l4smp.hw.mem.Pte;

/**
 * An address space (§2.2): a Pentium page directory with its page tables in simulated physical
 * memory, and this space's entries of the mapping database, one per mapped page.
 *
 * <p>The virtual layout: user pages below {@link #USER_LIMIT}; the UTCB page and the kernel info
 * page just below 3 GB, mapped read-only by the kernel; from 3 GB up the kernel (§2.1.2: "address
 * spaces are only the first 3GB"), in which each CPU has two page-directory slots of its own,
 * {@link #commArea(int)}: the communication area that a long-IPC copy on that CPU maps the
 * receiver's destination into (§8.8.2: "2x 4MB are mapped to avoid border checking"; "In the SMP
 * kernel we have to reserve an area per processor to map the copy destination, since we do not
 * want to restrict long IPC such, that only one copy operation may be performed at the same
 * time"). Without per-CPU page directories (§8.8.1's trick) the areas are side by side in every
 * directory; a copy on CPU c uses only c's.
 *
 * <p>Page-table accesses go through the {@link PhysicalWords} view a caller passes: a CPU's
 * charged view in a kernel step, physical memory itself at boot.
 */
public final class AddressSpace {
    public static final long USER_LIMIT = 0xBF00_0000L;
    public static final long UTCB_AREA = 0xBFE0_0000L;
    public static final long KERNEL_INFO_PAGE = 0xBFF0_0000L;
    public static final long KERNEL_BASE = 0xC000_0000L;
    /** Where CPU 0's communication area begins; CPU c's follows at c times {@link #COMM_AREA_SIZE}. */
    public static final long COMM_AREAS = 0xE000_0000L;
    public static final long COMM_AREA_SIZE = 8L << 20;
    private static final int USER_FLAGS = Pte.USER;

    private final int taskNumber;
    private final long directory;
    private final FrameAllocator frames;
    private final List<Integer> tables = new ArrayList<>();
    /** Mapping-database entries of this space, by virtual page number. */
    private final TreeMap<Long, MappingNode> nodes = new TreeMap<>();
    /** Sigma0's space: every free frame is mapped idempotently and is a root of the mapping database. */
    private final boolean sigma0;

    public AddressSpace(int taskNumber, long directory, FrameAllocator frames, boolean sigma0) {
        this.taskNumber = taskNumber;
        this.directory = directory;
        this.frames = frames;
        this.sigma0 = sigma0;
    }

    /** The communication area of CPU {@code cpu}. */
    public static long commArea(int cpu) {
        return COMM_AREAS + cpu * COMM_AREA_SIZE;
    }

    /** The first of the two page-directory slots of CPU {@code cpu}'s communication area. */
    public static int commPde(int cpu) {
        return Pte.directoryIndex(commArea(cpu));
    }

    public int taskNumber() {
        return taskNumber;
    }

    /** The physical address of the page directory: what CR3 holds while a thread of this space runs. */
    public long directory() {
        return directory;
    }

    public boolean isSigma0() {
        return sigma0;
    }

    /**
     * Enters a user mapping of the page of {@code va} to the frame at {@code pa}.
     *
     * @return false if a page table was needed and the kernel has no frame left
     */
    public boolean map(PhysicalWords memory, long va, long pa, boolean writable) {
        return enter(memory, va, pa, USER_FLAGS | (writable ? Pte.WRITABLE : 0));
    }

    /** A kernel-provided read-only page (UTCB, kernel info page); no mapping-database entry. */
    public boolean mapKernelPage(PhysicalWords memory, long va, long pa) {
        return enter(memory, va, pa, USER_FLAGS);
    }

    private boolean enter(PhysicalWords memory, long va, long pa, int flags) {
        if (!Pte.has(tables(memory).pde(directory, va), Pte.PRESENT) && frames.available() == 0) {
            return false;
        }
        tables(memory).map(directory, va & ~0xFFFL, pa & ~0xFFFL, flags);
        return true;
    }

    public void unmap(PhysicalWords memory, long va) {
        tables(memory).unmap(directory, va);
    }

    /** Weakens the mapping of {@code va} to read-only (§2.2.2). */
    public void weaken(PhysicalWords memory, long va) {
        int pte = tables(memory).pte(directory, va);
        if (Pte.has(pte, Pte.PRESENT)) {
            tables(memory).setFlags(directory, va, (pte & 0xFFF) & ~Pte.WRITABLE);
        }
    }

    /** The PTE of {@code va} (0 if none). */
    public int pte(PhysicalWords memory, long va) {
        return tables(memory).pte(directory, va);
    }

    /** The physical address {@code va} is mapped to, or -1. */
    public long translate(PhysicalWords memory, long va) {
        return tables(memory).translate(directory, va);
    }

    public int pde(PhysicalWords memory, int index) {
        return memory.readWord(directory + 4L * index);
    }

    public void pde(PhysicalWords memory, int index, int value) {
        memory.writeWord(directory + 4L * index, value);
    }

    private PageTables tables(PhysicalWords memory) {
        return new PageTables(memory, () -> {
            int frame = frames.allocateOrFail("a page table of task " + taskNumber);
            tables.add(frame);
            return frame;
        });
    }

    // ---- mapping-database entries ----

    public MappingNode node(long va) {
        return nodes.get(va >>> PhysicalMemory.FRAME_SHIFT);
    }

    void putNode(MappingNode node) {
        nodes.put(node.va() >>> PhysicalMemory.FRAME_SHIFT, node);
    }

    void removeNode(MappingNode node) {
        nodes.remove(node.va() >>> PhysicalMemory.FRAME_SHIFT, node);
    }

    /** The entries in [from, to), in address order. */
    public Collection<MappingNode> nodesIn(long from, long to) {
        return new ArrayList<>(nodes.subMap(from >>> PhysicalMemory.FRAME_SHIFT, true,
                (to - 1) >>> PhysicalMemory.FRAME_SHIFT, true).values());
    }

    /** Kernel frames left for new page tables. */
    public int framesAvailable() {
        return frames.available();
    }

    /** Gives the page directory and tables back to the kernel (the task was deleted). */
    public void release() {
        for (int frame : tables) {
            frames.release(frame);
        }
        tables.clear();
        frames.release((int) (directory >>> PhysicalMemory.FRAME_SHIFT));
    }

    @Override
    public String toString() {
        return "space of task " + taskNumber;
    }
}
