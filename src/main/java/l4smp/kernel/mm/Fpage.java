package l4smp.kernel.mm;

/**
 * A flexpage (fpage) of L4 Version X: a naturally aligned region of 2^size bytes of an address
 * space, the unit of map, grant and unmap (§2.2.1). Encoded in one word: the base in bits 12..31,
 * the size exponent in bits 2..7, the write right in bit 1 and the grant flag in bit 0.
 *
 * @param base     the first address, aligned to the size
 * @param log2Size 12 (one page) to 32 (the whole address space)
 * @param writable whether the receiver may write the pages (a map never widens rights)
 * @param grant    grant (move) instead of map (share)
 */
public record Fpage(long base, int log2Size, boolean writable, boolean grant) {
    public static final int PAGE_BITS = 12;
    public static final int WHOLE_SPACE_BITS = 32;
    /** The whole address space, writable: the window of a page-fault IPC's receive. */
    public static final Fpage WHOLE_SPACE = new Fpage(0, WHOLE_SPACE_BITS, true, false);

    public Fpage {
        if (log2Size >= PAGE_BITS && log2Size <= WHOLE_SPACE_BITS && (base & (size(log2Size) - 1)) != 0) {
            throw new IllegalArgumentException(String.format("fpage base 0x%x is not aligned to its size 2^%d", base, log2Size));
        }
    }

    /** Decodes {@code raw}; the base is aligned down to the size, as the kernel reads it. */
    public static Fpage decode(int raw) {
        int log2 = (raw >>> 2) & 0x3F;
        long base = raw & 0xFFFFF000L;
        if (log2 >= PAGE_BITS && log2 <= WHOLE_SPACE_BITS) {
            base &= ~(size(log2) - 1);
        }
        return new Fpage(base, log2, (raw & 2) != 0, (raw & 1) != 0);
    }

    /** A one-page or larger fpage at {@code base}. */
    public static Fpage of(long base, int log2Size, boolean writable) {
        return new Fpage(base, log2Size, writable, false);
    }

    public int encode() {
        return (int) (base & 0xFFFFF000L) | (log2Size << 2) | (writable ? 2 : 0) | (grant ? 1 : 0);
    }

    /** Whether this describes a region at all (sizes below a page describe nothing). */
    public boolean isValid() {
        return log2Size >= PAGE_BITS && log2Size <= WHOLE_SPACE_BITS;
    }

    public long size() {
        return size(log2Size);
    }

    public long end() {
        return base + size();
    }

    public boolean contains(long address) {
        return address >= base && address < end();
    }

    private static long size(int log2) {
        return 1L << log2;
    }

    @Override
    public String toString() {
        return String.format("fpage(0x%x, 2^%d, %s%s)", base, log2Size, writable ? "rw" : "ro", grant ? ", grant" : "");
    }
}
