package l4smp.pbt;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of values of type {@code T}: a function of the choices it draws from a
 * {@link Source}. Because it is nothing but that function, the same seed gives the same value,
 * and shrinking a value is shrinking the choices that produced it (see {@link Source}).
 *
 * <p>Factories for the basic generators are in {@link Gens}. A generator written by hand must get
 * all its randomness from the source and should draw choice 0 for its simplest value.
 *
 * @param <T> the type of the generated values
 */
@FunctionalInterface
public interface Gen<T> {
    /** How many times {@link #filter(Predicate)} tries before it discards the input. */
    int DEFAULT_FILTER_ATTEMPTS = 100;

    /** Draws one value from {@code source}. */
    T generate(Source source);

    /** The value this generator produces from {@code seed}: the first input of a run with that seed. */
    default T example(long seed) {
        return generate(Source.random(seed));
    }

    /** Applies {@code f} to every generated value; shrinks as this generator does. */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return source -> f.apply(generate(source));
    }

    /**
     * Generates a value, then uses the generator {@code f} chooses for it. Both draws sit in one
     * span, so the shrinker sees them as a unit; shrinking the first value re-generates the second.
     */
    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
        return source -> {
            int span = source.beginSpan(Span.Kind.DRAW, this);
            R result = f.apply(generate(source)).generate(source);
            source.endSpan(span);
            return result;
        };
    }

    /** Keeps only values satisfying {@code accept}, trying {@value #DEFAULT_FILTER_ATTEMPTS} times. */
    default Gen<T> filter(Predicate<? super T> accept) {
        return filter(accept, DEFAULT_FILTER_ATTEMPTS);
    }

    /**
     * Keeps only values satisfying {@code accept}; after {@code attempts} rejected values in a row the
     * input is {@link Discard discarded}. Each attempt is a span, so the shrinker can delete rejected
     * attempts and leave the accepted one first.
     */
    default Gen<T> filter(Predicate<? super T> accept, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("a filter needs at least one attempt, got " + attempts);
        }
        return source -> {
            for (int i = 0; i < attempts; i++) {
                int span = source.beginSpan(Span.Kind.FILTER_ATTEMPT, this);
                T value = generate(source);
                source.endSpan(span);
                if (accept.test(value)) {
                    return value;
                }
            }
            throw new Discard("a filter rejected " + attempts + " values in a row");
        };
    }

    /** Lists of {@code min..max} values of this generator; see {@link Gens#lists}. */
    default Gen<List<T>> list(int min, int max) {
        return Gens.lists(this, min, max);
    }
}
