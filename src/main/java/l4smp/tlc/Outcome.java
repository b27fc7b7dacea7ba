package l4smp.tlc;

/** What a TLC run found. The CLI maps each outcome to its exit code ({@code l4smp.cli.ExitCodes}). */
public enum Outcome {
    /** The model holds: every reachable state was explored (or every simulated trace ran) without a violation. */
    HOLDS,
    /** An invariant fails in a reachable state (possibly an initial one). */
    INVARIANT_VIOLATED,
    /** An action property ({@code [][A]_v}) or a temporal (liveness) property fails. */
    PROPERTY_VIOLATED,
    /** A reachable state has no successor while deadlock checking is on. */
    DEADLOCK,
    /** An {@code ASSUME} of the spec is false. */
    ASSUMPTION_FAILED,
    /** Evaluating the spec failed (e.g. a function applied outside its domain, an {@code Assert}). */
    EVALUATION_ERROR,
    /** SANY rejected the spec: a syntax error or a semantic error (e.g. an undefined name). */
    PARSE_ERROR,
    /** The configuration file is malformed or names what the spec does not define. */
    CONFIG_ERROR,
    /** The run was stopped at its time limit before it finished; nothing was violated until then. */
    TIMEOUT,
    /** TLC or the driver failed for a reason that is not the spec's fault. */
    INTERNAL_ERROR;

    public boolean isViolation() {
        return this == INVARIANT_VIOLATED || this == PROPERTY_VIOLATED || this == DEADLOCK;
    }

    /** The lower-case name used in JSON, tables and cfg expectations, e.g. {@code invariant_violated}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
