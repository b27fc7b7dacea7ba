package l4smp.hw.bench;

import java.util.List;
import l4smp.hw.CostModel;
import l4smp.hw.Cycles;

/**
 * §3.2.1, Table 1: "I consecutively read a dword from memory addresses, that correspond to the
 * first dword of different cachelines and measured the delay [...] I read one byte of each page in
 * advance, assuring that a valid translation is cached in the TLB. To generate L1, respectively L2
 * misses, the caches were flushed by reading some other data that clashes with one to be used for
 * the measurement. [...] 1. reading 256 dwords from register 2. [...] that hit in the L1 cache
 * [...] 3. [...] misses in the L1 cache, but hits in the L2 cache 4. [...] misses in the L1 as
 * well as in the L2 cache on a single processor while the other one was idling".
 *
 * <p>Run on CPU 0 of a fresh two-CPU machine, one loop iteration per step: the loop's own
 * instructions cost {@link ThesisFigures#LOOP_ITERATION} (what the register loop measures), the
 * read goes through the MMU, TLB and caches. The clashing data is chosen from the cache geometry:
 * lines a multiple of the L1 way size (4 KB) but not of the L2 way size (128 KB) away evict a line
 * from L1 only; lines a multiple of the L2 way size away evict it from both.
 */
final class CacheLoops {
    static final int LINES = 256;
    /** The measured lines: 256 consecutive 32-byte lines from 8 MB. */
    static final long REGION = 8L << 20;
    private static final int REGION_BYTES = LINES * 32;
    private static final long LOOP = Cycles.of(ThesisFigures.LOOP_ITERATION);

    enum Kind { REGISTER, L1_HIT, L2_HIT, MEMORY }

    private CacheLoops() {
    }

    /** Cycles for the whole 256-iteration loop of {@code kind}. */
    static double measure(Kind kind, CostModel costs) {
        BenchMachine bench = new BenchMachine(2, costs);
        Stopwatch watch = new Stopwatch();
        Script script = new Script()
                .then(cpu -> cpu.load(REGION + (3L << 20))); // warm the TLB: one 4 MB page holds everything
        switch (kind) {
            case REGISTER -> { }
            case L1_HIT -> readRegion(script, REGION);
            case L2_HIT -> {
                readRegion(script, REGION);
                for (int j = 1; j <= 4; j++) {
                    readRegion(script, REGION + j * 16L * 1024); // same L1 sets, other L2 sets
                }
            }
            case MEMORY -> {
                readRegion(script, REGION);
                for (int j = 1; j <= 4; j++) {
                    readRegion(script, REGION + j * 128L * 1024); // same L1 and L2 sets
                }
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        script.then(watch::start)
                .repeat(LINES, (cpu, i) -> {
                    cpu.chargeMillicycles(LOOP);
                    if (kind != Kind.REGISTER) {
                        cpu.load(REGION + 32L * i);
                    }
                })
                .then(watch::stop);
        bench.software.run(0, script);
        bench.runToEnd(100_000);
        return watch.cycles();
    }

    private static void readRegion(Script script, long base) {
        script.repeat(LINES, (cpu, i) -> cpu.load(base + 32L * i));
    }

    /** The seven rows of Table 1: four loops and the three per-line costs derived from them. */
    static List<BenchRow> rows(CostModel costs) {
        double register = measure(Kind.REGISTER, costs);
        double l1 = measure(Kind.L1_HIT, costs);
        double l2 = measure(Kind.L2_HIT, costs);
        double memory = measure(Kind.MEMORY, costs);
        return List.of(
                new BenchRow("T1 256-line loop, register", register, ThesisFigures.REGISTER_LOOP),
                new BenchRow("T1 256-line loop, L1 hit", l1, ThesisFigures.L1_HIT_LOOP),
                new BenchRow("T1 256-line loop, L1 miss L2 hit", l2, ThesisFigures.L2_HIT_LOOP),
                new BenchRow("T1 256-line loop, L2 miss", memory, ThesisFigures.MEMORY_LOOP),
                new BenchRow("T1 per line, L1 hit", (l1 - register) / LINES, ThesisFigures.L1_HIT_LINE),
                new BenchRow("T1 per line, L1 miss L2 hit", (l2 - register) / LINES, ThesisFigures.L2_HIT_LINE),
                new BenchRow("T1 per line, L2 miss", (memory - register) / LINES, ThesisFigures.MEMORY_LINE));
    }
}
