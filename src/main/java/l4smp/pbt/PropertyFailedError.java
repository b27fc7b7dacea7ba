package l4smp.pbt;

/**
 * A property did not hold (or gave up): thrown by {@link PropertyRunner#assertHolds} so that JUnit
 * fails the test with the full report (shrunk input, failure, seed) as its message. The original
 * failure, if something was thrown, is the cause.
 */
public final class PropertyFailedError extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient PropertyResult result;

    public PropertyFailedError(PropertyResult result) {
        super(result.report("-D" + RunConfig.SEED_PROPERTY + "={seed}"),
                result.counterexample().map(c -> c.failure().thrown()).orElse(null));
        this.result = result;
    }

    /** The result of the run that failed. */
    public PropertyResult result() {
        return result;
    }
}
