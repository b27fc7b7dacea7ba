package l4smp.pbt;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A claim that {@link #body} holds for every value {@link #gen} can produce. Immutable; the
 * {@code with*} methods return adjusted copies.
 *
 * <pre>{@code
 * Property<List<Integer>> p = Property.forAll("reverse twice is identity",
 *         Gens.lists(Gens.integers(-10, 10), 0, 20),
 *         (xs, trial) -> {
 *             trial.classify(xs.isEmpty(), "empty");
 *             return reverse(reverse(xs)).equals(xs);
 *         });
 * }</pre>
 *
 * <p>The body must be deterministic in its input: that is what makes a seed reproduce a failure
 * and what lets the shrinker trust a re-run.
 *
 * @param <T> the type of the inputs
 */
public final class Property<T> {
    /** The default number of inputs checked per run. */
    public static final int DEFAULT_TRIES = 100;

    /** The claim about one input: true, false, or an exception (a failed assertion counts). */
    @FunctionalInterface
    public interface Body<T> {
        boolean holds(T input, Trial trial) throws Exception;
    }

    private final String name;
    private final Gen<T> gen;
    private final Body<? super T> body;
    private final int tries;
    private final Function<? super T, String> printer;

    private Property(String name, Gen<T> gen, Body<? super T> body, int tries, Function<? super T, String> printer) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a property needs a name");
        }
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be >= 1, got " + tries);
        }
        this.name = name;
        this.gen = Objects.requireNonNull(gen, "gen");
        this.body = Objects.requireNonNull(body, "body");
        this.tries = tries;
        this.printer = Objects.requireNonNull(printer, "printer");
    }

    /** The property that {@code body} holds for every input of {@code gen}; the body can classify and assume. */
    public static <T> Property<T> forAll(String name, Gen<T> gen, Body<? super T> body) {
        return new Property<>(name, gen, body, DEFAULT_TRIES, Property::defaultPrint);
    }

    /** The property that {@code predicate} holds for every input of {@code gen}. */
    public static <T> Property<T> forAll(String name, Gen<T> gen, Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return forAll(name, gen, (input, trial) -> predicate.test(input));
    }

    /** This property checked on {@code tries} inputs per run unless the run configuration says otherwise. */
    public Property<T> withTries(int tries) {
        return new Property<>(name, gen, body, tries, printer);
    }

    /** This property with inputs printed by {@code printer} in reports. */
    public Property<T> withPrinter(Function<? super T, String> printer) {
        return new Property<>(name, gen, body, tries, printer);
    }

    public String name() {
        return name;
    }

    public Gen<T> gen() {
        return gen;
    }

    public int tries() {
        return tries;
    }

    boolean holds(T input, Trial trial) throws Exception {
        return body.holds(input, trial);
    }

    String print(T input) {
        return printer.apply(input);
    }

    /** {@code String.valueOf}, except that arrays print their elements. */
    private static String defaultPrint(Object input) {
        if (input != null && input.getClass().isArray()) {
            String wrapped = Arrays.deepToString(new Object[] {input});
            return wrapped.substring(1, wrapped.length() - 1);
        }
        return String.valueOf(input);
    }

    @Override
    public String toString() {
        return name;
    }
}
