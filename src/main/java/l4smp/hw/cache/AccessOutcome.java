package l4smp.hw.cache;

/**
 * What one memory access did in the cache hierarchy, which decides its cost. The five snooping
 * outcomes are the rows of Table 2 (§3.2.2), named after the line's state in the other CPU's
 * cache before and in this CPU's cache after.
 */
public enum AccessOutcome {
    /** Hit in this CPU's L1 (Table 1 "L1 hit"); also a write to a line held E or M there. */
    L1_HIT,
    /** L1 miss, hit in this CPU's L2 (Table 1 "L1 miss"). */
    L2_HIT,
    /** Missed everywhere, line read from RAM (Table 1 "L2 miss"); for a write, read for ownership. */
    MEMORY,
    /** Read miss, another cache holds the line unmodified (E or S); all become S. Table 2 "E to S". */
    E_TO_S,
    /** Write miss, another cache holds the line unmodified; it invalidates. Table 2 "E to M". */
    E_TO_M,
    /** Read miss, another cache holds the line M; it writes back, both S. Table 2 "M to S". */
    M_TO_S,
    /** Write miss, another cache holds the line M; it writes back and invalidates. Table 2 "M to M". */
    M_TO_M,
    /** Write to a line this CPU holds S; the other copies are invalidated. Table 2 "S to M". */
    S_TO_M
}
