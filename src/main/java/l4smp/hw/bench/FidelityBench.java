package l4smp.hw.bench;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.CostModel;

/**
 * {@code l4smp bench hw}: runs the thesis's hardware experiments (§3.2.1 Table 1, §3.2.2 Table 2,
 * §3.3.1 IPI delivery and interruption) on the simulated machine and sets what it measures beside
 * what the thesis measured; then measures the simulator's own speed.
 */
public final class FidelityBench {
    private FidelityBench() {
    }

    /** The result of one benchmark run. */
    public record Report(List<BenchRow> rows, Throughput throughput) {
        public boolean allWithinTolerance() {
            return rows.stream().allMatch(BenchRow::withinTolerance);
        }
    }

    /** The fidelity rows on the Pentium III the thesis measured (a few hundred milliseconds). */
    public static List<BenchRow> fidelityRows() {
        return fidelityRows(CostModel.pentium3At450MHz());
    }

    /** The fidelity rows on a Pentium III whose operations cost {@code costs}. */
    public static List<BenchRow> fidelityRows(CostModel costs) {
        List<BenchRow> rows = new ArrayList<>(CacheLoops.rows(costs));
        double registerLoop = rows.get(0).simulated();
        rows.addAll(MesiLoops.rows(registerLoop, costs));
        rows.addAll(IpiMeasurements.rows(costs));
        return rows;
    }

    /** Every row, then the throughput workload for {@code throughputSteps} steps. */
    public static Report run(long throughputSteps) {
        List<BenchRow> rows = fidelityRows();
        return new Report(rows, Throughput.measure(throughputSteps));
    }
}
