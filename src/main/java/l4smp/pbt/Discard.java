package l4smp.pbt;

/**
 * Thrown when a generated input is not one the property is about: an {@link Trial#assume assumption}
 * failed, a {@link Gen#filter filter} rejected every attempt, or generation drew more choices than
 * the {@link Source} allows. The runner counts the input as discarded, never as a failure.
 *
 * <p>It carries no stack trace: it is control flow, thrown once per discarded input.
 */
public final class Discard extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Discard(String reason) {
        super(reason, null, false, false);
    }
}
