package l4smp.kernel;

import l4smp.hw.Cpu;
import l4smp.kernel.thread.ThreadId;

/**
 * The user-level code the kernel runs threads of: the kernel's one hook to the layer above
 * (l4smp.workload implements it with its small instruction set). When a thread runs in user
 * mode, the kernel hands the CPU, in user mode with the thread's registers loaded, to
 * {@link #run}, which executes the thread's instructions through the CPU (loads and stores through
 * the MMU, charged) until the thread traps, faults, or has used about {@code budgetMillicycles}.
 * It must leave EIP at the instruction to run next: after a trap, past the {@code int}; after a
 * fault, at the faulting instruction, which is retried.
 */
@FunctionalInterface
public interface UserLand {
    UserExit run(Cpu cpu, ThreadId thread, long budgetMillicycles);

    /** User land without programs: every thread traps with an invalid instruction at once. */
    UserLand NONE = (cpu, thread, budget) -> UserExit.invalid("no user program is loaded");
}
