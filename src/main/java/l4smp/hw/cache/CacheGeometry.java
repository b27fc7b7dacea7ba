package l4smp.hw.cache;

/**
 * Size and organisation of one set-associative cache with 32-byte lines (§3.1: "Both caches have
 * 32 byte wide cachelines").
 *
 * @param sets number of sets, a power of two
 * @param ways lines per set
 */
public record CacheGeometry(int sets, int ways) {
    /** §3.1. */
    public static final int LINE_BYTES = 32;
    /** log2 of {@link #LINE_BYTES}: a physical address shifted right by this is its line number. */
    public static final int LINE_SHIFT = 5;

    /** §3.2: "a 16 KB 4 way set associative level 1" cache. */
    public static final CacheGeometry PIII_L1 = ofBytes(16 * 1024, 4);
    /** §3.2: "a 512 KB level 2 cache"; the Katmai's off-die L2 is 4-way set associative. */
    public static final CacheGeometry PIII_L2 = ofBytes(512 * 1024, 4);

    public CacheGeometry {
        if (sets <= 0 || Integer.bitCount(sets) != 1) {
            throw new IllegalArgumentException("a cache needs a power-of-two number of sets, not " + sets);
        }
        if (ways <= 0 || ways > 64) {
            throw new IllegalArgumentException("a cache needs 1 to 64 ways, not " + ways);
        }
    }

    /** A cache of {@code bytes} capacity and {@code ways} associativity. */
    public static CacheGeometry ofBytes(int bytes, int ways) {
        if (bytes <= 0 || ways <= 0 || bytes % (LINE_BYTES * ways) != 0) {
            throw new IllegalArgumentException(
                    "a cache of " + bytes + " bytes cannot be split into " + ways + " ways of 32-byte lines");
        }
        return new CacheGeometry(bytes / (LINE_BYTES * ways), ways);
    }

    public int capacityBytes() {
        return sets * ways * LINE_BYTES;
    }

    /** Bytes between two addresses that fall into the same set. */
    public int wayBytes() {
        return sets * LINE_BYTES;
    }
}
