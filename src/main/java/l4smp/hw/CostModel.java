package l4smp.hw;

import l4smp.hw.cache.AccessOutcome;

/**
 * What each hardware operation costs, in millicycles of a 450 MHz Pentium III (see
 * {@link Cycles}), with the passage of the thesis each number is taken from.
 *
 * <p>Memory costs are per 32-byte line and per access, as measured in §3.2.1 (Table 1) and
 * §3.2.2 (Table 2) with the measuring loop's own cost subtracted ("cycles per line" column). The
 * APIC and kernel entry/exit costs are §3.3.1's. Numbers the thesis does not give are marked
 * <em>assumed</em>; docs/hw.md lists them all.
 *
 * @param l1Hit            read or write that hits a line this CPU holds in L1 (Table 1: 0.98)
 * @param l2Hit            L1 miss that hits in this CPU's L2 (Table 1: 7.53)
 * @param memory           miss in every cache, line read from RAM (Table 1: 42.57)
 * @param exclusiveToShared  read miss snooped by a cache holding the line E or S (Table 2 E to S: 63.82)
 * @param exclusiveToModified write miss, the line E or S elsewhere and invalidated there (Table 2 E to M: 49.23)
 * @param modifiedToShared read miss, the line M elsewhere, written back first (Table 2 M to S: 89.52)
 * @param modifiedToModified write miss, the line M elsewhere, written back and invalidated (Table 2 M to M: 89.39)
 * @param sharedToModified write to a line held S here, invalidated elsewhere (Table 2 S to M: 49.23)
 * @param lockedOverhead   extra for a locked read-modify-write (lock bts, xadd, xchg, cmpxchg)
 *                         on top of its write access; assumed
 * @param kernelEntry      interrupt, exception or trap into kernel mode up to the handler's first
 *                         instruction (§3.3.1: 120 to 160; the middle)
 * @param kernelExit       iret back to the interrupted code (§3.3.1: 170 to 250; the middle)
 * @param icrWrite         writing the ICR to send an IPI (§3.3.1: "about 40 cycles")
 * @param apicRegisterRead reading a local APIC register such as the IRR (§3.3.1: "another 20 for
 *                         polling for the IRR")
 * @param apicRegisterWrite writing a local APIC register such as EOI; assumed equal to a read
 * @param ipiDelivery      from the end of the ICR write until the IPI is in the target's IRR:
 *                         (21 bus cycles of the short message + 16 of APIC state machine work) x
 *                         450/16 processor cycles per APIC bus cycle (§3.3.1: "roughly 1030")
 * @param ioApicDelivery   from a device raising an IO-APIC input until the interrupt is in the
 *                         target's IRR: the 21-bus-cycle message to a fixed destination (§3.3)
 * @param taskRegisterRead STR, how a CPU reads its processor number (§8.8.1: "roughly 10 cycles")
 * @param cr3Load          mov cr3 itself; the TLB refills that follow are charged as page walks; assumed
 * @param invlpg           invlpg itself; assumed
 */
public record CostModel(
        long l1Hit, long l2Hit, long memory,
        long exclusiveToShared, long exclusiveToModified, long modifiedToShared,
        long modifiedToModified, long sharedToModified,
        long lockedOverhead,
        long kernelEntry, long kernelExit,
        long icrWrite, long apicRegisterRead, long apicRegisterWrite, long ipiDelivery, long ioApicDelivery,
        long taskRegisterRead, long cr3Load, long invlpg) {

    /** §3.3.1: a short interrupt message to a fixed destination takes 21 APIC bus cycles. */
    public static final int APIC_SHORT_MESSAGE_BUS_CYCLES = 21;
    /**
     * §3.3.1: the measured delivery exceeds the bus message by "450 cycles (note this are 16 APIC
     * Bus cycles only)", the work of the APIC state machine before the message is sent.
     */
    public static final int APIC_STATE_MACHINE_BUS_CYCLES = 16;
    /** §3.3.1: the APIC bus runs at 16 MHz, the PIII at 450 MHz. */
    public static final double CPU_CYCLES_PER_APIC_BUS_CYCLE = 450.0 / 16.0;

    public CostModel {
        long[] all = {l1Hit, l2Hit, memory, exclusiveToShared, exclusiveToModified, modifiedToShared,
            modifiedToModified, sharedToModified, lockedOverhead, kernelEntry, kernelExit, icrWrite,
            apicRegisterRead, apicRegisterWrite, ipiDelivery, ioApicDelivery, taskRegisterRead, cr3Load, invlpg};
        for (long cost : all) {
            if (cost < 0) {
                throw new IllegalArgumentException("every cost must be >= 0 millicycles: " + this);
            }
        }
    }

    /** What a memory access with {@code outcome} costs (Tables 1 and 2). */
    public long of(AccessOutcome outcome) {
        return switch (outcome) {
            case L1_HIT -> l1Hit;
            case L2_HIT -> l2Hit;
            case MEMORY -> memory;
            case E_TO_S -> exclusiveToShared;
            case E_TO_M -> exclusiveToModified;
            case M_TO_S -> modifiedToShared;
            case M_TO_M -> modifiedToModified;
            case S_TO_M -> sharedToModified;
        };
    }

    /** The dual Pentium III 450 MHz on a 440BX board that §3.2 and §3.3 measured. */
    public static CostModel pentium3At450MHz() {
        return new CostModel(
                Cycles.of(0.98), Cycles.of(7.53), Cycles.of(42.57),
                Cycles.of(63.82), Cycles.of(49.23), Cycles.of(89.52),
                Cycles.of(89.39), Cycles.of(49.23),
                Cycles.of(20),
                Cycles.of(140), Cycles.of(210),
                Cycles.of(40), Cycles.of(20), Cycles.of(20),
                Cycles.of((APIC_SHORT_MESSAGE_BUS_CYCLES + APIC_STATE_MACHINE_BUS_CYCLES)
                        * CPU_CYCLES_PER_APIC_BUS_CYCLE),
                Cycles.of(APIC_SHORT_MESSAGE_BUS_CYCLES * CPU_CYCLES_PER_APIC_BUS_CYCLE),
                Cycles.of(10), Cycles.of(20), Cycles.of(10));
    }

    /** This model with memory (L2 miss) accesses costing {@code millicycles}. */
    public CostModel withMemory(long millicycles) {
        return new CostModel(l1Hit, l2Hit, millicycles, exclusiveToShared, exclusiveToModified, modifiedToShared,
                modifiedToModified, sharedToModified, lockedOverhead, kernelEntry, kernelExit, icrWrite,
                apicRegisterRead, apicRegisterWrite, ipiDelivery, ioApicDelivery, taskRegisterRead, cr3Load, invlpg);
    }

    /** This model with IPIs taking {@code millicycles} from ICR write to IRR. */
    public CostModel withIpiDelivery(long millicycles) {
        return new CostModel(l1Hit, l2Hit, memory, exclusiveToShared, exclusiveToModified, modifiedToShared,
                modifiedToModified, sharedToModified, lockedOverhead, kernelEntry, kernelExit, icrWrite,
                apicRegisterRead, apicRegisterWrite, millicycles, ioApicDelivery, taskRegisterRead, cr3Load, invlpg);
    }
}
