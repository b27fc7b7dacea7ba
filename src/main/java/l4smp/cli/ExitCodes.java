package l4smp.cli;

/**
 * The exit codes of every {@code l4smp} command, documented in the README and in {@code --help}.
 * Each command returns one of these from {@code call()}; nothing else calls {@code System.exit}.
 */
public final class ExitCodes {
    /** The model holds, the trace was accepted, every outcome was as expected. */
    public static final int OK = 0;
    /** A bug in l4smp or an unexpected failure inside TLC (the message says which). */
    public static final int INTERNAL = 1;
    /** Bad usage or input/output: unknown option, missing file, unwritable output. */
    public static final int USAGE = 2;
    /** An invariant (or the initial state's invariant) is violated. */
    public static final int INVARIANT = 10;
    /** An action property or temporal (liveness) property is violated. */
    public static final int PROPERTY = 11;
    /** A reachable state has no successor and deadlock checking is on. */
    public static final int DEADLOCK = 12;
    /** An ASSUME is false, an Assert fails, or evaluating the spec fails. */
    public static final int SPEC_ERROR = 13;
    /** The TLA+ module does not parse or fails semantic analysis (SANY). */
    public static final int PARSE = 14;
    /** The TLC configuration (.cfg) is malformed or names something the spec does not define. */
    public static final int CONFIG = 15;
    /** The run stopped at {@code --timeout} before finishing; no violation was found until then. */
    public static final int TIMEOUT = 16;
    /** {@code suite}: some configuration's outcome differs from the one it declares. */
    public static final int UNEXPECTED = 20;
    /** {@code mutate}: some mutant survived (or ran past its time limit) and is not shown equivalent. */
    public static final int MUTANTS_SURVIVED = 21;
    /** {@code refine}: the trace is not a behaviour of the spec. */
    public static final int REJECTED = 30;
    /** {@code replay}: the kernel left the counterexample's interleaving, or followed it without the same violation. */
    public static final int NOT_REPRODUCED = 31;
    /** {@code replay}: the counterexample is one the replay cannot drive (no kernel switch for its config, an action it does not map). */
    public static final int REPLAY_UNSUPPORTED = 32;
    /** {@code pbt}: a property failed (the shrunk input and its seed are printed). */
    public static final int PROPERTY_FAILED = 40;
    /** {@code pbt}: a property discarded too many inputs to reach its number of tries. */
    public static final int PROPERTY_GAVE_UP = 41;
    /** {@code bench hw}: a simulated figure is outside 0.95-1.05 of the thesis's. */
    public static final int OUT_OF_BAND = 50;
    /** {@code check --distributed}: too few workers joined within --worker-timeout, or all left and none came back. */
    public static final int NO_WORKERS = 60;
    /** {@code worker}, {@code fpset}: the server cannot be reached, or was lost mid-run. */
    public static final int NO_SERVER = 61;

    private ExitCodes() {
    }

    /** The exit code for what a TLC run found. */
    public static int of(l4smp.tlc.Outcome outcome) {
        return switch (outcome) {
            case HOLDS -> OK;
            case INVARIANT_VIOLATED -> INVARIANT;
            case PROPERTY_VIOLATED -> PROPERTY;
            case DEADLOCK -> DEADLOCK;
            case ASSUMPTION_FAILED, EVALUATION_ERROR -> SPEC_ERROR;
            case PARSE_ERROR -> PARSE;
            case CONFIG_ERROR -> CONFIG;
            case TIMEOUT -> TIMEOUT;
            case INTERNAL_ERROR -> INTERNAL;
        };
    }
}
