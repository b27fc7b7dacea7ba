package l4smp.hw;

/**
 * One CPU's cycle counter, in millicycles ({@link Cycles}). <b>This is the one place where
 * simulated time advances</b>, in exactly two ways:
 * <ol>
 *   <li>{@link #charge}: the CPU executed something that costs time: an instruction cost the
 *       layer above states, a memory access priced by the caches, a kernel entry or exit, an
 *       APIC register access. Only the CPU's own step charges its clock.</li>
 *   <li>{@link #waitUntil}: the CPU could not go on before a moment another part of the machine
 *       fixed: a halted CPU woken by an interrupt that arrived at time t, a CPU taking an
 *       interrupt that arrived after its clock (possible only under a non-timing scheduler), a
 *       sender stalled on a full IPI slot released at the target's EOI. The skipped time counts
 *       as idle.</li>
 * </ol>
 * Hardware events (IPI arrival, timer ticks) are stamped with times computed from these clocks
 * and never move a clock by themselves. There is no global clock; the earliest-clock-first
 * scheduler keeps the CPUs' clocks close, as on the real machine.
 */
public final class LocalClock {
    private long now;
    private long idle;

    /** The time in millicycles. */
    public long now() {
        return now;
    }

    /** Millicycles spent waiting rather than executing. */
    public long idle() {
        return idle;
    }

    void charge(long millicycles) {
        if (millicycles < 0) {
            throw new IllegalArgumentException("a charge must be >= 0 millicycles, not " + millicycles);
        }
        now += millicycles;
    }

    void waitUntil(long time) {
        if (time > now) {
            idle += time - now;
            now = time;
        }
    }
}
