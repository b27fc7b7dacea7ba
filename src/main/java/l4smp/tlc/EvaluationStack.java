package l4smp.tlc;

/**
 * The stack of the threads that evaluate TLA+ (TLC's recursive evaluator): the model checker's
 * threads in the worker JVM ({@code -Xss}) and the trace checker's thread.
 *
 * <p>Why 16 MB and not more: TLC's context lookup gets slower the deeper the recursion, so the time
 * to exhaust a stack grows much faster than its size. Measured through {@code l4smp check} with
 * {@code L4SMP_TLC_JAVA_OPTS=-XssN} in one run on a shared 2-core machine (a trivial check took
 * about 5 s there), Init evaluating {@code F(n) == F(n+1) + 1}: exit 13 after 11 s with 16 MB,
 * 33 s with 24 MB, 79 s with 32 MB, 363 s with 64 MB (256 MB, the old size, ran for more than ten
 * minutes). A finite {@code Sum(k) == IF k = 0 THEN 0 ELSE k + Sum(k-1)} evaluates to k = 8,000
 * with 16 MB (12,000 overflows) and to 16,000 with 24 MB or more. A spec that recurses deeper can
 * have more: {@code L4SMP_TLC_JAVA_OPTS=-Xss64m} (the message of the overflow says so).
 */
public final class EvaluationStack {
    /** The stack size, in bytes. */
    public static final long BYTES = 16L << 20;
    /** The same, as a JVM option value. */
    public static final String XSS = "16m";

    private EvaluationStack() {
    }
}
