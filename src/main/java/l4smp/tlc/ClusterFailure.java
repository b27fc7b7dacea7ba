package l4smp.tlc;

/** Why a distributed run ended without a model-checking result, in words for the user. */
public record ClusterFailure(Kind kind, String message) {
    public enum Kind {
        /** The model needs something distributed TLC does not do (liveness). */
        UNSUPPORTED,
        /** The server's port is taken, or the address cannot be bound. */
        CANNOT_LISTEN,
        /** Too few workers joined within the worker timeout, or all left and none came back. */
        NO_WORKERS,
    }
}
