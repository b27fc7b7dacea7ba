package l4smp.kernel.migrate;

import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * What part A needs of the thread_schedule system call around it (§6.1.2, §7.1): the parameter
 * word's meaning and the call's results stay with the system call; the migration only moves.
 */
public interface ScheduleCall {
    /** The call's results as t1 is now: EAX its parameter word, ECX and EDX its time used (µs), ESI its partner. */
    int[] oldValues(Tcb t);

    /**
     * §8.7.2 "exchange the timeslice and priority": t1's new priority and time slice from the word,
     * written while no CPU may run t1 (its CPU B is in the kernel, (=1)); no ready list is touched:
     * B deletes t1 from the list of the old priority, C inserts it into the list of the new one.
     */
    void exchange(ProcessorData local, Tcb t, int param);

    /** thread_schedule without the transfer: t1 is on the requested CPU already. */
    void withoutTransfer(ProcessorData local, Tcb caller, Tcb t, int param, int mcp);

    /** The results into the caller's registers; it goes on (user mode, or a higher priority thread of its CPU). */
    void complete(ProcessorData local, Tcb caller, int[] results);
}
