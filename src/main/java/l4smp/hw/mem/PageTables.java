package l4smp.hw.mem;

import java.util.function.IntSupplier;

/**
 * Builds and edits two-level page tables in physical memory the way a Pentium kernel does, for
 * setup code, benchmarks and tests (the kernel may use it too). Through {@link PhysicalMemory}
 * the edits are free; through a CPU's {@link l4smp.hw.Cpu#physical()} view each entry read or
 * written is charged. Editing tables never touches a TLB: invalidating stale translations is the
 * caller's business (§3.1.1), exactly as on the hardware.
 *
 * <p>A page table this class creates is entered in the directory present, writable and user, so
 * that the rights of a 4 KB page are decided by its PTE alone.
 */
public final class PageTables {
    private static final int TABLE_PDE_FLAGS = Pte.PRESENT | Pte.WRITABLE | Pte.USER;

    private final PhysicalWords memory;
    private final IntSupplier zeroedFrames;

    /**
     * @param memory       where the tables live
     * @param zeroedFrames gives the number of a free, zero-filled frame each time a new page
     *                     directory or page table is needed
     */
    public PageTables(PhysicalWords memory, IntSupplier zeroedFrames) {
        this.memory = memory;
        this.zeroedFrames = zeroedFrames;
    }

    /** A new, empty page directory; its physical address is what CR3 is loaded with. */
    public long newDirectory() {
        return (long) zeroedFrames.getAsInt() << PhysicalMemory.FRAME_SHIFT;
    }

    /** Maps the 4 KB page of {@code va} to the frame at {@code pa} with {@code flags} (PRESENT is added). */
    public void map(long directory, long va, long pa, int flags) {
        long pdeAddress = pdeAddress(directory, va);
        int pde = memory.readWord(pdeAddress);
        if (Pte.has(pde, Pte.PRESENT) && Pte.has(pde, Pte.PAGE_SIZE_4M)) {
            throw new IllegalStateException(String.format(
                    "0x%08x lies in a 4 MB page; unmap it before mapping 4 KB pages there", va));
        }
        if (!Pte.has(pde, Pte.PRESENT)) {
            long table = (long) zeroedFrames.getAsInt() << PhysicalMemory.FRAME_SHIFT;
            pde = Pte.entry(table, TABLE_PDE_FLAGS);
            memory.writeWord(pdeAddress, pde);
        }
        memory.writeWord(pteAddress(pde, va), Pte.entry(pa & ~0xFFFL, flags | Pte.PRESENT));
    }

    /** Maps the 4 MB page of {@code va} to the 4 MB aligned {@code pa} with {@code flags}. */
    public void mapLarge(long directory, long va, long pa, int flags) {
        memory.writeWord(pdeAddress(directory, va), Pte.largeEntry(pa, flags | Pte.PRESENT));
    }

    /** Clears the PTE of {@code va} (or its PDE if it is a 4 MB page). */
    public void unmap(long directory, long va) {
        long pdeAddress = pdeAddress(directory, va);
        int pde = memory.readWord(pdeAddress);
        if (!Pte.has(pde, Pte.PRESENT)) {
            return;
        }
        if (Pte.has(pde, Pte.PAGE_SIZE_4M)) {
            memory.writeWord(pdeAddress, 0);
        } else {
            memory.writeWord(pteAddress(pde, va), 0);
        }
    }

    /** Replaces the flags of {@code va}'s PTE (or 4 MB PDE), keeping its frame. */
    public void setFlags(long directory, long va, int flags) {
        long pdeAddress = pdeAddress(directory, va);
        int pde = memory.readWord(pdeAddress);
        if (Pte.has(pde, Pte.PRESENT) && Pte.has(pde, Pte.PAGE_SIZE_4M)) {
            memory.writeWord(pdeAddress, Pte.largeEntry(Pte.largeFrameAddress(pde), flags));
            return;
        }
        if (!Pte.has(pde, Pte.PRESENT)) {
            throw new IllegalStateException(String.format("0x%08x has no page table", va));
        }
        long pteAddress = pteAddress(pde, va);
        memory.writeWord(pteAddress, Pte.entry(Pte.frameAddress(memory.readWord(pteAddress)), flags));
    }

    public int pde(long directory, long va) {
        return memory.readWord(pdeAddress(directory, va));
    }

    /** The PTE of {@code va}, 0 if its PDE is not present; the PDE itself for a 4 MB page. */
    public int pte(long directory, long va) {
        int pde = pde(directory, va);
        if (!Pte.has(pde, Pte.PRESENT) || Pte.has(pde, Pte.PAGE_SIZE_4M)) {
            return Pte.has(pde, Pte.PRESENT) ? pde : 0;
        }
        return memory.readWord(pteAddress(pde, va));
    }

    /** What the tables say now (no TLB, no rights check): the physical address of {@code va}, or -1. */
    public long translate(long directory, long va) {
        int pde = pde(directory, va);
        if (!Pte.has(pde, Pte.PRESENT)) {
            return -1;
        }
        if (Pte.has(pde, Pte.PAGE_SIZE_4M)) {
            return Pte.largeFrameAddress(pde) | (va & (Pte.LARGE_PAGE_BYTES - 1));
        }
        int pte = memory.readWord(pteAddress(pde, va));
        return Pte.has(pte, Pte.PRESENT) ? Pte.frameAddress(pte) | (va & 0xFFF) : -1;
    }

    private static long pdeAddress(long directory, long va) {
        checkVirtual(va);
        return (directory & 0xFFFFF000L) + ((long) Pte.directoryIndex(va) << 2);
    }

    private static long pteAddress(int pde, long va) {
        return Pte.frameAddress(pde) + ((long) Pte.tableIndex(va) << 2);
    }

    private static void checkVirtual(long va) {
        if (va < 0 || va > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(String.format("0x%x is not a 32-bit virtual address", va));
        }
    }
}
