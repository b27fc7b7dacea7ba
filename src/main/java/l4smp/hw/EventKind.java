package l4smp.hw;

/**
 * What an {@link EventLog} entry records. The two numbers {@code a} and {@code b} of an entry
 * mean what each constant says.
 */
public enum EventKind {
    /** A step began: a = step number, b = the scheduler's choice (CPU, or -1 for a hardware event). */
    STEP,
    /** An interrupt was taken: a = vector, b = source CPU of an IPI or -1 for the timer. */
    INTERRUPT,
    /** An ICR write: a = vector, b = bit mask of the target CPUs. */
    IPI_SEND,
    /** An IPI reached the target's IRR: a = vector, b = source CPU. */
    IPI_ARRIVE,
    /** The sender stalls: a = vector, b = target CPU whose two slots are full. */
    IPI_STALL,
    /** A stalled sender goes on: a = vector, b = target CPU that freed a slot. */
    IPI_RESUME,
    /** End of interrupt: a = vector that left service, b = source CPU or -1. */
    EOI,
    /** A timer tick reached the IRR: a = vector, b = 1 if it was lost (already pending), else 0. */
    TIMER_TICK,
    /** A device asserted an IO-APIC input: a = IRQ, b = 1 if the input is masked (held), else 0. */
    DEVICE_RAISE,
    /** A device interrupt reached the IRR: a = vector, b = IRQ; logged with b = -1 - IRQ if lost (already pending). */
    DEVICE_ARRIVE,
    /** An INIT IPI sent (ICR write): a = 0, b = bit mask of the target CPUs. */
    INIT_SEND,
    /** A STARTUP IPI sent (ICR write): a = vector (the startup routine's page), b = bit mask of the target CPUs. */
    STARTUP_SEND,
    /** An INIT reached a CPU: a = 1 if it now waits for STARTUP, 0 if it ignored it (fails to start); b = sender. */
    INIT_ARRIVE,
    /** A STARTUP reached a CPU: a = vector, b = 1 if it started the CPU, 0 if the CPU ignored it. */
    STARTUP_ARRIVE,
    /** The CPU halted: a, b = 0. */
    HALT,
    /** A halted CPU woke for an interrupt: a = vector, b = 0. */
    WAKE,
    /** A page fault: a = faulting address, b = error code. */
    PAGE_FAULT,
    /** CR3 loaded (non-global TLB entries flushed): a = new CR3, b = 0. */
    CR3_LOAD,
    /** invlpg: a = virtual address, b = 0. */
    INVLPG,
    /** A memory access (off unless asked for; many): a = physical address, b = 1 for a write. */
    MEMORY_ACCESS,
    /** Recorded by the software above: a, b its own. */
    SOFTWARE
}
