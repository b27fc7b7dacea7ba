package l4smp.hw.mem;

import static l4smp.hw.mem.Pte.ACCESSED;
import static l4smp.hw.mem.Pte.DIRTY;
import static l4smp.hw.mem.Pte.GLOBAL;
import static l4smp.hw.mem.Pte.PAGE_SIZE_4M;
import static l4smp.hw.mem.Pte.PRESENT;
import static l4smp.hw.mem.Pte.USER;
import static l4smp.hw.mem.Pte.WRITABLE;
import static l4smp.hw.mem.Pte.has;

/**
 * One CPU's memory management unit: translates a virtual address through the TLB, and on a miss
 * walks the two-level page tables in physical memory (§3.1: "If the TLB misses [...] the MMU is
 * triggered to parse the 2 level deep page tables and refills the line in the TLB. The page table
 * entries itself are cached in the L1 and L2 cache and read from it on a TLB miss"). The walk
 * reads and updates entries through the CPU's {@link PhysicalWords} view, so a TLB miss costs
 * the cache accesses of its PDE and PTE reads and nothing else.
 *
 * <p>Rights are those of the Pentium with CR0.WP set: an access needs the user bit in both the
 * PDE and the PTE if made in user mode, and the writable bit in both if it writes, in either
 * mode. A translation is cached with its effective rights; if a cached translation denies an
 * access, or a write goes through one whose dirty bit is still clear, the entry is dropped and
 * the tables are walked again, so a right the kernel has since granted is seen, a right it has
 * since revoked is not (until invlpg or a CR3 load). On a page fault the TLB holds no
 * translation of the faulting page, as on the Pentium.
 */
public final class Mmu {
    private final Tlb tlb;
    private final PhysicalWords tables;
    private long walks;
    private long faults;

    /**
     * @param tlb    this CPU's TLB
     * @param tables how the walk reads and writes page-table entries (the CPU's costed view)
     */
    public Mmu(Tlb tlb, PhysicalWords tables) {
        this.tlb = tlb;
        this.tables = tables;
    }

    /**
     * The physical address of {@code va} in the address space whose page directory CR3 holds,
     * for an access of kind {@code access} made in user mode if {@code user}.
     *
     * @throws PageFault if the tables do not allow it
     */
    public long translate(long cr3, long va, Access access, boolean user) {
        int handle = tlb.lookup(va);
        if (handle >= 0) {
            boolean allowed = (!user || tlb.user(handle))
                    && (!access.isWrite() || (tlb.writable(handle) && tlb.dirty(handle)));
            if (allowed) {
                return tlb.physical(handle, va);
            }
            tlb.invalidatePage(va);
        }
        return walk(cr3, va, access, user);
    }

    /** Entered only when the TLB holds no translation of {@code va}: a miss, or one just dropped. */
    private long walk(long cr3, long va, Access access, boolean user) {
        walks++;
        long pdeAddress = (cr3 & 0xFFFFF000L) + ((long) Pte.directoryIndex(va) << 2);
        int pde = tables.readWord(pdeAddress);
        if (!has(pde, PRESENT)) {
            throw fault(va, access, user, FaultKind.NOT_PRESENT, PageFault.Level.DIRECTORY);
        }
        boolean write = access.isWrite();
        if (has(pde, PAGE_SIZE_4M)) {
            checkRights(pde, pde, va, access, user);
            int updated = pde | ACCESSED | (write ? DIRTY : 0);
            if (updated != pde) {
                tables.writeWord(pdeAddress, updated);
            }
            long page = Pte.largeFrameAddress(pde);
            tlb.insertAbsent(va, page, true, has(pde, WRITABLE), has(pde, USER), has(updated, DIRTY), has(pde, GLOBAL));
            return page | (va & (Pte.LARGE_PAGE_BYTES - 1));
        }
        long pteAddress = Pte.frameAddress(pde) + ((long) Pte.tableIndex(va) << 2);
        int pte = tables.readWord(pteAddress);
        if (!has(pte, PRESENT)) {
            throw fault(va, access, user, FaultKind.NOT_PRESENT, PageFault.Level.TABLE);
        }
        checkRights(pde, pte, va, access, user);
        if (!has(pde, ACCESSED)) {
            tables.writeWord(pdeAddress, pde | ACCESSED);
        }
        int updated = pte | ACCESSED | (write ? DIRTY : 0);
        if (updated != pte) {
            tables.writeWord(pteAddress, updated);
        }
        long page = Pte.frameAddress(pte);
        tlb.insertAbsent(va, page, false, has(pde, WRITABLE) && has(pte, WRITABLE),
                has(pde, USER) && has(pte, USER), has(updated, DIRTY), has(pte, GLOBAL));
        return page | (va & 0xFFF);
    }

    /** For a 4 MB page {@code pde == leaf}. The level named is the one whose bit denied the access. */
    private void checkRights(int pde, int leaf, long va, Access access, boolean user) {
        if (user && !(has(pde, USER) && has(leaf, USER))) {
            throw fault(va, access, user, FaultKind.SUPERVISOR_ONLY, levelLacking(pde, leaf, USER));
        }
        if (access.isWrite() && !(has(pde, WRITABLE) && has(leaf, WRITABLE))) {
            throw fault(va, access, user, FaultKind.READ_ONLY, levelLacking(pde, leaf, WRITABLE));
        }
    }

    private static PageFault.Level levelLacking(int pde, int leaf, int bit) {
        return has(pde, bit) ? PageFault.Level.TABLE : PageFault.Level.DIRECTORY;
    }

    private PageFault fault(long va, Access access, boolean user, FaultKind kind, PageFault.Level level) {
        faults++;
        tlb.invalidatePage(va);
        return new PageFault(va, access, user, kind, level);
    }

    public Tlb tlb() {
        return tlb;
    }

    /** Page-table walks so far (TLB misses, plus re-walks for rights and dirty bits). */
    public long walks() {
        return walks;
    }

    public long faults() {
        return faults;
    }
}
