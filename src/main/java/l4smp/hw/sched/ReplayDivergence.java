package l4smp.hw.sched;

/**
 * A recorded choice list cannot be replayed: at some step the recorded choice is not possible
 * (the configuration or the software differs from the recorded run), or the list ran out.
 */
public final class ReplayDivergence extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayDivergence(String message) {
        super(message);
    }
}
