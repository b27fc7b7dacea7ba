package l4smp.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The registered properties run as JUnit tests, both ways the harness supports. */
class HarnessPropertiesTest {

    /** The harness's own properties; the trace properties have their tests (RefinePropertiesTest), with seeds and tries of their own. */
    @TestFactory
    Stream<DynamicTest> everyHarnessPropertyHolds() {
        PropertyRegistry harness = new PropertyRegistry();
        new HarnessProperties().registerProperties(harness);
        return PbtJUnit.dynamicTests(harness);
    }

    /** The same claim under several fixed seeds, one parameterized test each. */
    @ParameterizedTest
    @ValueSource(longs = {1, 42, 0x5eedL})
    void shrinkingIsSoundUnderFixedSeeds(long seed) {
        PropertyResult result = PropertyRunner.assertHolds(HarnessProperties.shrinkIsSound(),
                RunConfig.defaults().withSeed(seed).withTries(30));
        assertEquals(30, result.tries());
    }

    @Test
    void theHarnessRegistersItsOwnProperties() {
        List<String> names = PropertyRegistry.discover().all().stream().map(PropertyRegistry.Entry::name).toList();
        assertTrue(names.containsAll(List.of("pbt.integers.choices-round-trip", "pbt.replay.recorded-choices-regenerate",
                "pbt.shrink.sound", "pbt.shrink.sum-reaches-minimum")), names.toString());
    }
}
