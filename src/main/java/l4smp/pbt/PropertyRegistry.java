package l4smp.pbt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The project's named properties, for {@code l4smp pbt} and for JUnit test factories. A property
 * is registered as a factory, so listing the registry costs nothing and a property that needs
 * expensive set-up (parsing a TLA+ spec) does it only when it is run.
 */
public final class PropertyRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");

    /** A registered property: its name, what it claims, and how to make it. */
    public record Entry(String name, String description, Supplier<? extends Property<?>> factory) {
        /** Makes the property; the factory's exceptions propagate. */
        public Property<?> create() {
            return Objects.requireNonNull(factory.get(), () -> "property factory of " + name + " returned null");
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** The registry filled by every {@link PropertyProvider} on the class path. */
    public static PropertyRegistry discover() {
        PropertyRegistry registry = new PropertyRegistry();
        try {
            for (PropertyProvider provider : ServiceLoader.load(PropertyProvider.class)) {
                provider.registerProperties(registry);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a property provider listed in META-INF/services/"
                    + PropertyProvider.class.getName() + ": " + e.getMessage(), e);
        }
        return registry;
    }

    /**
     * Registers a property under {@code name} (lower case, digits, dots and dashes, such as
     * {@code refine.simulated-traces-accepted}).
     *
     * @throws IllegalArgumentException for a malformed or already registered name
     */
    public PropertyRegistry register(String name, String description, Supplier<? extends Property<?>> factory) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("property name '" + name
                    + "' must be lower case letters, digits, '.' and '-', starting with a letter or digit");
        }
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("property '" + name + "' is registered twice");
        }
        entries.put(name, new Entry(name, Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(factory, "factory")));
        return this;
    }

    public Optional<Entry> lookup(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Every registered property, sorted by name. */
    public List<Entry> all() {
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        return Collections.unmodifiableList(sorted);
    }

    /**
     * The entries {@code names} select, in the order given; all of them when {@code names} is empty.
     *
     * @throws IllegalArgumentException naming the unknown names and listing the known ones
     */
    public List<Entry> select(List<String> names) {
        if (names.isEmpty()) {
            return all();
        }
        List<String> unknown = names.stream().filter(n -> !entries.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown propert" + (unknown.size() == 1 ? "y " : "ies ")
                    + String.join(", ", unknown) + "; registered: "
                    + String.join(", ", all().stream().map(Entry::name).toList()));
        }
        return names.stream().distinct().map(entries::get).toList();
    }
}
