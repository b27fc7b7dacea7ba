package l4smp.mutate;

/** A mutation run that cannot start: the spec cannot be read, or the unmutated spec fails a configuration. */
public final class MutationException extends RuntimeException {
    /** Whose fault: the input (a file, a name) or the unmutated spec failing a configuration. */
    public enum Cause { INPUT, BASELINE }

    private final String detail;
    private final Cause cause;

    public MutationException(String message, String detail) {
        this(Cause.INPUT, message, detail);
    }

    public MutationException(Cause cause, String message, String detail) {
        super(message);
        this.cause = cause;
        this.detail = detail;
    }

    public Cause kind() {
        return cause;
    }

    /** How to fix it. */
    public String detail() {
        return detail;
    }
}
