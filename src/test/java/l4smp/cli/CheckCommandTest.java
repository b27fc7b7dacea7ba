package l4smp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import l4smp.tlc.TestSpecs;
import l4smp.trace.Trace;
import l4smp.trace.format.Itf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckCommandTest {
    @TempDir
    Path tmp;

    private static String spec(String name) {
        return TestSpecs.spec(name).toString();
    }

    @ParameterizedTest(name = "{0} exits {1}")
    @CsvSource({"Holds, 0", "Transfer, 10", "Lasso, 11", "Deadlock, 12", "Assumption, 13", "EvalError, 13",
            "ParseError, 14", "SemanticError, 14"})
    void eachOutcomeHasItsExitCode(String name, int exit) {
        CliRun r = CliRun.of("check", spec(name), "--workers", "1");
        assertEquals(exit, r.exit(), r.toString());
    }

    @Test
    void anInvariantViolationWritesItsCounterexampleAsItf() throws Exception {
        Path out = tmp.resolve("t.itf.json");
        CliRun r = CliRun.of("check", spec("Transfer"), "--out", out.toString(), "--format", "itf");
        assertEquals(ExitCodes.INVARIANT, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Transfer with Transfer.cfg: invariant NoOverdraft is violated (exit 10)"), r.out());
        Trace written = Itf.read(Files.readString(out));
        assertEquals(TestSpecs.check("Transfer").trace().states(), written.states(), "the file holds TLC's counterexample");
        assertEquals("invariant_violated", written.meta().get("outcome") == null ? "invariant_violated" : written.meta().get("outcome"));
    }

    @Test
    void aLivenessCounterexampleIsExportedWithItsLoop() throws Exception {
        Path out = tmp.resolve("lasso.itf.json");
        assertEquals(ExitCodes.PROPERTY, CliRun.of("check", spec("Lasso"), "-q", "-o", out.toString()).exit());
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals(0, json.get("loop").asInt());
        assertEquals("ToGreen", json.get("#meta").get("loop-action").get("name").asText());
    }

    @Test
    void aParseErrorNamesFileLineAndColumn() {
        CliRun r = CliRun.of("check", spec("ParseError"));
        assertEquals(ExitCodes.PARSE, r.exit());
        assertTrue(r.err().startsWith("l4smp: " + spec("ParseError") + ":4:20: Was expecting"), r.err());
    }

    @Test
    void aCfgErrorNamesTheCfgLineAndColumn() {
        CliRun r = CliRun.of("check", spec("Holds"), "--config", TestSpecs.cfg("BadConfig").toString());
        assertEquals(ExitCodes.CONFIG, r.exit());
        assertTrue(r.err().startsWith("l4smp: " + TestSpecs.cfg("BadConfig") + ":3:11: The invariant NoSuchInvariant"), r.err());
    }

    /**
     * A recursion without a base case fails fast as an evaluation error at the recursive
     * definition (before: 10+ minutes at 100% CPU on a 256 MB stack; the --timeout only bounds
     * the test), while a deep but finite recursion (Sum(1000) in Init) still evaluates.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"Recursion, 6:1, the recursion in F did not end", "RecursionInNext, 8:1, the recursion in f did not end"})
    void anEndlessRecursionIsAnEvaluationErrorAtItsDefinition(String name, String at, String what) {
        CliRun r = CliRun.of("check", spec(name), "--workers", "1", "--timeout", "90s");
        assertEquals(ExitCodes.SPEC_ERROR, r.exit(), r.toString());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("l4smp: " + spec(name) + ":" + at + ": " + what)), r.err());
        assertTrue(r.err().contains("L4SMP_TLC_JAVA_OPTS=-Xss64m"), "says how to allow deeper recursion: " + r.err());
    }

    /** Before: TLC's "unexpected exception" naming the .tla, exit 13; a misspelt constant was ignored, exit 0. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "garbage     | INIT Init\\nNEXT Next\\nfoo bar baz ((\\n | 3:1: expected a keyword: CONSTANT(S), INIT, NEXT",
            "no =        | CONSTANT N 3\\nINIT Init\\nNEXT Next\\n  | 1:12: expected = or <-. Found '3'.",
            "not a token | INIT Init\\nNEXT Next\\nINVARIANT `\\n | 3:11: character '`' cannot appear in a cfg",
            "undeclared  | CONSTANT Typo = 3\\nINIT Init\\nNEXT Next\\n | 1:10: the cfg assigns Typo, which the spec neither declares",
            "symbols     | INIT Init\\nNEXT Next\\nINVARIANT Init\\n  @@@ ### | 4:3: The invariant @@ specified in the configuration file"})
    void aBadCfgIsACfgErrorAtItsLineAndColumn(String what, String cfg, String at) throws Exception {
        Path file = tmp.resolve("Bad.cfg");
        Files.writeString(file, cfg.replace("\\n", "\n"));
        Path specFile = tmp.resolve("Plain.tla");
        Files.writeString(specFile, "---- MODULE Plain ----\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n");
        CliRun r = CliRun.of("check", specFile.toString(), "--config", file.toString(), "--workers", "1");
        assertEquals(ExitCodes.CONFIG, r.exit(), r.toString());
        assertTrue(r.err().startsWith("l4smp: " + file + ":" + at), r.err());
    }

    /** Before: an empty module gave exit 14 with nothing on stderr; a binary cfg "Input length = 1"; a directory "not found". */
    @Test
    void inputThatIsNoTextSaysWhatItIsAndWhatWasExpected() throws Exception {
        Path empty = Files.writeString(tmp.resolve("Empty.tla"), "");
        Files.writeString(tmp.resolve("Empty.cfg"), "INIT Init\nNEXT Next\n");
        CliRun r = CliRun.of("check", empty.toString());
        assertEquals(ExitCodes.PARSE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("l4smp: " + empty + ": Empty.tla is empty; expected a TLA+ module, ---- MODULE Empty ----"), r.err());
        assertFalse(r.out().contains("Module-Table"), r.out());

        Path binary = Files.write(tmp.resolve("Binary.cfg"), new byte[]{'I', 'N', 0, 1, (byte) 0xff, 2});
        r = CliRun.of("check", spec("Holds"), "--config", binary.toString());
        assertEquals(ExitCodes.CONFIG, r.exit(), r.toString());
        assertTrue(r.err().contains("Binary.cfg is not a text file (byte 2 is NUL; is it binary?); a cfg is a text file"), r.err());
        assertFalse(r.err().contains("Input length"), r.err());

        r = CliRun.of("export", binary.toString(), "--out", tmp.resolve("t.txt").toString());
        assertUsage(r, "Binary.cfg is not a text file");
        assertTrue(r.err().contains("expected an ITF JSON trace"), r.err());

        assertUsage(CliRun.of("check", tmp.toString()), tmp + " is a directory, not a spec");
        assertUsage(CliRun.of("check", "XpIpc", "--root", tmp.toString()), "point at one with --root DIR");
    }

    @Test
    void jsonSummaryIsMachineReadable() throws Exception {
        CliRun r = CliRun.of("check", spec("Deadlock"), "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("deadlock", json.get("outcome").asText());
        assertEquals(12, json.get("exitCode").asInt());
        assertEquals(4, json.get("statistics").get("distinct").asInt());
        assertEquals(4, json.get("trace").get("states").size());
    }

    @Test
    void htmlDotTextAndTlaAreWritten() throws Exception {
        for (String f : new String[]{"c.html", "c.dot", "c.txt", "C.tla"}) {
            assertEquals(ExitCodes.INVARIANT, CliRun.of("check", spec("Transfer"), "-q", "-o", tmp.resolve(f).toString()).exit());
        }
        assertTrue(Files.readString(tmp.resolve("c.html")).contains("Withdraw(a = a1)"));
        assertTrue(Files.readString(tmp.resolve("c.dot")).contains("s0 -> s1"));
        assertTrue(Files.readString(tmp.resolve("c.txt")).contains("State 1: Withdraw(a = a1)"));
        assertTrue(Files.readString(tmp.resolve("C.cfg")).contains("SPECIFICATION L4smpSpec"));
        CliRun replay = CliRun.of("check", tmp.resolve("C.tla").toString(), "--lib", TestSpecs.DIR.toString(), "-q");
        assertEquals(ExitCodes.INVARIANT, replay.exit(), replay.toString());
    }

    @Test
    void userErrorsExitWithTheUsageCodeAndSayWhat() {
        assertUsage(CliRun.of("check", "NoSuchSpecAnywhere"), "no spec named 'NoSuchSpecAnywhere'");
        assertUsage(CliRun.of("check", tmp.resolve("missing.tla").toString()), "spec file not found");
        assertUsage(CliRun.of("check", spec("Holds"), "--config", tmp.resolve("missing.cfg").toString()), "configuration file not found");
        assertUsage(CliRun.of("check", spec("Holds"), "--frobnicate"), "Unknown option: '--frobnicate'");
        assertUsage(CliRun.of("check", spec("Holds"), "--workers", "zero"), "not a number of workers");
        assertUsage(CliRun.of("check", spec("Holds"), "--timeout", "soon"), "not a duration");
        assertUsage(CliRun.of("check", spec("Holds"), "--out", tmp.resolve("t.pdf").toString()), "cannot tell the format");
    }

    @Test
    void aSpecWithoutConfigurationIsAUsageError() throws Exception {
        Path lonely = tmp.resolve("Lonely.tla");
        Files.copy(TestSpecs.spec("Holds"), lonely);
        Files.writeString(lonely, Files.readString(lonely).replace("MODULE Holds", "MODULE Lonely"));
        assertUsage(CliRun.of("check", lonely.toString(), "--root", tmp.toString()), "no configuration for Lonely.tla");
    }

    @Test
    void anUnwritableOutputFailsBeforeRunningAndLeavesNothing() throws Exception {
        Path missingDir = tmp.resolve("no/such/dir/t.html");
        CliRun r = CliRun.of("check", spec("Transfer"), "--out", missingDir.toString());
        assertUsage(r, "cannot write " + missingDir);
        assertFalse(r.out().contains("invariant"), "TLC was not run");
        Path readOnly = Files.createDirectory(tmp.resolve("ro"));
        assertTrue(readOnly.toFile().setWritable(false));
        try {
            if (!Files.isWritable(readOnly)) { // root may write anywhere
                assertUsage(CliRun.of("check", spec("Transfer"), "--out", readOnly.resolve("t.txt").toString()), "permission denied");
            }
            try (Stream<Path> files = Files.list(readOnly)) {
                assertEquals(0, files.count());
            }
        } finally {
            readOnly.toFile().setWritable(true);
        }
    }

    /**
     * A run stopped at --timeout reports the last sample of TLC's counters, consistent with each
     * other, and logs progress lines on a non-terminal stderr. Before: "3,552,415 generated,
     * 3,552,730 distinct, 0 left on queue, depth 0".
     */
    @Test
    void aTimeoutReportsWhatTlcKnewAndLogsProgress() throws Exception {
        CliRun r = CliRun.of("check", spec("Big"), "--timeout", "8s", "--workers", "1");
        assertEquals(ExitCodes.TIMEOUT, r.exit(), r.toString());
        assertTrue(r.err().lines().anyMatch(l -> l.matches("  [\\d,]+ states generated, [\\d,]+ distinct, [\\d,]+ on queue, "
                + "depth \\d+, [\\d,]+ states/min, \\d+s")), "a progress line every few seconds: " + r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "states {6}(?:([\\d,]+) generated, )?([\\d,]+) distinct, ([\\d,]+) left on queue, depth (\\d+) when last sampled")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        long distinct = Long.parseLong(m.group(2).replace(",", ""));
        assertTrue(distinct > 0 && Long.parseLong(m.group(4)) > 0, r.out());
        if (m.group(1) != null) assertTrue(Long.parseLong(m.group(1).replace(",", "")) >= distinct, r.out());
        assertFalse(CliRun.of("check", spec("Big"), "--timeout", "3s", "--workers", "1", "-q").err().contains("states generated"),
                "--quiet: no progress");
    }

    /** TLC does not report the depth after a liveness violation: nothing is said rather than "depth 0". */
    @Test
    void aLivenessViolationReportsNoMadeUpDepth() throws Exception {
        CliRun r = CliRun.of("check", spec("Lasso"), "--workers", "1");
        assertFalse(r.out().contains("depth"), r.out());
        JsonNode json = new ObjectMapper().readTree(CliRun.of("check", spec("Lasso"), "--workers", "1", "--json").out());
        assertTrue(json.get("statistics").get("depth").isNull(), json.toPrettyString());
    }

    @Test
    void simulationRunsTheRequestedBehaviours() {
        CliRun r = CliRun.of("check", spec("Holds"), "--simulate", "--depth", "5", "--traces", "30", "--seed", "1", "--workers", "1");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("simulated 30 behaviours"), r.out());
    }

    private static void assertUsage(CliRun r, String fragment) {
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
