package l4smp.hw;

/**
 * Counters of a machine so far.
 *
 * @param steps            atomic steps, hardware events included
 * @param hardwareEvents   IPI arrivals and timer ticks
 * @param interruptsTaken  interrupts delivered to a CPU
 * @param memoryAccesses   accesses priced by the caches (page-table walks included)
 * @param tlbHits          TLB lookups that hit
 * @param tlbMisses        TLB lookups that missed
 * @param pageWalks        page-table walks
 * @param pageFaults       page faults raised
 * @param ipisSent         ICR writes
 * @param lostTicks        timer ticks that found the previous one still pending
 */
public record MachineStats(long steps, long hardwareEvents, long interruptsTaken, long memoryAccesses,
                           long tlbHits, long tlbMisses, long pageWalks, long pageFaults, long ipisSent,
                           long lostTicks) {
}
