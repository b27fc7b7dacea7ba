package l4smp.hw;

/**
 * A hardware event pending at a time: an IPI arriving at its target's IRR, a timer tick, a device
 * raising or delivering an interrupt, an INIT or STARTUP IPI reaching a CPU.
 * Ordered by (time, sequence number), the sequence number being the order of scheduling, so
 * simultaneous events happen in a fixed order.
 */
final class HwEvent implements Comparable<HwEvent> {
    enum Kind { IPI_ARRIVAL, TIMER_TICK, DEVICE_RAISE, DEVICE_ARRIVAL, INIT_ARRIVAL, STARTUP_ARRIVAL }

    final Kind kind;
    final long time;
    final long sequence;
    final int target;
    final int vector;
    /** IPI, INIT, STARTUP: the sender. Device raise: the period in millicycles (0: once). Device arrival: the IRQ. */
    final long tag;

    HwEvent(Kind kind, long time, long sequence, int target, int vector, long tag) {
        this.kind = kind;
        this.time = time;
        this.sequence = sequence;
        this.target = target;
        this.vector = vector;
        this.tag = tag;
    }

    @Override
    public int compareTo(HwEvent other) {
        int byTime = Long.compare(time, other.time);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
}
