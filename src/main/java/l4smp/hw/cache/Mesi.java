package l4smp.hw.cache;

/**
 * The state of one cache line in one CPU's caches under the bus-snooping MESI protocol (§3.1.2):
 * exclusive modified, exclusive unmodified, shared unmodified, invalid.
 */
public enum Mesi {
    MODIFIED, EXCLUSIVE, SHARED, INVALID;

    /** The letter the thesis uses (M, E, S, I). */
    public char letter() {
        return name().charAt(0);
    }
}
