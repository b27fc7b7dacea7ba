package l4smp.hw;

/**
 * An interrupt request held by a local APIC, pending in the IRR or in service.
 *
 * @param vector  the interrupt vector, 16..255
 * @param source  the sending CPU of an IPI, or {@link #TIMER} for a tick of the local timer
 * @param arrival millicycles when it reached the IRR
 */
public record Interrupt(int vector, int source, long arrival) {
    /** {@link #source} of a local timer tick. */
    public static final int TIMER = -1;

    public boolean isIpi() {
        return source != TIMER;
    }

    /** The APIC's priority class: the upper four bits of the vector. */
    public int priorityClass() {
        return vector >>> 4;
    }
}
