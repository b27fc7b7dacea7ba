package l4smp.hw.mem;

/**
 * The bits of a Pentium page-directory entry (PDE) and page-table entry (PTE), 32 bits each, and
 * how to build and read them. The two-level tables (§3.1, footnote 6: "Intel calls these page
 * directory for the first and page table for the second level") live in simulated physical
 * memory, so a kernel writes them with ordinary stores and the MMU reads them back through the
 * caches.
 */
public final class Pte {
    /** The entry maps something; if clear, every other bit is the software's. */
    public static final int PRESENT = 1;
    /** Writes allowed (for the kernel too: the model runs with CR0.WP set). */
    public static final int WRITABLE = 1 << 1;
    /** User-mode (CPL 3) accesses allowed. */
    public static final int USER = 1 << 2;
    /** Set by the MMU when a translation through the entry is loaded into the TLB. */
    public static final int ACCESSED = 1 << 5;
    /** Set by the MMU in the PTE (or 4 MB PDE) on the first write through it. */
    public static final int DIRTY = 1 << 6;
    /** In a PDE: maps a 4 MB page directly instead of pointing to a page table. */
    public static final int PAGE_SIZE_4M = 1 << 7;
    /** The translation survives a CR3 load (CR4.PGE is on): how L4 keeps kernel TLB entries. */
    public static final int GLOBAL = 1 << 8;

    /** Frame address of a 4 KB page, or the page table a PDE points to. */
    public static final int FRAME_MASK = 0xFFFFF000;
    /** Frame address of a 4 MB page in a PDE with {@link #PAGE_SIZE_4M}. */
    public static final int LARGE_FRAME_MASK = 0xFFC00000;
    public static final long LARGE_PAGE_BYTES = 4L << 20;

    private Pte() {
    }

    /** An entry pointing at physical address {@code frameAddress} (4 KB aligned) with {@code flags}. */
    public static int entry(long frameAddress, int flags) {
        if ((frameAddress & 0xFFF) != 0 || frameAddress < 0 || frameAddress > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(String.format(
                    "0x%x is not a 4 KB aligned 32-bit physical address", frameAddress));
        }
        return (int) frameAddress | (flags & 0xFFF);
    }

    /** A PDE mapping a 4 MB page at {@code frameAddress} (4 MB aligned). */
    public static int largeEntry(long frameAddress, int flags) {
        if ((frameAddress & (LARGE_PAGE_BYTES - 1)) != 0) {
            throw new IllegalArgumentException(String.format(
                    "0x%x is not a 4 MB aligned physical address", frameAddress));
        }
        return entry(frameAddress, flags | PAGE_SIZE_4M);
    }

    public static boolean has(int entry, int flag) {
        return (entry & flag) != 0;
    }

    public static long frameAddress(int entry) {
        return entry & 0xFFFFF000L;
    }

    public static long largeFrameAddress(int entry) {
        return entry & 0xFFC00000L;
    }

    /** Index of the PDE that translates {@code va}. */
    public static int directoryIndex(long va) {
        return (int) ((va >>> 22) & 0x3FF);
    }

    /** Index of the PTE that translates {@code va} within its page table. */
    public static int tableIndex(long va) {
        return (int) ((va >>> 12) & 0x3FF);
    }

    /** "P W U A D 4M G" flags of {@code entry}, for messages. */
    public static String describe(int entry) {
        StringBuilder text = new StringBuilder(String.format("0x%08x[", entry));
        String[] names = {"P", "W", "U", "", "", "A", "D", "4M", "G"};
        for (int bit = 0; bit < names.length; bit++) {
            if (!names[bit].isEmpty() && (entry & (1 << bit)) != 0) {
                text.append(text.charAt(text.length() - 1) == '[' ? "" : " ").append(names[bit]);
            }
        }
        return text.append(']').toString();
    }
}
