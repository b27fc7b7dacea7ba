package l4smp.pbt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Tries, discards, the time budget, seeds that reproduce, and exact statistics. */
class PropertyRunnerTest {
    private static final Gen<List<Integer>> LISTS = Gens.lists(Gens.integers(0, 20), 0, 8);

    private static int sum(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void aPropertyThatHoldsIsCheckedOnExactlyItsTries() {
        Property<List<Integer>> p = Property.forAll("sums are natural", LISTS, xs -> sum(xs) >= 0).withTries(250);
        PropertyResult result = new PropertyRunner().run(p, RunConfig.defaults().withSeed(1));
        assertEquals(PropertyResult.Status.PASSED, result.status());
        assertEquals(PropertyResult.Stop.TRIES_DONE, result.stop());
        assertEquals(250, result.tries());
        assertEquals(0, result.discards());
        assertEquals(77, new PropertyRunner().run(p, RunConfig.defaults().withSeed(1).withTries(77)).tries(),
                "the run configuration overrides the property's tries");
    }

    @Test
    void discardsAndStatisticsAreExactlyThoseOfTheInputsTheSeedChainGenerates() {
        Property<List<Integer>> p = Property.forAll("labelled", LISTS, (xs, trial) -> {
            trial.assume(xs.size() % 3 != 0, "length divisible by 3");
            trial.collect("length " + xs.size());
            trial.classify(xs.contains(0), "contains 0");
            return true;
        });
        long seed = 0x5eedL;
        PropertyResult result = new PropertyRunner().run(p, RunConfig.defaults().withSeed(seed).withTries(300));

        Map<String, Integer> expected = new HashMap<>();
        int discards = 0;
        int checked = 0;
        for (long s = seed; checked < 300; s = Seeds.next(s)) {
            List<Integer> xs = LISTS.example(s);
            if (xs.size() % 3 == 0) {
                discards++;
                continue;
            }
            checked++;
            expected.merge("length " + xs.size(), 1, Integer::sum);
            if (xs.contains(0)) {
                expected.merge("contains 0", 1, Integer::sum);
            }
        }
        assertTrue(discards > 0, "the assumption must discard some inputs for this test to mean anything");
        assertEquals(discards, result.discards());
        assertEquals(300, result.statistics().inputs());
        Map<String, Integer> actual = new HashMap<>();
        result.statistics().labels().forEach(l -> actual.put(l, result.statistics().count(l)));
        assertEquals(expected, actual);
        String label = result.statistics().labels().get(0);
        assertEquals(100.0 * expected.get(label) / 300, result.statistics().percent(label), 1e-9);
        assertTrue(result.statistics().render().contains(label));
    }

    @Test
    void aFilterHeavyPropertyReportsItsDiscardsAndGivesUpAtTheCap() {
        Property<Integer> rare = Property.forAll("multiples of 7", Gens.integers(0, 1000), (x, trial) -> {
            trial.assume(x % 7 == 0);
            return true;
        }).withTries(20);
        PropertyResult ok = new PropertyRunner().run(rare, RunConfig.defaults().withSeed(3));
        assertEquals(PropertyResult.Status.PASSED, ok.status());
        assertTrue(ok.discards() > 20, "most inputs are discarded: " + ok.discards());

        Property<Integer> never = Property.forAll("impossible", Gens.integers(0, 1000), (x, trial) -> {
            trial.assume(false);
            return true;
        }).withTries(10);
        PropertyResult gaveUp = new PropertyRunner().run(never, RunConfig.defaults().withSeed(3).withDiscardRatio(5));
        assertEquals(PropertyResult.Status.GAVE_UP, gaveUp.status());
        assertEquals(PropertyResult.Stop.TOO_MANY_DISCARDS, gaveUp.stop());
        assertEquals(50, gaveUp.discards());
        assertEquals(0, gaveUp.tries());
        assertTrue(gaveUp.report("").contains("50 inputs were discarded"), gaveUp.report(""));
    }

    @Test
    void theTimeBudgetStopsARun() {
        long[] now = {0};
        Property<Integer> slow = Property.forAll("each input takes a second", Gens.integers(0, 10), x -> {
            now[0] += Duration.ofSeconds(1).toNanos();
            return true;
        }).withTries(1_000_000);
        PropertyResult result = new PropertyRunner(() -> now[0])
                .run(slow, RunConfig.defaults().withSeed(1).withTimeBudget(Duration.ofSeconds(10)));
        assertEquals(PropertyResult.Status.PASSED, result.status());
        assertEquals(PropertyResult.Stop.TIME_BUDGET, result.stop());
        assertEquals(10, result.tries());
        assertEquals(Duration.ofSeconds(10), result.elapsed());
        assertTrue(result.summary().contains("stopped by the time budget"), result.summary());
    }

    @Test
    void reRunningTheReportedSeedReproducesTheFailingInputFirst() {
        Property<List<Integer>> p = Property.forAll("sum <= 60", LISTS, xs -> sum(xs) <= 60);
        PropertyResult first = new PropertyRunner().run(p, RunConfig.defaults().withSeed(17));
        Counterexample c = first.counterexample().orElseThrow();
        assertTrue(first.tries() > 1, "the failure should not be the run's first input for this test to mean anything");

        PropertyResult again = new PropertyRunner().run(p, RunConfig.defaults().withSeed(c.seed()));
        Counterexample d = again.counterexample().orElseThrow();
        assertEquals(1, again.tries());
        assertEquals(c.original(), d.original());
        assertEquals(c.shrunk(), d.shrunk());
        assertArrayEquals(c.choices(), d.choices());
        assertEquals(c.seed(), d.seed());

        PropertyResult repeated = new PropertyRunner().run(p, RunConfig.defaults().withSeed(17));
        assertEquals(first.tries(), repeated.tries());
        assertEquals(c.original(), repeated.counterexample().orElseThrow().original());
    }

    @Test
    void aFailureReportNamesTheShrunkInputTheFailureAndTheSeed() {
        Property<List<Integer>> p = Property.forAll("sum < 100", Gens.lists(Gens.integers(0, 1000), 0, 20),
                (xs, trial) -> {
                    trial.note("sum is " + sum(xs));
                    return sum(xs) < 100;
                });
        PropertyFailedError error = assertThrows(PropertyFailedError.class,
                () -> PropertyRunner.assertHolds(p, RunConfig.defaults().withSeed(8)));
        String seed = Seeds.format(error.result().counterexample().orElseThrow().seed());
        String message = error.getMessage();
        assertTrue(message.startsWith("FAILED  sum < 100: "), message);
        assertTrue(message.contains("shrunk input:   [100]\n"), message);
        assertTrue(message.contains("failure:        the property returned false\n"), message);
        assertTrue(message.contains("note:           sum is 100\n"), message);
        assertTrue(message.contains("seed:           " + seed), message);
        assertTrue(message.contains("reproduce:      -Dl4smp.pbt.seed=" + seed), message);
    }

    @Test
    void anAssertionInTheBodyIsTheFailureAndTheCause() {
        Property<Integer> p = Property.forAll("asserting", Gens.integers(0, 100), (x, trial) -> {
            if (x >= 10) {
                throw new AssertionError("expected below 10 but was " + x);
            }
            return true;
        });
        PropertyFailedError error = assertThrows(PropertyFailedError.class,
                () -> PropertyRunner.assertHolds(p, RunConfig.defaults().withSeed(4)));
        assertEquals("expected below 10 but was 10", error.getCause().getMessage());
        assertTrue(error.getMessage().contains("shrunk input:   10\n"), error.getMessage());
    }

    @Test
    void systemPropertiesOverrideSeedTriesAndTime() {
        Properties props = new Properties();
        props.setProperty(RunConfig.SEED_PROPERTY, "0x00000000000000ff");
        props.setProperty(RunConfig.TRIES_PROPERTY, "12");
        props.setProperty(RunConfig.TIME_PROPERTY, "3s");
        RunConfig config = RunConfig.defaults().overriddenBy(props);
        assertEquals(255, config.seed().getAsLong());
        assertEquals(12, config.tries().getAsInt());
        assertEquals(Duration.ofSeconds(3), config.timeBudget());

        props.setProperty(RunConfig.SEED_PROPERTY, "-5");
        assertEquals(-5, RunConfig.defaults().overriddenBy(props).seed().getAsLong());
        props.setProperty(RunConfig.TRIES_PROPERTY, "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunConfig.defaults().overriddenBy(props));
        assertTrue(e.getMessage().startsWith("system property l4smp.pbt.tries: "), e.getMessage());
    }

    @Test
    void seedsPrintAndParseBackAndTheChainDoesNotRepeatSoon() {
        for (long seed : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x5eedL}) {
            assertEquals(seed, Seeds.parse(Seeds.format(seed)));
            assertNotEquals(seed, Seeds.next(seed));
        }
        assertEquals(42, Seeds.parse(" 42 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seeds.parse("0xZZ"));
        assertTrue(e.getMessage().contains("expected 0x and up to 16 hex digits"), e.getMessage());
        assertEquals(Duration.ofMillis(500), RunConfig.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(2), RunConfig.parseDuration("2m"));
        assertEquals(Duration.ofSeconds(30), RunConfig.parseDuration("PT30S"));
        assertThrows(IllegalArgumentException.class, () -> RunConfig.parseDuration("soon"));
    }
}
