package l4smp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code l4smp bench} and {@code l4smp bench hw}, run through picocli as Main will. */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine command = Main.configure(new CommandLine(new BenchCommand()));
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    @Test
    void benchHwPrintsTheTableAndTheThroughput() {
        int exit = execute("hw", "--throughput-steps", "500");

        assertEquals(ExitCodes.OK, exit, err.toString());
        String text = out.toString();
        assertTrue(text.contains("T2 256-line loop, M to S"), text);
        assertTrue(text.contains("throughput:") && text.contains("simulated memory accesses/s"), text);
        assertTrue(text.contains("all 23 ratios within 0.95-1.05"), text);
    }

    @Test
    void benchHwJsonHasOneObjectPerRow() throws Exception {
        int exit = execute("hw", "--json", "--throughput-steps", "500");

        assertEquals(ExitCodes.OK, exit, err.toString());
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertEquals(23, root.get("rows").size());
        JsonNode row = root.get("rows").get(0);
        for (String field : new String[] {"experiment", "simulated", "thesis", "ratio"}) {
            assertTrue(row.has(field), field + " missing in " + row);
        }
        assertEquals(row.get("simulated").asDouble() / row.get("thesis").asDouble(), row.get("ratio").asDouble(), 1e-9);
        assertEquals(500, root.get("throughput").get("steps").asLong());
        assertTrue(root.get("allWithinTolerance").asBoolean());
    }

    @Test
    void benchHwSaysWhatItDoesWhileItMeasures() {
        assertEquals(ExitCodes.OK, execute("hw", "--throughput-steps", "500"));
        assertTrue(err.toString().contains("bench hw: running the thesis's experiments, then 500 throughput steps"), err.toString());
        assertTrue(out.toString().contains("per host CPU second, one core, after a warm-up run"), out.toString());
    }

    /** The CI-sized smoke run of the IPC benchmark: it runs, counts every IPC, and says what its figure means. */
    @Test
    void benchIpcCountsEveryCallAndReply() throws Exception {
        int exit = execute("ipc", "--calls", "300", "--json");

        assertEquals(ExitCodes.OK, exit, err.toString());
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertEquals(300, root.get("calls").asInt());
        assertEquals(599, root.get("ipcs").asLong(), "300 calls and 299 reply_and_waits (the last one waits on)");
        assertTrue(root.get("simulatedCycles").asLong() > 0 && root.get("ipcsPerSecond").asDouble() > 0, root.toString());
        assertTrue(err.toString().contains("bench ipc: 300 local calls after a warm-up of 30"), err.toString());
        assertEquals(ExitCodes.USAGE, execute("ipc", "--calls", "0"));
    }

    /** The CI-sized run of the conformance benchmark: every configuration checks the same kernel steps, side by side. */
    @Test
    void benchConformMeasuresTheSameRunsUncheckedAndCheckedAgainstEachSpec() throws Exception {
        int exit = execute("conform", "--runs", "2", "--json");

        assertEquals(ExitCodes.OK, exit, err.toString());
        JsonNode rows = new ObjectMapper().readTree(out.toString());
        List<String> names = new java.util.ArrayList<>();
        rows.forEach(r -> names.add(r.get("checked").asText()));
        assertEquals(List.of("unchecked", "XpIpc", "ProxyWakeup", "UhligRace", "all", "all-fresh"), names);
        long steps = rows.get(0).get("kernelSteps").asLong();
        assertTrue(steps > 0);
        for (JsonNode r : rows) {
            assertEquals(steps, r.get("kernelSteps").asLong(), "every configuration runs the same kernel steps: " + r);
        }
        assertEquals(1.0, rows.get(0).get("costRelativeToUnchecked").asDouble(), 1e-9);
        assertEquals(0, rows.get(0).get("parses").asInt(), "an unchecked run parses no spec");
        for (JsonNode r : rows) {
            assertTrue(r.get("parses").asInt() >= 0 && r.has("parseCpuSeconds") && r.has("kernelStepsPerCpuSecondWithoutParses"), r.toString());
        }
        assertEquals(ExitCodes.USAGE, execute("conform", "--runs", "0"));
    }

    /** Deterministic simulated cycles: the relations hold in every run; the refetch is near §6.1.1's estimate. */
    @Test
    void benchMigrationReportsEachCpusShareAndTheRefetch() throws Exception {
        int exit = execute("migration", "-n", "4", "--json");

        assertEquals(ExitCodes.OK, exit, err.toString());
        JsonNode root = new ObjectMapper().readTree(out.toString());
        double caller = root.get("callerCycles").asDouble();
        double source = root.get("sourceCycles").asDouble();
        double destination = root.get("destinationCycles").asDouble();
        assertTrue(source > 100 && destination > 100, root.toString());
        assertTrue(caller > source && caller > destination, "A spins at (=1) and (=2) while B and C work: " + root);
        double refetch = root.get("refetchCycles").asDouble();
        assertTrue(refetch > root.get("thesisRefetchLow").asDouble() / 2 && refetch < 2 * root.get("thesisRefetchHigh").asDouble(),
                root.toString());
        assertEquals(ExitCodes.USAGE, execute("migration", "-n", "61"));
    }

    @Test
    void withoutABenchmarkItListsThem() {
        assertEquals(ExitCodes.USAGE, execute());
        assertTrue(err.toString().startsWith("l4smp: error: which benchmark? name one of [hw, refine, kernel, ipc, conform, migration]"), err.toString());
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, execute("hw", "--throughput-steps", "0"));
        assertTrue(err.toString().contains("--throughput-steps must be between 1 and 20000000"), err.toString());
        assertEquals(ExitCodes.USAGE, execute("hw", "--no-such-option"));
    }
}
