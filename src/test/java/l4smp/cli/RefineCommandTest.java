package l4smp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import l4smp.tlc.TestSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefineCommandTest {
    @TempDir
    Path tmp;

    @Test
    void acceptsASimulatedBehaviourAndRejectsAHandBrokenOneNamingStepAndVariable() throws Exception {
        CliRun sampled = CliRun.of("behaviours", TestSpecs.spec("Holds").toString(), "--traces", "2", "--depth", "6",
                "--seed", "4", "--out-dir", tmp.toString());
        assertEquals(ExitCodes.OK, sampled.exit(), sampled.toString());
        Path behaviour = tmp.resolve("behaviour-001.itf.json");
        CliRun ok = CliRun.of("refine", behaviour.toString(), "--spec", TestSpecs.spec("Holds").toString());
        assertEquals(ExitCodes.OK, ok.exit(), ok.toString());
        assertTrue(ok.out().startsWith("accepted: 6 states, 5 steps checked against Holds.tla with Holds.cfg"), ok.out());

        // state 3's x made to jump: 2 -> 5 is no step of Holds
        JsonNode json = new ObjectMapper().readTree(behaviour.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("states").get(3).get("x")).put("#bigint", "5");
        Path broken = tmp.resolve("broken.itf.json");
        Files.writeString(broken, json.toPrettyString());
        Path report = tmp.resolve("report.html");
        CliRun bad = CliRun.of("refine", broken.toString(), "--spec", TestSpecs.spec("Holds").toString(), "--out", report.toString());
        assertEquals(ExitCodes.REJECTED, bad.exit(), bad.toString());
        assertTrue(bad.out().startsWith("rejected at state 3: step to state 3 is not a step of Next"), bad.out());
        assertTrue(bad.out().contains("diverging variables: x"), bad.out());
        assertTrue(bad.out().contains("  ! x = 5"), bad.out());
        String html = Files.readString(report);
        assertTrue(html.contains("Rejected at state 3: not_a_step") && html.contains("<td class=\"idx\">3</td>"), html);
        assertTrue(!html.contains("<td class=\"idx\">4</td>"), "only the accepted prefix and the bad step");
    }

    @Test
    void badInputHasItsExitCode() throws Exception {
        Path trace = tmp.resolve("t.json");
        Files.writeString(trace, "{\"vars\": [\"x\"], \"states\": [{\"x\": 1}]}");
        assertEquals(ExitCodes.USAGE, CliRun.of("refine", trace.toString()).exit(), "--spec is required");
        assertEquals(ExitCodes.USAGE, CliRun.of("refine", tmp.resolve("none.json").toString(), "--spec",
                TestSpecs.spec("Holds").toString()).exit());
        CliRun parse = CliRun.of("refine", trace.toString(), "--spec", TestSpecs.spec("SemanticError").toString());
        assertEquals(ExitCodes.PARSE, parse.exit(), parse.toString());
        CliRun vars = CliRun.of("refine", trace.toString(), "--spec", TestSpecs.spec("Holds").toString());
        assertEquals(ExitCodes.REJECTED, vars.exit());
        assertTrue(vars.out().contains("the trace has the variables [x], the spec [x, y]"), vars.out());
    }

    @Test
    void benchRefinePrintsRowsWithAgreeingVerdicts() throws Exception {
        // a project of its own with one small spec, so that the benchmark stays short
        Path root = tmp.resolve("project");
        Files.createDirectories(root.resolve("spec-tla"));
        Files.createDirectories(root.resolve("model-configs/BankTransfer"));
        Files.copy(Path.of("spec-tla/examples/BankTransfer.tla"), root.resolve("spec-tla/BankTransfer.tla"));
        Files.copy(Path.of("model-configs/BankTransfer/BankTransfer.cfg"), root.resolve("model-configs/BankTransfer/BankTransfer.cfg"));
        CliRun r = CliRun.of("bench", "refine", "--root", root.toString(), "--traces", "8", "--depth", "5", "--classic", "1",
                "--seconds", "0.1", "--warmup", "0.1", "--json");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(1, rows.size());
        JsonNode row = rows.get(0);
        assertEquals("BankTransfer/BankTransfer", row.get("spec").asText());
        assertTrue(row.get("verdictsAgree").asBoolean());
        assertEquals(6, row.get("traces").asInt(), "a quarter of --traces warms up, the rest is measured");
        for (String rate : new String[] {"stepsPerSecond", "tracesPerSecond", "rememberStepsPerSecond", "repeatStepsPerSecond",
                "classicSecondsPerTrace"}) {
            assertTrue(row.get(rate).asDouble() > 0, rate + " in " + row);
        }
        assertTrue(r.err().contains("bench refine [1/1] BankTransfer/BankTransfer: simulating 8 behaviours"), r.err());
    }
}
