package l4smp.hw.mem;

/**
 * Size of a CPU's data TLB: set-associative arrays for 4 KB and for 4 MB translations.
 *
 * @param smallSets sets for 4 KB pages (power of two)
 * @param smallWays ways for 4 KB pages
 * @param largeSets sets for 4 MB pages (power of two)
 * @param largeWays ways for 4 MB pages
 */
public record TlbGeometry(int smallSets, int smallWays, int largeSets, int largeWays) {
    /** The Pentium III data TLB: 64 entries 4-way for 4 KB pages, 8 entries 4-way for 4 MB pages. */
    public static final TlbGeometry PIII = new TlbGeometry(16, 4, 2, 4);

    public TlbGeometry {
        for (int sets : new int[] {smallSets, largeSets}) {
            if (sets <= 0 || Integer.bitCount(sets) != 1) {
                throw new IllegalArgumentException("TLB sets must be a power of two, not " + sets);
            }
        }
        if (smallWays <= 0 || largeWays <= 0) {
            throw new IllegalArgumentException("a TLB needs at least one way");
        }
    }
}
