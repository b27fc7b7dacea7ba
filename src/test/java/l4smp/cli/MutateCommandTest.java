package l4smp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code l4smp mutate}: listing, a run with its exit code and reports, and user errors. */
class MutateCommandTest {
    private static final String SPEC = "src/test/resources/mutate/Counter.tla";
    private static final String CFG = "src/test/resources/mutate/Counter.cfg";

    @Test
    void listsTheMutantsOfASpec() {
        CliRun r = CliRun.of("mutate", SPEC, "--list");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("M001  Inc:15"), r.out());
        assertTrue(r.out().contains("keep-variable   y' = ~y  ->  UNCHANGED y"), r.out());
        assertTrue(r.out().endsWith("9 mutants\n"), r.out());
    }

    @Test
    void aSurvivorMakesTheRunExit21AndTheReportsSayWhichOne(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("m.html");
        CliRun r = CliRun.of("mutate", SPEC, "--config", CFG, "--mutants", "M001,M009", "--no-equivalence", "--jobs", "1",
                "--json", "--html", html.toString());
        assertEquals(ExitCodes.MUTANTS_SURVIVED, r.exit(), r.toString());
        assertTrue(r.out().contains("\"verdict\" : \"killed\""), r.out());
        assertTrue(r.out().contains("\"verdict\" : \"survived\""), r.out());
        assertTrue(r.out().contains("\"score\" : 0.5"), r.out());
        assertTrue(Files.readString(html).contains("<h3 id=\"M009\">"));
    }

    @Test
    void onlyKilledMutantsExitZero() {
        CliRun r = CliRun.of("mutate", SPEC, "--config", CFG, "--mutants", "M001", "--jobs", "1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("M001  killed"), r.out());
        assertTrue(r.out().contains("mutation score 100.0%"), r.out());
    }

    @Test
    void badInputGetsAClearErrorAndExit2() {
        CliRun op = CliRun.of("mutate", SPEC, "--operators", "flip-everything", "--list");
        assertEquals(2, op.exit());
        assertTrue(op.err().contains("no mutation operator 'flip-everything'"), op.err());
        CliRun jobs = CliRun.of("mutate", SPEC, "--jobs", "0");
        assertEquals(2, jobs.exit());
        assertTrue(jobs.err().contains("--jobs must be at least 1"), jobs.err());
        CliRun cfg = CliRun.of("mutate", SPEC, "--config", "NoSuchConfig");
        assertEquals(2, cfg.exit());
        assertTrue(cfg.err().contains("configuration not found: NoSuchConfig"), cfg.err());
        CliRun none = CliRun.of("mutate", SPEC, "--definitions", "Nothing", "--list");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("no mutants to check"), none.err());
        CliRun next = CliRun.of("mutate", SPEC, "--next", "Nxt", "--list");
        assertEquals(2, next.exit());
        assertTrue(next.err().contains("defines no 'Nxt'"), next.err());
        assertFalse(next.err().contains("Exception"), next.err());
    }
}
