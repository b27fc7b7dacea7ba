package l4smp.refine;

/**
 * Why a counterexample cannot be replayed on the kernel: what is wrong, where (the trace's file,
 * state or the kernel's step), and how to fix it, with the kind of problem that picks the exit code.
 */
public final class ReplayException extends Exception {
    /** What kind of problem it is. */
    public enum Kind {
        /** The input is wrong: not a counterexample, a trace of a configuration that holds, a spec that does not exist. */
        INPUT,
        /** The counterexample is one the replay cannot drive: no kernel switch for its configuration, an action it does not map. */
        UNSUPPORTED,
        /** The kernel did not follow the trace, or followed it and did not end in the same violation. */
        NOT_REPRODUCED
    }

    private final Kind kind;
    private final String hint;

    public ReplayException(Kind kind, String message, String hint) {
        super(message);
        this.kind = kind;
        this.hint = hint;
    }

    public Kind kind() {
        return kind;
    }

    /** How to fix it (may be null). */
    public String hint() {
        return hint;
    }
}
