package l4smp.hw.bench;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.CostModel;
import l4smp.hw.Cpu;
import l4smp.hw.Cycles;

/**
 * §3.2.2, Table 2: "the cache on the first processor was prepared to hold 2 times 256 dwords
 * exclusive unmodified [...] and 2 times 256 dwords (lines) in modified state. [...] One after the
 * other, the following operations are performed by the second processor: 1. 256 dwords are read,
 * that were prepared to be in the first processor's caches in exclusive unmodified state [...]
 * E to S. 2. [...] written [...] E to M. 3. [...] the dwords are read by the second processor [...]
 * M to S. 4. [...] written [...] M to M. 5. The last experiment operated on shared lines, i.e. the
 * dwords are present because of former reads in both processor's caches [...] S to M."
 *
 * <p>CPU 0 prepares regions A and B by reading them (E), C and D by writing them (M), then raises
 * a flag; CPU 1 waits for the flag and runs the five loops, one iteration per step, timing each:
 * read A, write B, read C, write D, write A (shared since the first loop).
 */
final class MesiLoops {
    private static final int LINES = CacheLoops.LINES;
    private static final long A = CacheLoops.REGION;
    private static final long B = A + LINES * 32L;
    private static final long C = B + LINES * 32L;
    private static final long D = C + LINES * 32L;
    private static final long FLAG = A + 64 * 1024;
    private static final long LOOP = Cycles.of(ThesisFigures.LOOP_ITERATION);

    private MesiLoops() {
    }

    private record Experiment(String name, long region, boolean write, ThesisFigure loop, ThesisFigure line) {
    }

    private static final List<Experiment> EXPERIMENTS = List.of(
            new Experiment("E to S", A, false, ThesisFigures.E_TO_S_LOOP, ThesisFigures.E_TO_S_LINE),
            new Experiment("E to M", B, true, ThesisFigures.E_TO_M_LOOP, ThesisFigures.E_TO_M_LINE),
            new Experiment("M to S", C, false, ThesisFigures.M_TO_S_LOOP, ThesisFigures.M_TO_S_LINE),
            new Experiment("M to M", D, true, ThesisFigures.M_TO_M_LOOP, ThesisFigures.M_TO_M_LINE),
            new Experiment("S to M", A, true, ThesisFigures.S_TO_M_LOOP, ThesisFigures.S_TO_M_LINE));

    /**
     * The ten rows of Table 2: five loops and the per-line costs derived from them with the
     * register loop's cost {@code registerLoop} (measured by {@link CacheLoops}).
     */
    static List<BenchRow> rows(double registerLoop, CostModel costs) {
        BenchMachine bench = new BenchMachine(2, costs);
        bench.software.run(0, prepareFirstProcessor());
        Script second = new Script().until(cpu -> {
            cpu.chargeMillicycles(LOOP);
            return cpu.load(FLAG) != 0;
        });
        List<Stopwatch> watches = new ArrayList<>();
        for (Experiment experiment : EXPERIMENTS) {
            Stopwatch watch = new Stopwatch();
            watches.add(watch);
            second.then(watch::start)
                    .repeat(LINES, (cpu, i) -> access(cpu, experiment.region() + 32L * i, experiment.write()))
                    .then(watch::stop);
        }
        bench.software.run(1, second);
        bench.runToEnd(1_000_000);

        List<BenchRow> loops = new ArrayList<>();
        List<BenchRow> lines = new ArrayList<>();
        for (int i = 0; i < EXPERIMENTS.size(); i++) {
            Experiment experiment = EXPERIMENTS.get(i);
            double cycles = watches.get(i).cycles();
            loops.add(new BenchRow("T2 256-line loop, " + experiment.name(), cycles, experiment.loop()));
            lines.add(new BenchRow("T2 per line, " + experiment.name(), (cycles - registerLoop) / LINES,
                    experiment.line()));
        }
        loops.addAll(lines);
        return loops;
    }

    private static Script prepareFirstProcessor() {
        Script first = new Script();
        for (long region : new long[] {A, B}) {
            first.repeat(LINES, (cpu, i) -> cpu.load(region + 32L * i));
        }
        for (long region : new long[] {C, D}) {
            first.repeat(LINES, (cpu, i) -> cpu.store(region + 32L * i, i));
        }
        return first.then(cpu -> cpu.store(FLAG, 1));
    }

    private static void access(Cpu cpu, long va, boolean write) {
        cpu.chargeMillicycles(LOOP);
        if (write) {
            cpu.store(va, 1);
        } else {
            cpu.load(va);
        }
    }
}
