package l4smp.hw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import l4smp.hw.CostModel;
import l4smp.hw.Cycles;
import org.junit.jupiter.api.Test;

/** The machine reproduces the thesis's §3 measurements, and the benchmark notices when it does not. */
class FidelityBenchTest {
    @Test
    void everyExperimentIsWithinFivePercentOfTheThesis() {
        List<BenchRow> rows = FidelityBench.fidelityRows();

        assertEquals(23, rows.size());
        for (BenchRow row : rows) {
            assertTrue(row.withinTolerance(), row.experiment() + ": simulated " + row.simulated()
                    + " vs thesis " + row.thesis().describe());
        }
    }

    @Test
    void theRowsAreMeasuredOnTheMachineNotCopied() {
        CostModel thesis = CostModel.pentium3At450MHz();
        CostModel slowMemory = thesis.withMemory(thesis.memory() * 2).withIpiDelivery(thesis.ipiDelivery() + Cycles.of(200));

        Map<String, BenchRow> rows = FidelityBench.fidelityRows(slowMemory).stream()
                .collect(Collectors.toMap(BenchRow::experiment, row -> row));

        assertFalse(rows.get("T1 256-line loop, L2 miss").withinTolerance());
        assertEquals(2.0, rows.get("T1 per line, L2 miss").ratio(), 0.01);
        assertFalse(rows.get("IPI: ICR write to target's IRR").withinTolerance());
        assertTrue(rows.get("T1 256-line loop, L1 hit").withinTolerance());
        assertTrue(rows.get("T2 per line, M to S").withinTolerance());
        assertTrue(rows.get("kernel entry (user to handler)").withinTolerance());
    }

    @Test
    void throughputCountsWhatItRan() {
        Throughput speed = Throughput.measure(2000);

        assertEquals(2000, speed.steps());
        assertTrue(speed.memoryAccesses() > 8 * 1500, "about eight accesses per step: " + speed.memoryAccesses());
        assertTrue(speed.accessesPerSecond() > 0 && speed.stepsPerSecond() > 0);
    }
}
