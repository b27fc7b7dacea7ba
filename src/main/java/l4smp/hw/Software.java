package l4smp.hw;

/**
 * What runs on the machine: the layer above (the kernel with its user programs, or a test or
 * benchmark program) plugged into the machine, which calls it one atomic step at a time.
 *
 * <p>A step is whatever the software chooses to run on one CPU without interleaving with the
 * others: on the real machine, a kernel path segment with interrupts disabled (DESIGN.md: one
 * atomic kernel step = one TLA+ action), or a stretch of user code up to its next memory access
 * that another CPU may observe. During a step the software drives the CPU it was given (memory
 * accesses, charges, APIC, cli/sti/hlt, CR3); it must not drive another CPU.
 */
public interface Software {
    /**
     * Runs one atomic step on {@code cpu}. The machine calls it when the CPU is neither halted nor
     * stalled, and either its interrupts are disabled or no interrupt is deliverable to it.
     * A step should charge the time it takes: under the earliest-clock-first scheduler a CPU whose
     * steps cost nothing keeps being chosen. A CPU with nothing to do halts ({@code sti; hlt}).
     */
    void step(Cpu cpu);

    /**
     * Interrupt {@code vector} was taken on {@code cpu}: the hardware has entered kernel mode
     * (the entry cost is charged), disabled interrupts and put the vector in service; it stays in
     * service until the software calls {@link LocalApic#eoi()}. Returning to the interrupted code
     * is the software's {@link Cpu#iret}. This call is itself one atomic step.
     */
    void interrupt(Cpu cpu, int vector);
}
