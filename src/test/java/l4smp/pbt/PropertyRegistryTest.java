package l4smp.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PropertyRegistryTest {

    private static Property<Boolean> trivial(String name) {
        return Property.forAll(name, Gens.booleans(), b -> true);
    }

    @Test
    void registeredPropertiesAreListedByNameAndMadeOnlyWhenAskedFor() {
        AtomicInteger made = new AtomicInteger();
        PropertyRegistry registry = new PropertyRegistry()
                .register("b.second", "second", () -> {
                    made.incrementAndGet();
                    return trivial("b.second");
                })
                .register("a.first", "first", () -> trivial("a.first"));
        assertEquals(List.of("a.first", "b.second"), registry.all().stream().map(PropertyRegistry.Entry::name).toList());
        assertEquals(0, made.get());
        assertEquals("b.second", registry.lookup("b.second").orElseThrow().create().name());
        assertEquals(1, made.get());
        assertTrue(registry.lookup("c").isEmpty());
    }

    @Test
    void selectionKeepsTheOrderGivenAndNamesWhatIsUnknown() {
        PropertyRegistry registry = new PropertyRegistry()
                .register("a", "a", () -> trivial("a"))
                .register("b", "b", () -> trivial("b"));
        assertEquals(List.of("b", "a"), registry.select(List.of("b", "a", "b")).stream().map(PropertyRegistry.Entry::name).toList());
        assertEquals(2, registry.select(List.of()).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.select(List.of("a", "x", "y")));
        assertEquals("unknown properties x, y; registered: a, b", e.getMessage());
    }

    @Test
    void duplicateAndMalformedNamesAreRefused() {
        PropertyRegistry registry = new PropertyRegistry().register("a", "a", () -> trivial("a"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> registry.register("a", "again", () -> trivial("a")))
                .getMessage().contains("registered twice"));
        assertThrows(IllegalArgumentException.class, () -> registry.register("Has Space", "x", () -> trivial("x")));
        assertThrows(IllegalArgumentException.class, () -> registry.register("", "x", () -> trivial("x")));
    }

    @Test
    void discoveryFindsTheProvidersListedAsServices() {
        assertTrue(PropertyRegistry.discover().lookup("pbt.shrink.sound").isPresent());
    }
}
