package l4smp.kernel.xcpu;

import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * An operation a thread asks other CPUs to perform on their threads: §8.3.4's "how processor A can
 * invoke a method on B's processor", for everything but IPC (lthread_ex_regs, thread_schedule and
 * task deletion on a thread of another CPU, TLB shootdown). It travels in one {@link OpMailbox}
 * shared by every CPU it involves (§8.4.3: "we take the same mailbox for all those proxies"); each
 * CPU's operation proxy performs its part, atomically and without blocking; when the last part is
 * done the caller, blocked meanwhile, completes it on its own CPU.
 */
public interface XpOperation {
    /** What a part may do besides its own work. */
    interface Parts {
        /** Involves CPU {@code cpu} too: its operation proxy will perform its part (once). */
        void involve(int cpu);
    }

    /** The part of the operation on {@code local}'s CPU (run by its operation proxy, interrupts disabled). */
    void perform(ProcessorData local, Parts parts);

    /** Back on the caller's CPU, every part done: the results into the caller's registers, and on. */
    void complete(ProcessorData local, Tcb caller);
}
