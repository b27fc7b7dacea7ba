package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import l4smp.hw.cache.AccessOutcome;
import l4smp.hw.cache.CacheGeometry;
import l4smp.hw.cache.CacheHierarchy;
import l4smp.hw.cache.Mesi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §3.1.2 and §3.2.2: the MESI transitions of each row of Table 2 and what they cost. */
class MesiTest {
    private static final long LINE = 0x10000;
    private static final CostModel COSTS = CostModel.pentium3At450MHz();
    private CacheHierarchy caches;
    /** Each access starts 1000 cycles after the previous one, long after it completed. */
    private long now;

    @BeforeEach
    void setUp() {
        caches = new CacheHierarchy(2, CacheGeometry.PIII_L1, CacheGeometry.PIII_L2, COSTS::of);
    }

    private long read(int cpu) {
        return caches.access(cpu, LINE, false, now += Cycles.of(1000));
    }

    private long write(int cpu) {
        return caches.access(cpu, LINE, true, now += Cycles.of(1000));
    }

    /** What the first processor does to prepare the line, and what the second then does (Table 2's order). */
    static Stream<Arguments> table2() {
        return Stream.of(
                Arguments.of("E to S", false, false, false, AccessOutcome.E_TO_S, 63.82, Mesi.SHARED, Mesi.SHARED),
                Arguments.of("E to M", false, false, true, AccessOutcome.E_TO_M, 49.23, Mesi.INVALID, Mesi.MODIFIED),
                Arguments.of("M to S", true, false, false, AccessOutcome.M_TO_S, 89.52, Mesi.SHARED, Mesi.SHARED),
                Arguments.of("M to M", true, false, true, AccessOutcome.M_TO_M, 89.39, Mesi.INVALID, Mesi.MODIFIED),
                Arguments.of("S to M", false, true, true, AccessOutcome.S_TO_M, 49.23, Mesi.INVALID, Mesi.MODIFIED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table2")
    void table2Row(String row, boolean firstWrites, boolean secondReadsFirst, boolean secondWrites,
                   AccessOutcome outcome, double cycles, Mesi firstAfter, Mesi secondAfter) {
        if (firstWrites) {
            write(0);
        } else {
            read(0);
        }
        assertEquals(firstWrites ? Mesi.MODIFIED : Mesi.EXCLUSIVE, caches.state(0, LINE));
        if (secondReadsFirst) {
            read(1);
            assertEquals(Mesi.SHARED, caches.state(0, LINE));
        }

        long cost = secondWrites ? write(1) : read(1);

        assertEquals(outcome, caches.lastOutcome());
        assertEquals(Cycles.of(cycles), cost);
        assertEquals(firstAfter, caches.state(0, LINE));
        assertEquals(secondAfter, caches.state(1, LINE));
        assertEquals(firstAfter != Mesi.INVALID, caches.inL1(0, LINE), "an invalidated line leaves L1 too");
    }

    @Test
    void table1ReadsFromMemoryThenL1() {
        assertEquals(COSTS.memory(), read(0));
        assertEquals(AccessOutcome.MEMORY, caches.lastOutcome());
        assertEquals(Mesi.EXCLUSIVE, caches.state(0, LINE));
        assertEquals(COSTS.l1Hit(), read(0));
        assertEquals(AccessOutcome.L1_HIT, caches.lastOutcome());
    }

    @Test
    void table1L1MissL2HitAfterClashingLinesEvictL1() {
        read(0);
        int wayBytes = CacheGeometry.PIII_L1.wayBytes();
        for (int way = 1; way <= CacheGeometry.PIII_L1.ways(); way++) {
            caches.access(0, LINE + (long) way * wayBytes, false, 0);
        }
        assertFalse(caches.inL1(0, LINE));

        assertEquals(COSTS.l2Hit(), read(0));
        assertEquals(AccessOutcome.L2_HIT, caches.lastOutcome());
        assertTrue(caches.inL1(0, LINE));
    }

    @Test
    void evictionFromL2EvictsFromL1AndWritesBackModifiedLines() {
        write(0);
        int wayBytes = CacheGeometry.PIII_L2.wayBytes();
        for (int way = 1; way <= CacheGeometry.PIII_L2.ways(); way++) {
            caches.access(0, LINE + (long) way * wayBytes, false, 0);
        }

        assertEquals(Mesi.INVALID, caches.state(0, LINE));
        assertFalse(caches.inL1(0, LINE));
        assertEquals(1, caches.writebacks());
        assertEquals(COSTS.memory(), read(0));
    }

    @Test
    void writingAnExclusiveLineIsSilent() {
        read(0);
        assertEquals(COSTS.l1Hit(), write(0));
        assertEquals(Mesi.MODIFIED, caches.state(0, LINE));
    }

    @Test
    void aSnoopingReaderWaitsForTheWriterToComplete() {
        long written = caches.access(0, LINE, true, Cycles.of(1000));
        assertEquals(COSTS.memory(), written);

        long cost = caches.access(1, LINE, false, Cycles.of(1010));

        assertEquals(Cycles.of(1000) + COSTS.memory() - Cycles.of(1010) + COSTS.modifiedToShared(), cost);
        assertEquals(1, caches.waits());
        assertEquals(COSTS.l1Hit(), caches.access(1, LINE, false, Cycles.of(2000)), "no wait once shared");
    }

    @Test
    void accessesAreCountedByOutcome() {
        read(0);
        read(1);
        write(1);
        assertEquals(1, caches.count(AccessOutcome.MEMORY));
        assertEquals(1, caches.count(AccessOutcome.E_TO_S));
        assertEquals(1, caches.count(AccessOutcome.S_TO_M));
        assertEquals(3, caches.accesses());
    }
}
