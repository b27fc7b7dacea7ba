package l4smp.kernel.ipc;

/**
 * One IPC timeout of the Version X API (§8.3.1), as the kernel uses it: zero, never, or a finite
 * number of CPU cycles. {@link TimeoutWord} decodes the four timeouts of an IPC's ECX word.
 *
 * @param kind   L4Common's {@code zero}, {@code finite} or {@code never}
 * @param cycles for a finite timeout, how many cycles from now it expires
 */
public record Timeout(Kind kind, long cycles) {
    /** L4Common's Timeout set. */
    public enum Kind {
        ZERO("zero"), FINITE("finite"), NEVER("never");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public static final Timeout ZERO = new Timeout(Kind.ZERO, 0);
    public static final Timeout NEVER = new Timeout(Kind.NEVER, 0);

    public Timeout {
        if (kind == Kind.FINITE && cycles <= 0) {
            throw new IllegalArgumentException("a finite timeout lasts > 0 cycles, not " + cycles);
        }
    }

    public static Timeout cycles(long cycles) {
        return cycles <= 0 ? ZERO : new Timeout(Kind.FINITE, cycles);
    }

    public boolean isZero() {
        return kind == Kind.ZERO;
    }

    public boolean isNever() {
        return kind == Kind.NEVER;
    }

    public boolean isFinite() {
        return kind == Kind.FINITE;
    }

    @Override
    public String toString() {
        return kind == Kind.FINITE ? cycles + " cycles" : kind.label();
    }
}
