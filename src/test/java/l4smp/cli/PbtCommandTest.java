package l4smp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Supplier;

import l4smp.pbt.Gens;
import l4smp.pbt.Property;
import l4smp.pbt.PropertyRegistry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PbtCommandTest {

    /** What one invocation printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    private static Run run(Supplier<PropertyRegistry> registry, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.configure(new CommandLine(new PbtCommand(registry)));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static PropertyRegistry registry() {
        return new PropertyRegistry()
                .register("holds", "sums of naturals are natural", () -> Property.forAll("holds",
                        Gens.lists(Gens.integers(0, 9), 0, 5), xs -> xs.stream().mapToInt(Integer::intValue).sum() >= 0))
                .register("fails", "every list sums below 100", () -> Property.forAll("fails",
                        Gens.lists(Gens.integers(0, 1000), 0, 20), (xs, trial) -> {
                            trial.classify(xs.isEmpty(), "empty");
                            return xs.stream().mapToInt(Integer::intValue).sum() < 100;
                        }))
                .register("picky", "assumes the impossible", () -> Property.forAll("picky", Gens.booleans(),
                        (b, trial) -> {
                            trial.assume(false);
                            return true;
                        }))
                .register("broken", "cannot be made", () -> {
                    throw new IllegalStateException("spec file missing");
                });
    }

    @Test
    void listPrintsEveryPropertyWithItsDescription() {
        Run r = run(PbtCommandTest::registry, "--list");
        assertEquals(ExitCodes.OK, r.exit());
        assertEquals(List.of("broken  cannot be made", "fails   every list sums below 100", "holds   sums of naturals are natural",
                "picky   assumes the impossible"), r.out().lines().toList());
    }

    @Test
    void passingPropertiesExitZeroAndPrintTriesDiscardsAndTime() {
        Run r = run(PbtCommandTest::registry, "--seed", "42", "--tries", "30", "holds");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("seed 0x000000000000002a (repeat this run with --seed 0x000000000000002a)", lines.get(0));
        assertTrue(lines.get(1).matches("PASSED  holds: 30 tries, 0 discards, \\d+\\.\\d\\d s"), lines.get(1));
    }

    @Test
    void aFailingPropertyPrintsTheShrunkInputAndASeedThatReproducesIt() {
        Run r = run(PbtCommandTest::registry, "--seed", "7", "--stats", "holds", "fails");
        assertEquals(ExitCodes.PROPERTY_FAILED, r.exit(), r.err());
        assertTrue(r.out().contains("PASSED  holds: 100 tries"), r.out());
        assertTrue(r.out().contains("shrunk input:   [100]\n"), r.out());
        String reproduce = r.out().lines().filter(l -> l.contains("reproduce:")).findFirst().orElseThrow();
        String seed = reproduce.replaceAll(".*--seed (\\S+) fails$", "$1");
        assertTrue(reproduce.endsWith("l4smp pbt --seed " + seed + " fails"), reproduce);

        Run again = run(PbtCommandTest::registry, "--seed", seed, "fails");
        assertEquals(ExitCodes.PROPERTY_FAILED, again.exit());
        assertTrue(again.out().contains("FAILED  fails: 1 tries"), again.out());
        assertEquals(originalInput(r.out()), originalInput(again.out()));
    }

    private static String originalInput(String out) {
        return out.lines().filter(l -> l.contains("original input:")).findFirst().orElseThrow();
    }

    @Test
    void aPropertyThatGivesUpHasItsOwnExitCode() {
        Run r = run(PbtCommandTest::registry, "--seed", "1", "--tries", "5", "picky");
        assertEquals(ExitCodes.PROPERTY_GAVE_UP, r.exit());
        assertTrue(r.out().contains("GAVE_UP picky: 0 tries, 50 discards"), r.out());
    }

    @Test
    void aPropertyThatCannotBeMadeIsAnInternalErrorNamingIt() {
        Run r = run(PbtCommandTest::registry, "--seed", "1", "broken", "holds");
        assertEquals(ExitCodes.INTERNAL, r.exit());
        assertTrue(r.err().contains("l4smp: error: property broken could not be created: java.lang.IllegalStateException: spec file missing"),
                r.err());
        assertTrue(r.out().contains("PASSED  holds"), "the other properties still run: " + r.out());
    }

    @Test
    void badUsageExitsTwoWithAMessage() {
        Run unknown = run(PbtCommandTest::registry, "nope");
        assertEquals(ExitCodes.USAGE, unknown.exit());
        assertEquals("l4smp: error: unknown property nope; registered: broken, fails, holds, picky\n"
                + "  'l4smp pbt --list' lists the properties", unknown.err().strip());
        assertEquals(ExitCodes.USAGE, run(PbtCommandTest::registry, "--tries", "0").exit());
        Run badTime = run(PbtCommandTest::registry, "--time", "soon");
        assertEquals(ExitCodes.USAGE, badTime.exit());
        assertTrue(badTime.err().contains("not a duration: 'soon'"), badTime.err());
        Run badSeed = run(PbtCommandTest::registry, "--seed", "0xq");
        assertEquals(ExitCodes.USAGE, badSeed.exit());
        assertTrue(badSeed.err().contains("not a seed: '0xq'"), badSeed.err());
    }

    /** {@code l4smp pbt --seed 42}: every registered property, the harness's and the trace checker's (few tries: each of those runs TLC). */
    @Test
    void theRealRegistryRunsAndPasses() {
        Run r = run(PropertyRegistry::discover, "--seed", "42", "--tries", "3");
        assertEquals(ExitCodes.OK, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASSED  pbt.shrink.sum-reaches-minimum: 3 tries"), r.out());
        for (String name : PropertyRegistry.discover().all().stream().map(PropertyRegistry.Entry::name).toList()) {
            assertTrue(r.out().contains("PASSED  " + name + ": 3 tries"), name + " in\n" + r.out());
        }
        assertTrue(r.out().contains("PASSED  refine.rejects-mutants-where-tlc-does"), r.out());
    }

    /** Before: pbt had no machine-readable output. */
    @Test
    void jsonGivesEachPropertysResultWithTheCounterexampleAndSeed() throws Exception {
        Run r = run(PbtCommandTest::registry, "--seed", "42", "--tries", "30", "--json", "holds", "fails");
        assertEquals(ExitCodes.PROPERTY_FAILED, r.exit(), r.err());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(40, json.get("exitCode").asInt());
        assertEquals("passed", json.get("properties").get(0).get("status").asText());
        com.fasterxml.jackson.databind.JsonNode fails = json.get("properties").get(1);
        assertEquals("failed", fails.get("status").asText());
        assertTrue(fails.get("counterexample").get("seed").asText().startsWith("0x"), fails.toPrettyString());
    }
}
