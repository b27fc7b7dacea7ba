package l4smp.hw;

/**
 * One entry of an {@link EventLog}: what happened, on which CPU, at which time.
 *
 * @param time millicycles on that CPU's clock (for hardware events, the event's time)
 * @param cpu  the CPU it concerns
 * @param kind what happened; {@code a} and {@code b} mean what {@link EventKind} says
 */
public record LoggedEvent(long time, int cpu, EventKind kind, long a, long b) {
    @Override
    public String toString() {
        return String.format("%12s cpu%-2d %-13s %d %d", Cycles.format(time), cpu, kind, a, b);
    }
}
