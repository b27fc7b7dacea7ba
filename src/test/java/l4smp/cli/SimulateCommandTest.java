package l4smp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import l4smp.trace.Trace;
import l4smp.trace.format.Itf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code l4smp simulate}, run through picocli as Main will. */
class SimulateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int execute(String... args) {
        CommandLine command = Main.configure(new CommandLine(new SimulateCommand()));
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    @Test
    void printsPerThreadStatistics() {
        assertEquals(ExitCodes.OK, execute("scenarios/call-reply.json"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("scenario call-reply: 1 cpu"), text);
        assertTrue(text.matches("(?s).*client\\.main\\s+6\\.0\\s+waiting\\s+\\d+\\s+[\\d.]+%\\s+0\\s+call ok=200.*"), text);
        assertTrue(text.contains("reply_and_wait ok=299, send_timeout=1"), text);
        assertTrue(text.contains("came to rest"), text);
    }

    @Test
    void writesTheKernelStepTraceAsItf() throws Exception {
        Path trace = dir.resolve("trace.json");
        assertEquals(ExitCodes.OK, execute("scenarios/long-ipc-faults.json", "--trace-out", trace.toString()), err.toString());

        Trace read = Itf.read(Files.readString(trace));
        assertEquals(Files.readString(Path.of("scenarios/long-ipc-faults.json")).isEmpty() ? 0 : read.size() - 1,
                Long.parseLong(read.meta().get("kernelSteps")));
        assertTrue(read.actionNames().stream().anyMatch(a -> a.contains("ipc.transmitPath.commSpaceFault")), read.actionNames().toString());
        assertEquals("locked_waiting", read.states().stream()
                .filter(s -> s.action() != null && s.action().name().contains("ipc.transmitPath.commSpaceFault"))
                .findFirst().orElseThrow().get("threadState").toString().replaceAll(".*snd_main\\s*\\|->\\s*\"([a-z_]+)\".*", "$1"));
    }

    @Test
    void theSameSeedGivesTheSameRunAndStepsLimitIt() {
        assertEquals(ExitCodes.OK, execute("scenarios/lazy-dispatching.json", "--seed", "5", "--steps", "3000"));
        String first = out.toString();
        out.getBuffer().setLength(0);
        assertEquals(ExitCodes.OK, execute("scenarios/lazy-dispatching.json", "--seed", "5", "--steps", "3000"));
        assertEquals(first, out.toString());
        assertTrue(first.contains("random scheduler (seed 5)") && first.contains("ran 3000 steps"), first);
        out.getBuffer().setLength(0);
        execute("scenarios/lazy-dispatching.json", "--seed", "6", "--steps", "3000");
        assertNotEquals(first, out.toString());
    }

    @Test
    void aMalformedScenarioNamesTheLineAndField() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {
                  "name": "bad",
                  "tasks": [
                    { "name": "t", "number": 5,
                      "threads": [ { "name": "main", "priority": 300, "program": "spinner" } ] }
                  ]
                }
                """);
        assertEquals(ExitCodes.USAGE, execute(bad.toString()));
        assertTrue(err.toString().contains("line 5, column 38, tasks[0].threads[0].priority: must be 0..255, not 300"),
                err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void anUnknownThreadInAProgramIsReportedAtItsProgram() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {
                  "programs": { "p": [ "ipc send @nobody.main", "halt" ] },
                  "tasks": [ { "name": "t", "number": 5, "threads": [ { "name": "main", "program": "p" } ] } ]
                }
                """);
        assertEquals(ExitCodes.USAGE, execute(bad.toString()));
        assertTrue(err.toString().contains("tasks[0].threads[0].program: p line 1: no thread named nobody.main"), err.toString());
        assertTrue(err.toString().contains("line 3, column"), err.toString());
    }

    @Test
    void aMissingFileAndBadOptionsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, execute("no-such-scenario.json"));
        assertTrue(err.toString().contains("no scenario file no-such-scenario.json"), err.toString());
        assertEquals(ExitCodes.USAGE, execute("scenarios/call-reply.json", "--steps", "0"));
        assertEquals(ExitCodes.USAGE, execute("scenarios/call-reply.json", "--scheduler", "fastest"));
    }

    /** Before: simulate printed only its table. */
    @Test
    void jsonGivesTheRunAndEveryThreadsStatistics() throws Exception {
        assertEquals(ExitCodes.OK, execute("scenarios/call-reply.json", "--json"), err.toString());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertEquals("call-reply", json.get("scenario").asText());
        assertEquals("quiescent", json.get("ending").asText());
        com.fasterxml.jackson.databind.JsonNode client = null;
        for (com.fasterxml.jackson.databind.JsonNode t : json.get("threads")) if (t.get("name").asText().equals("client.main")) client = t;
        assertEquals(200, client.get("ipcs").get("call").get("ok").asInt(), json.toPrettyString());
    }

    /** Before: --check's verdicts were printed as text after the JSON, so stdout was no JSON document. */
    @Test
    void jsonCarriesTheChecksVerdicts() throws Exception {
        assertEquals(ExitCodes.OK, execute("scenarios/xp-timeouts.json", "--json", "--check", "XpIpc"), err.toString());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        com.fasterxml.jackson.databind.JsonNode check = json.get("checks").get(0);
        assertEquals("XpIpc", check.get("spec").asText());
        assertEquals(ExitCodes.OK, check.get("exitCode").asInt());
        assertTrue(check.get("report").get(0).asText().matches("XpIpc: accepted: \\d+ kernel steps, \\d+ of them XpIpc actions"),
                check.toPrettyString());
    }

    /**
     * Before: the rejection named the spec trace's state index as the kernel step, though
     * MigrationBarriers' abstraction maps a kernel step to several spec steps or none, so the
     * "kernel step" line showed an unrelated boot step.
     */
    @Test
    void aRejectionNamesTheKernelStepWhoseAbstractionBrokeTheSpec() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode scenario =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Path.of("scenarios/migrate-crossing.json").toFile());
        scenario.putObject("kernel").putArray("removedFixes").add("barrier3");
        Path file = dir.resolve("no-barrier3.json");
        json.writeValue(file.toFile(), scenario);

        assertEquals(ExitCodes.REJECTED, execute(file.toString(), "--seed", "2", "--check", "MigrationBarriers"), err.toString());
        String text = out.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("rejected at kernel step (\\d+) \\(the spec trace's state (\\d+)\\): .*MigrationDoneSeesNewCpuInv").matcher(text);
        assertTrue(m.find(), text);
        assertNotEquals(m.group(1), m.group(2), text);
        assertTrue(text.contains("claimed action: TargetPassBarrier3"), text);
        assertTrue(text.matches("(?s).*kernel step: cpu\\d migrate\\.target\\.passBarrier3 for .*"), text);
    }

    /**
     * Before: a tick that found several expired timeouts went back to user mode; the next step
     * expired one that woke a higher-priority thread, preempted the tick's thread without a kernel
     * entry, and the dispatcher's CR0.TS write then trapped as a privileged instruction in user mode
     * (what conform.l4-semantics --seed 23 found, shrunk and written by l4smp pbt).
     */
    @Test
    void theTimeoutsATickLeftPendingAreExpiredInTheKernel() {
        assertEquals(ExitCodes.OK, execute("docs/findings/pbt-cr0-ts-scenario.json",
                "--schedule", "docs/findings/pbt-cr0-ts-schedule.txt", "--check", "XpIpc"), err.toString());
        assertTrue(out.toString().contains("XpIpc: accepted"), out.toString());
    }

    /** A spec whose abstraction does not apply to the run at all says so; it is no internal error. */
    @Test
    void aSpecThatDoesNotApplyToTheRunIsReportedAsSuch() {
        assertEquals(ExitCodes.OK, execute("scenarios/call-reply.json", "--check", "UhligRace"), err.toString());
        assertTrue(out.toString().contains("UhligRace: not one of its behaviours at all: no thread receives from another CPU's thread"),
                out.toString());
    }
}
