package l4smp.pbt;

import java.util.function.Predicate;

/**
 * An input with a part the choice-sequence shrinker does not see, which it reduces itself once the
 * generated part is shrunk: a kernel run's scheduler choices, drawn by the machine's random
 * scheduler from one generated seed. {@link PropertyRunner} calls {@link #reduce} on the shrunk
 * input with a test that re-runs the property and accepts a candidate only if it fails the same
 * way ({@link Failure#kind}), and reports the reduced input instead.
 *
 * @param <T> the input type, the type of {@code this}
 */
public interface Reducible<T> {
    /** A smaller input that still passes {@code failsTheSameWay}, or this input if none is found. */
    T reduce(Predicate<T> failsTheSameWay);
}
