package l4smp.mutate;

import l4smp.mutate.MutantResult.Verdict;
import l4smp.tlc.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mutation run with TLC on the Counter spec (src/test/resources/mutate): one mutant of
 * each verdict, the score, the JSON and HTML reports, and an unmutated spec that fails its cfg.
 */
class MutationRunTest {
    private static final Path DIR = Path.of("src/test/resources/mutate").toAbsolutePath();
    private static Path copy;
    private static MutationReport report;

    /** Counter's mutants M001 (drop x < Max), M004 (drop x >= 0) and M009 (leave y unchanged). */
    @BeforeAll
    static void run() throws Exception {
        copy = Files.createTempDirectory("l4smp-mutate-test-");
        Files.copy(DIR.resolve("Counter.tla"), copy.resolve("Counter.tla"));
        SpecModules spec = SpecModules.load(copy.resolve("Counter.tla"));
        List<Mutant> chosen = spec.mutants("Next").stream().filter(m -> Set.of("M001", "M004", "M009").contains(m.id())).toList();
        List<MutantResult> seen = new ArrayList<>();
        report = new MutationRun(spec, chosen, List.of(DIR.resolve("Counter.cfg")), List.of(),
                new MutationRun.Options(2, null, true, "Next")).run(seen::add);
        assertEquals(3, seen.size(), "every result is reported as it comes");
    }

    @AfterAll
    static void cleanUp() {
        TempDirs.deleteTree(copy);
    }

    private static Map<String, MutantResult> byId() {
        Map<String, MutantResult> m = new HashMap<>();
        for (MutantResult r : report.results()) m.put(r.mutant().id(), r);
        return m;
    }

    @Test
    void aMutantThatBreaksAnInvariantIsKilledByIt() {
        MutantResult r = byId().get("M001");
        assertEquals(Verdict.KILLED, r.verdict());
        assertEquals("Counter", r.config());
        assertEquals("found violation BelowMaxInv", r.detail());
    }

    @Test
    void droppingARedundantGuardIsEquivalent() {
        MutantResult r = byId().get("M004");
        assertEquals(Verdict.EQUIVALENT, r.verdict());
        assertTrue(r.detail().startsWith("same initial states and steps"), r.detail());
    }

    @Test
    void aChangeNoPropertyReadsSurvivesAndIsNotEquivalent() {
        MutantResult r = byId().get("M009");
        assertEquals(Verdict.SURVIVED, r.verdict());
        assertTrue(r.detail().startsWith("not equivalent (a step of the original is not a step of the mutant"), r.detail());
    }

    @Test
    void theScoreCountsKilledAgainstKilledSurvivedAndTimedOut() {
        assertEquals(0.5, report.score());
        assertEquals(List.of("M009"), report.unkilled().stream().map(r -> r.mutant().id()).toList());
        assertEquals(1, report.counts().get(Verdict.EQUIVALENT));
        assertTrue(report.summary().contains("1 killed, 1 survived, 1 equivalent"), report.summary());
    }

    @Test
    void theJsonAndHtmlReportsShowEveryMutantAndTheSurvivorInContext() throws Exception {
        String json = report.json().toString();
        assertTrue(json.contains("\"id\":\"M009\",\"verdict\":\"survived\",\"operator\":\"keep-variable\""), json);
        String html = MutationHtml.render(report, Files.readString(copy.resolve("Counter.tla")));
        assertTrue(html.contains("<del>y&#39; = ~y</del>") || html.contains("<del>y' = ~y</del>"), html);
        assertTrue(html.contains("<ins>UNCHANGED y</ins>"));
        assertTrue(html.contains("Flip == /\\ "), "the definition around it");
    }

    @Test
    void aSpecThatFailsItsConfigurationIsRefusedBeforeAnyMutant() throws Exception {
        Path broken = Files.createTempDirectory("l4smp-mutate-broken-");
        try {
            Files.writeString(broken.resolve("Counter.tla"),
                    Files.readString(DIR.resolve("Counter.tla")).replace("x < Max", "x <= Max"));
            SpecModules spec = SpecModules.load(broken.resolve("Counter.tla"));
            MutationException e = assertThrows(MutationException.class, () -> new MutationRun(spec, spec.mutants("Next"),
                    List.of(DIR.resolve("Counter.cfg")), List.of(), new MutationRun.Options(1, null, false, "Next")).run(r -> { }));
            assertEquals(MutationException.Cause.BASELINE, e.kind());
            assertTrue(e.getMessage().contains("expected holds, got violation BelowMaxInv"), e.getMessage());
        } finally {
            TempDirs.deleteTree(broken);
        }
    }
}
