package l4smp.hw;

/**
 * An interrupt request held by a local APIC, pending in the IRR or in service.
 *
 * @param vector  the interrupt vector, 16..255
 * @param source  the sending CPU of an IPI (0..14), {@link #TIMER} for a tick of the local timer,
 *                or {@link #device(int)} for a device interrupt routed by the IO-APIC
 * @param arrival millicycles when it reached the IRR
 */
public record Interrupt(int vector, int source, long arrival) {
    /** {@link #source} of a local timer tick. */
    public static final int TIMER = -1;

    /** {@link #source} of an interrupt from IO-APIC input {@code irq}. */
    public static int device(int irq) {
        return -2 - irq;
    }

    public boolean isIpi() {
        return source >= 0;
    }

    public boolean isTimer() {
        return source == TIMER;
    }

    public boolean isDevice() {
        return source <= -2;
    }

    /** The IO-APIC input of a device interrupt. */
    public int irq() {
        if (!isDevice()) {
            throw new IllegalStateException(this + " is not a device interrupt");
        }
        return -2 - source;
    }

    /** The APIC's priority class: the upper four bits of the vector. */
    public int priorityClass() {
        return vector >>> 4;
    }
}
