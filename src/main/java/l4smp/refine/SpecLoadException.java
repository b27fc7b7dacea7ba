package l4smp.refine;

/** A spec or cfg that the trace checker cannot load; the message says what and where. */
public class SpecLoadException extends Exception {
    public SpecLoadException(String message) {
        super(message);
    }
}
