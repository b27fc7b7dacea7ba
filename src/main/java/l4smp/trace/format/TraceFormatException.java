package l4smp.trace.format;

/** A trace file that cannot be read: the message says where (a JSON path or line) and what is wrong. */
public class TraceFormatException extends Exception {
    public TraceFormatException(String message) {
        super(message);
    }

    public TraceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
