package l4smp.kernel.thread;

/**
 * The thread states of §8.3.2, named exactly as in spec-tla/L4Common.tla so that the refinement
 * mapping is the identity on them.
 *
 * <p>{@code running} is the one thread a CPU executes now; {@code ready} threads may be chosen by
 * the dispatcher. A {@code polling} sender waits (inactively, in the receiver's send queue) for
 * its receiver; a {@code waiting} receiver waits for a sender. The locked states mark both
 * partners of an IPC being transmitted, so that no other IPC is set up to them in between; the
 * locked sender "is ready to run, so it can be scheduled at any time" (§8.3.2). A {@code dead}
 * thread does not exist as a communication partner: its task was deleted, or the kernel stopped it
 * (a fault it cannot deliver, an invalid instruction).
 */
public enum ThreadState {
    RUNNING("running"),
    READY("ready"),
    WAITING("waiting"),
    POLLING("polling"),
    LOCKED_RUNNING("locked_running"),
    LOCKED_WAITING("locked_waiting"),
    DEAD("dead");

    private final String label;

    ThreadState(String label) {
        this.label = label;
    }

    /** The name L4Common.tla gives this state. */
    public String label() {
        return label;
    }

    /** L4Common's {@code Runnable}: the dispatcher may run a thread in this state. */
    public boolean isRunnable() {
        return this == RUNNING || this == READY || this == LOCKED_RUNNING;
    }

    public boolean isLocked() {
        return this == LOCKED_RUNNING || this == LOCKED_WAITING;
    }

    @Override
    public String toString() {
        return label;
    }
}
