package l4smp.pbt;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;

/**
 * Runs properties as JUnit tests: one {@link DynamicTest} per property, for a {@code @TestFactory}.
 * Each test runs its property with {@link RunConfig#fromSystemProperties()} (so
 * {@code -Dl4smp.pbt.seed=0x...} reproduces a reported failure) and fails with the full report:
 * shrunk input, failure, original input and seed.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> registeredProperties() {
 *     return PbtJUnit.dynamicTests(PropertyRegistry.discover());
 * }
 * }</pre>
 *
 * <p>For a {@code @ParameterizedTest} over properties or seeds, call
 * {@link PropertyRunner#assertHolds} in the test method.
 */
public final class PbtJUnit {
    private PbtJUnit() {
    }

    /** One test per registered property, named after it; the property is made when its test runs. */
    public static Stream<DynamicTest> dynamicTests(PropertyRegistry registry) {
        return registry.all().stream()
                .map(entry -> DynamicTest.dynamicTest(entry.name(), () -> PropertyRunner.assertHolds(entry.create())));
    }

    /** One test per property, named after it. */
    public static Stream<DynamicTest> dynamicTests(Property<?>... properties) {
        return dynamicTests(Arrays.asList(properties));
    }

    /** One test per property, named after it. */
    public static Stream<DynamicTest> dynamicTests(List<? extends Property<?>> properties) {
        return properties.stream()
                .map(p -> DynamicTest.dynamicTest(p.name(), () -> PropertyRunner.assertHolds(p)));
    }
}
