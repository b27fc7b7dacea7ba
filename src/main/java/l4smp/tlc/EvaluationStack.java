package l4smp.tlc;

/**
 * The stack of the threads that evaluate TLA+ (TLC's own recursive evaluator): the model checker's
 * threads in the worker JVM ({@code -Xss}) and the trace checker's thread.
 *
 * <p>Why 16 MB and not more: TLC's context lookup gets slower the deeper the recursion, so the
 * time to exhaust a stack grows much faster than its size. Measured with TLC 2.18 on this project's
 * machine (2 cores), Init evaluating {@code F(n) == F(n+1) + 1}: a 16 MB stack overflows after
 * about 3 s, 32 MB after about 29 s, 64 MB after about 210 s, and 256 MB ran for over ten minutes.
 * 16 MB still evaluates a finite recursion {@code Sum(k) == IF k = 0 THEN 0 ELSE k + Sum(k-1)}
 * to a depth of 6,000 (8,000 needs 24 MB). A spec that needs deeper recursion can have a bigger
 * stack: {@code L4SMP_TLC_JAVA_OPTS=-Xss64m} (see {@code bench stack} in docs/refine.md... no:
 * README, "Exit codes").
 */
public final class EvaluationStack {
    /** The stack size, in bytes. */
    public static final long BYTES = 16L << 20;
    /** The same, as a JVM option value. */
    public static final String XSS = "16m";

    private EvaluationStack() {
    }
}
