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
        assertTrue(html.contains("Rejected at state 3: not a step") && html.contains("<td class=\"idx\">3</td>"), html);
    }

    /** A trace of {@code n} states of Counter, state {@code bad} (if any) made to jump. */
    private Path counterTrace(int n, int bad) throws Exception {
        Path file = tmp.resolve("counter-" + n + ".itf.json");
        String payload = "[\"alpha-beta-gamma\", \"delta-epsilon\", \"zeta-eta-theta\", \"iota-kappa\", \"lambda-mu\", "
                + "\"nu-xi-omicron\", \"pi-rho-sigma\", \"tau-upsilon-phi\"]";
        try (java.io.Writer w = Files.newBufferedWriter(file)) {
            w.write("{\"#meta\": {\"format\": \"ITF\"}, \"vars\": [\"x\", \"payload\"], \"states\": [\n");
            for (int i = 0; i < n; i++) {
                int x = i == bad ? (i + 50) % 100 : i % 100;
                w.write((i == 0 ? "" : ",\n") + "{\"#meta\": {\"index\": " + i + "}, \"x\": {\"#bigint\": \"" + x
                        + "\"}, \"payload\": " + payload + "}");
            }
            w.write("]}\n");
        }
        return file;
    }

    /**
     * A rejection page explains itself and shows only a window around the bad step. Before: a
     * bare table of the whole accepted prefix (a 100k-state rejection wrote a 21 MB page).
     */
    @Test
    void aRejectionPageExplainsTheBadStepAndShowsAWindowAroundIt() throws Exception {
        Path trace = counterTrace(5000, 4000);
        Path page = tmp.resolve("rejected.html");
        CliRun r = CliRun.of("refine", trace.toString(), "--spec", TestSpecs.spec("Counter").toString(), "--out", page.toString());
        assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
        assertTrue(r.out().startsWith("rejected at state 4000: step to state 4000 is not a step of Next: state 4000 differs from "
                + "every successor the spec allows in [x]"), r.out());
        String html = Files.readString(page);
        assertTrue(html.contains("<section class=\"verdict\">\n<h2>State 4000: step to state 4000 is not a step of Next"), html);
        assertTrue(html.contains("<li>diverging variables: x</li>") && html.contains("<li>actions enabled before it: Next</li>"), html);
        assertTrue(html.contains("States 0&ndash;3989 were accepted and are not shown."), "the accepted prefix collapsed");
        assertTrue(html.contains("States 4011&ndash;4999 come after the bad step and are not shown."), "the rest collapsed");
        assertEquals(21, html.split("<tr id=\"t", -1).length - 1, "states 3990..4010 in the table");
        assertTrue(html.contains("<tr id=\"t4000\" class=\" bad\">"), "the bad step marked apart");
        assertTrue(html.contains("<td class=\"var changed diverging\">"), "the diverging variable marked apart from changes");
        assertTrue(html.length() < 100_000, "a page of the window, not of the trace: " + html.length());
    }

    /**
     * {@code refine} streams the trace: 100,000 states are checked in a JVM with a 32 MB heap.
     * Before: the whole trace was held (about 10 KB a state), and the run died of OutOfMemoryError.
     */
    @Test
    void aLongTraceIsCheckedInASmallHeap() throws Exception {
        Path trace = counterTrace(100_000, -1);
        String cp = String.join(java.io.File.pathSeparator, java.util.stream.Stream.of(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)).map(e -> Path.of(e).toAbsolutePath().toString()).toList());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp", cp,
                Main.class.getName(), "refine", trace.toString(), "--spec", TestSpecs.spec("Counter").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS));
        System.out.printf("refine of 100,000 states (%d MB of ITF) in a 32 MB heap: %.1f s%n", Files.size(trace) >> 20,
                (System.nanoTime() - t0) / 1e9);
        assertEquals(ExitCodes.OK, p.exitValue(), out);
        assertTrue(out.startsWith("accepted: 100000 states, 99999 steps checked against Counter.tla with Counter.cfg"), out);
    }

    @Test
    void jsonGivesTheVerdict() throws Exception {
        CliRun r = CliRun.of("refine", counterTrace(50, 20).toString(), "--spec", TestSpecs.spec("Counter").toString(), "--json");
        assertEquals(ExitCodes.REJECTED, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(false, json.get("accepted").asBoolean());
        assertEquals("not_a_step", json.get("failure").get("kind").asText());
        assertEquals(20, json.get("failure").get("index").asInt());
        assertEquals("x", json.get("failure").get("diverging").get(0).asText());
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
