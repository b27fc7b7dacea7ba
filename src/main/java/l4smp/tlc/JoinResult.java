package l4smp.tlc;

/**
 * How a worker's or fingerprint server's part in a distributed run ended.
 *
 * @param status   what happened
 * @param message  one line for the user
 * @param expanded states this worker expanded (0 for a fingerprint server)
 */
public record JoinResult(Status status, String message, long expanded) {
    public enum Status {
        /** The server ended the run and released this process. */
        FINISHED,
        /** The server could not be reached within the connect timeout. */
        UNREACHABLE,
        /** The server went away mid-run without releasing this process. */
        LOST_SERVER,
        /** Something else went wrong (the message says what). */
        FAILED,
    }
}
