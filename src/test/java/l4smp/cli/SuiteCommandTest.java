package l4smp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import l4smp.tlc.TestSpecs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite on a small project of its own: specs under spec-tla/, cfgs with expectations. */
class SuiteCommandTest {
    @TempDir
    Path root;

    @BeforeEach
    void project() throws Exception {
        Files.createDirectories(root.resolve("spec-tla"));
        for (String s : new String[]{"Transfer", "Holds", "Deadlock"}) {
            Files.copy(TestSpecs.spec(s), root.resolve("spec-tla/" + s + ".tla"));
        }
        cfg("Transfer/Transfer.cfg", "\\* about: overdraft found\n\\* expect: violation NoOverdraft\n\\* tags: bug\n"
                + Files.readString(TestSpecs.cfg("Transfer")));
        cfg("Holds/Holds.cfg", "\\* expect: holds\n" + Files.readString(TestSpecs.cfg("Holds")));
        cfg("Deadlock/Deadlock.cfg", "\\* expect: deadlock\n\\* tags: slow\n" + Files.readString(TestSpecs.cfg("Deadlock")));
    }

    private void cfg(String path, String text) throws Exception {
        Files.createDirectories(root.resolve("model-configs").resolve(path).getParent());
        Files.writeString(root.resolve("model-configs").resolve(path), text);
    }

    @Test
    void everyOutcomeAsExpectedExitsZeroAndSkipsSlowConfigs() {
        CliRun r = CliRun.of("suite", "--root", root.toString(), "--workers", "1");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().contains("violation NoOverdraft") && r.out().contains("as expected"), r.out());
        assertTrue(r.out().contains("2 configurations checked, all as expected (1 tagged slow skipped; --all runs them)"), r.out());
        assertEquals(ExitCodes.OK, CliRun.of("suite", "--root", root.toString(), "--all").exit());
    }

    @Test
    void aSurpriseExitsWithItsCodeAndIsMarked() throws Exception {
        cfg("Holds/HoldsWrongly.cfg", "\\* expect: violation TypeOK\n" + Files.readString(TestSpecs.cfg("Holds")));
        CliRun r = CliRun.of("suite", "--root", root.toString(), "--workers", "1");
        assertEquals(ExitCodes.UNEXPECTED, r.exit(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("HoldsWrongly.cfg") && l.contains("holds") && l.contains("UNEXPECTED")), r.out());
    }

    @Test
    void aConfigWithoutExpectationIsASurprise() throws Exception {
        cfg("Holds/Bare.cfg", Files.readString(TestSpecs.cfg("Holds")));
        CliRun r = CliRun.of("suite", "Holds", "--root", root.toString());
        assertEquals(ExitCodes.UNEXPECTED, r.exit());
        assertTrue(r.out().contains("no '\\* expect:' line"), r.out());
    }

    @Test
    void jsonRowsAndSpecFilter() throws Exception {
        CliRun r = CliRun.of("suite", "Transfer", "--root", root.toString(), "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(1, json.get("rows").size());
        JsonNode row = json.get("rows").get(0);
        assertEquals("Transfer", row.get("spec").asText());
        assertEquals("violation NoOverdraft", row.get("actual").asText());
        assertTrue(row.get("asExpected").asBoolean());
        assertTrue(row.get("distinct").asLong() > 0);
    }

    /** Before: a tag nobody uses checked nothing and exited 0, "all as expected". */
    @Test
    void aTagThatSelectsNothingIsAUsageError() {
        CliRun r = CliRun.of("suite", "--root", root.toString(), "--tag", "bgu");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("l4smp: error: no configuration has the tag 'bgu'\n  the tags are [bug, slow]"), r.err());
        CliRun slow = CliRun.of("suite", "Deadlock", "--root", root.toString());
        assertEquals(ExitCodes.USAGE, slow.exit(), slow.toString());
        assertTrue(slow.err().contains("every selected configuration is tagged slow"), slow.err());
    }

    /** Before: the spec column said the module (MC...) but only the directory's name selected it. */
    @Test
    void aSpecIsSelectedByTheModuleItsCfgsCheckToo() throws Exception {
        cfg("Wrapped/Wrapped.cfg", "\\* expect: violation NoOverdraft\n\\* spec: Transfer\n" + Files.readString(TestSpecs.cfg("Transfer")));
        JsonNode json = new ObjectMapper().readTree(CliRun.of("suite", "Transfer", "--root", root.toString(), "--json", "-q").out());
        assertEquals(2, json.get("rows").size(), json.toPrettyString());
        assertEquals("Wrapped/Wrapped.cfg", json.get("rows").get(1).get("config").asText());
        assertEquals(1, new ObjectMapper().readTree(CliRun.of("suite", "Wrapped", "--root", root.toString(), "--json").out())
                .get("rows").size(), "the directory's name still selects it");
    }

    @Test
    void jobsRunConfigurationsAtOnceAndKeepTheirOrder() throws Exception {
        CliRun r = CliRun.of("suite", "--root", root.toString(), "--all", "--jobs", "2", "--json");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("jobs").asInt());
        assertEquals(3, json.get("rows").size());
        assertEquals(java.util.List.of("Deadlock", "Holds", "Transfer"),
                java.util.stream.StreamSupport.stream(json.get("rows").spliterator(), false).map(n -> n.get("spec").asText()).toList());
        long sum = 0;
        for (JsonNode row : json.get("rows")) sum += row.get("millis").asLong();
        assertEquals(sum, json.get("sumMillis").asLong());
        CliRun text = CliRun.of("suite", "--root", root.toString(), "--jobs", "2");
        assertTrue(text.out().contains("(wall, 2 jobs; the checks' own times add up to"), text.out());
        assertEquals(ExitCodes.USAGE, CliRun.of("suite", "--root", root.toString(), "--jobs", "0").exit());
    }

    @Test
    void noConfigsIsAUsageError() {
        CliRun r = CliRun.of("suite", "NoSuchSpec", "--root", root.toString());
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("no .cfg files found"), r.err());
    }

    /** Before: a long configuration printed nothing until it ended; now a line every few seconds, naming it. */
    @Test
    void aLongConfigurationLogsItsProgress() throws Exception {
        Files.copy(TestSpecs.spec("Big"), root.resolve("spec-tla/Big.tla"));
        cfg("Big/Big.cfg", "\\* expect: holds\n" + Files.readString(TestSpecs.cfg("Big")));
        CliRun r = CliRun.of("suite", "Big", "--root", root.toString(), "--workers", "1", "--timeout", "7s");
        assertEquals(ExitCodes.UNEXPECTED, r.exit(), r.toString());
        assertTrue(r.err().lines().anyMatch(l -> l.matches("  Big/Big\\.cfg:  [\\d,]+ states generated, .*, \\d+s")),
                "a progress line naming the configuration: " + r.err());
    }
}
