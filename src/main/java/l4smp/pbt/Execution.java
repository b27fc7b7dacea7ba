package l4smp.pbt;

import java.util.BitSet;
import java.util.List;

/**
 * One run of a property on one input: the input, the choices that generated it (and which of them
 * are magnitudes of numbers), the spans the generators marked, and whether the property held,
 * failed or discarded the input.
 *
 * @param input   the generated value, or null if generation itself discarded or failed
 * @param failure why it failed; null unless {@code status} is {@link Status#FAILED}
 */
record Execution<T>(Status status, T input, long[] choices, BitSet magnitudes, List<Span> spans, Failure failure,
        Trial trial) {

    enum Status { PASSED, FAILED, DISCARDED }

    boolean failed() {
        return status == Status.FAILED;
    }

    /** Runs {@code property} on the input {@code source} generates. */
    static <T> Execution<T> of(Property<T> property, Source source) {
        T input;
        try {
            input = property.gen().generate(source);
        } catch (Discard d) {
            return new Execution<>(Status.DISCARDED, null, source.choices(), source.magnitudes(), source.spans(), null,
                    new Trial());
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Execution<>(Status.FAILED, null, source.choices(), source.magnitudes(), source.spans(),
                    Failure.thrownByGenerator(t), new Trial());
        }
        return check(property, input, source.choices(), source.magnitudes(), source.spans());
    }

    /** Runs {@code property} on {@code input}, which {@code choices} generate (or, reduced, stand for). */
    static <T> Execution<T> check(Property<T> property, T input, long[] choices, BitSet magnitudes, List<Span> spans) {
        Trial trial = new Trial();
        Status status;
        Failure failure = null;
        try {
            status = property.holds(input, trial) ? Status.PASSED : Status.FAILED;
            failure = status == Status.FAILED ? Failure.falsified(trial.failureName()) : null;
        } catch (Discard d) {
            status = Status.DISCARDED;
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            status = Status.FAILED;
            failure = Failure.thrown(t);
        }
        return new Execution<>(status, input, choices, magnitudes, spans, failure, trial);
    }
}
