package l4smp.kernel.syscall;

import l4smp.hw.Reg;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.ipc.TimeoutWord;
import l4smp.kernel.migrate.ScheduleCall;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * The thread system calls of Version X: lthread_ex_regs (§2.1.2), thread_switch and
 * thread_schedule (§2.1.1, §6.1.2, §7.1), whose processor number migrates a thread
 * ({@link l4smp.kernel.migrate.Migration}).
 */
final class ThreadCalls implements ScheduleCall {
    /** "No change" in lthread_ex_regs and thread_schedule, and their error result. */
    static final int UNCHANGED = 0xFFFF_FFFF;

    private final Kernel kernel;

    ThreadCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * lthread_ex_regs: EAX the lthread number within the caller's task, ECX the new ESP, EDX the
     * new EIP, ESI the new pager (-1: unchanged). Returns the old EFLAGS (0), ESP, EIP and pager
     * in EAX, ECX, EDX, ESI; all -1 for a thread that did not exist, EAX -1 for an lthread number
     * out of range or no kernel memory. An IPC the target is in is canceled or aborted (§2.1.2).
     * Setting the EIP of a thread that does not exist creates it on the caller's CPU, with the
     * caller's priority and time slice.
     */
    void lthreadExRegs(ProcessorData local, Tcb t) {
        kernel.step().segment(PathSegment.LTHREAD_EX_REGS);
        kernel.charge(local, PathCosts.SMALL_SYSCALL);
        int lthread = t.register(Reg.EAX);
        int esp = t.register(Reg.ECX);
        int eip = t.register(Reg.EDX);
        int pager = t.register(Reg.ESI);
        if (lthread < 0 || lthread >= ThreadId.LTHREADS_PER_TASK) {
            t.register(Reg.EAX, UNCHANGED);
            kernel.threadSwitch().exitToUser(local, t);
            return;
        }
        ThreadId id = t.task().id().withLthread(lthread);
        Tcb target = kernel.tcbs().present(id);
        if (target == null) {
            create(local, t, lthread, esp, eip, pager);
        } else if (target.cpu() != local.id() || kernel.ipcAbort().unwindCpu(target) >= 0) {
            // §8.4.3: the target, or the send it is in, is on another CPU: its CPU's operation proxy does it
            kernel.xcpu().operations().call(local, t, 1 << target.cpu(), new ExchangeRegisters(kernel, this, t, id, esp, eip, pager));
            return;
        } else {
            results(t, exchange(local, t, target, esp, eip, pager));
        }
        kernel.threadSwitch().exitToUser(local, t);
    }

    /** Writes a call's result registers EAX, ECX, EDX, ESI into the caller's saved registers. */
    static void results(Tcb t, int[] values) {
        t.register(Reg.EAX, values[0]);
        t.register(Reg.ECX, values[1]);
        t.register(Reg.EDX, values[2]);
        t.register(Reg.ESI, values[3]);
    }

    private void create(ProcessorData local, Tcb t, int lthread, int esp, int eip, int pager) {
        t.register(Reg.ECX, UNCHANGED);
        t.register(Reg.EDX, UNCHANGED);
        t.register(Reg.ESI, UNCHANGED);
        if (eip == UNCHANGED) {
            t.register(Reg.EAX, UNCHANGED);
            return;
        }
        ThreadId newPager = pager == UNCHANGED ? t.pager() : new ThreadId(pager);
        Tcb created = kernel.taskFactory().createThread(kernel.physical(local), t.task(), lthread, local.id(),
                t.priority(), t.timeslice(), newPager, eip, esp == UNCHANGED ? 0 : esp);
        t.register(Reg.EAX, created == null ? UNCHANGED : 0);
        if (created != null) {
            kernel.step().touch(created);
        }
    }

    /**
     * lthread_ex_regs on {@code target}, on its CPU, for {@code t} (on this CPU or another): its IPC
     * ended, the new values set.
     *
     * @return the results EAX, ECX, EDX, ESI: 0 and the old ESP, EIP, pager
     */
    int[] exchange(ProcessorData local, Tcb t, Tcb target, int esp, int eip, int pager) {
        kernel.checkLocal(local, target);
        kernel.touch(local, target, TcbLine.IPC, Access.WRITE);
        if (target != t) {
            kernel.ipcAbort().exRegs(local, target);
            kernel.migration().cancelRetry(local, target);
        }
        int oldEsp = target.register(Reg.ESP);
        int oldEip = target.register(Reg.EIP);
        int oldPager = target.pager().raw();
        if (esp != UNCHANGED) {
            target.register(Reg.ESP, esp);
        }
        if (eip != UNCHANGED) {
            target.register(Reg.EIP, eip);
            if (target.state() == ThreadState.DEAD) {
                kernel.taskFactory().revive(local, target);
            }
        }
        if (pager != UNCHANGED) {
            kernel.touch(local, target, TcbLine.SCHEDULING, Access.WRITE);
            target.pager(new ThreadId(pager));
        }
        return new int[] {0, oldEsp, oldEip, oldPager};
    }

    /**
     * thread_switch: ESI the thread to switch to, donating the rest of the caller's time slice;
     * nil (or a thread that is not ready here) lets the dispatcher choose (§7.1: "this call will
     * not switch to a non local thread. In such a case, the kernel dispatcher will look for the
     * next local and ready thread").
     */
    void threadSwitch(ProcessorData local, Tcb t) {
        kernel.step().segment(PathSegment.THREAD_SWITCH);
        kernel.charge(local, PathCosts.SMALL_SYSCALL);
        Tcb dest = kernel.tcbs().find(new ThreadId(t.register(Reg.ESI)), local.cpu());
        kernel.touch(local, t, TcbLine.SCHEDULING, Access.WRITE);
        t.remainingTimeslice(0);
        t.resume(Resume.USER);
        local.readyList().enqueue(t);
        boolean direct = dest != null && dest != t && dest.cpu() == local.id() && dest.dispatchable();
        kernel.threadSwitch().switchTo(local, direct ? dest : null);
    }

    /**
     * thread_schedule: EAX the parameter word (priority bits 0..7, processor number bits 16..19,
     * time-slice exponent 20..23 and mantissa 24..31; -1 only reads), ESI the thread. The thread's
     * priority, and the new one, must be lower than the caller's task MCP (§6.1.2: "Only the
     * scheduling parameters of threads with a lower priority than the MCP value can be
     * modified"). Returns the old parameter word in EAX (-1 on error), the thread's time used in
     * µs in ECX and EDX (low, high) and its partner in ESI.
     *
     * <p>§7.1: "When specifying a valid processor number 1..k (where k is the highest available
     * processor number in the system), the thread will be transferred to that processor. Specifying
     * the processor number zero means no transfer happens." A number above k is an error. A thread
     * that names itself is not transferred: "No thread can migrate itself. The request will simply
     * be ignored by the µ-kernel" (implementation decision 4, §8.7.4); its other parameters apply.
     */
    void threadSchedule(ProcessorData local, Tcb t) {
        kernel.step().segment(PathSegment.THREAD_SCHEDULE);
        kernel.charge(local, PathCosts.SMALL_SYSCALL);
        int param = t.register(Reg.EAX);
        ThreadId id = new ThreadId(t.register(Reg.ESI));
        Tcb dest = kernel.tcbs().find(id, local.cpu());
        int mcp = t.task().mcp();
        int processor = processor(param);
        int refusals = t.takeMigrationRefusals(); // of this call, if it is redone after a refusal (decision 0005)
        if (dest == t && processor != 0) {
            param &= ~PROCESSOR_BITS;
        } else if (dest != null && processor != 0 && processor - 1 != dest.cpu() && processor <= kernel.smpBoot().processors()
                && permitted(dest, param, mcp)) {
            kernel.migration().issue(local, t, dest, processor - 1, param, mcp, this, refusals);
            return;
        }
        withoutTransfer(local, t, dest, param, mcp);
    }

    /** The processor number field of a parameter word: 0 (no transfer) or 1..15; 0 for -1 (read only). */
    private static int processor(int param) {
        return param == UNCHANGED ? 0 : (param & PROCESSOR_BITS) >>> 16;
    }

    private static final int PROCESSOR_BITS = 0xF << 16;

    /** Whether the caller may change {@code dest}'s parameters to {@code param} (the MCP rule). */
    private static boolean permitted(Tcb dest, int param, int mcp) {
        return dest.state() != ThreadState.DEAD && dest.priority() < mcp && (param & 0xFF) < mcp;
    }

    @Override
    public void withoutTransfer(ProcessorData local, Tcb t, Tcb dest, int param, int mcp) {
        if (dest != null && dest.cpu() != local.id()) {
            kernel.xcpu().operations().call(local, t, 1 << dest.cpu(), new ScheduleParameters(kernel, this, dest.myself(), param, mcp));
            return;
        }
        complete(local, t, schedule(local, dest, param, mcp));
    }

    @Override
    public void complete(ProcessorData local, Tcb t, int[] values) {
        results(t, values);
        t.register(Reg.EBX, 0);
        continueAfterSchedule(local, t);
    }

    /**
     * thread_schedule on {@code dest} (null: none), on its CPU.
     *
     * @return EAX (the old parameter word, -1 on error), ECX and EDX (time used, µs), ESI (partner)
     */
    int[] schedule(ProcessorData local, Tcb dest, int param, int mcp) {
        if (dest == null || dest.state() == ThreadState.DEAD || dest.priority() >= mcp || !valid(param, mcp, dest)) {
            return new int[] {UNCHANGED, 0, 0, 0};
        }
        kernel.checkLocal(local, dest);
        kernel.touch(local, dest, TcbLine.SCHEDULING, Access.WRITE);
        int[] old = oldValues(dest);
        if (param != UNCHANGED) {
            apply(local, dest, param);
        }
        return old;
    }

    @Override
    public int[] oldValues(Tcb dest) {
        long micros = kernel.statistics().of(dest.myself()).millicycles() / 1000 / TimeoutWord.CYCLES_PER_MICROSECOND;
        return new int[] {describe(dest), (int) micros, (int) (micros >>> 32), dest.partner().raw()};
    }

    /** The caller goes on: to user mode, unless a higher-priority thread of its CPU is runnable now. */
    void continueAfterSchedule(ProcessorData local, Tcb t) {
        if (local.readyList().hasRunnableAbove(t.priority())) {
            t.resume(Resume.USER);
            local.readyList().enqueue(t);
            kernel.threadSwitch().switchTo(local, null);
        } else {
            kernel.threadSwitch().exitToUser(local, t);
        }
    }

    private static boolean valid(int param, int mcp, Tcb dest) {
        if (param == UNCHANGED) {
            return true;
        }
        int priority = param & 0xFF;
        int processor = (param >>> 16) & 0xF;
        return priority < mcp && (processor == 0 || processor == dest.cpu() + 1);
    }

    private void apply(ProcessorData local, Tcb dest, int param) {
        boolean relink = (param & 0xFF) != dest.priority();
        if (relink) {
            local.readyList().remove(dest);
        }
        setParameters(dest, param);
        if (relink && dest.state().isRunnable()) {
            local.readyList().enqueue(dest);
        }
    }

    @Override
    public void exchange(ProcessorData local, Tcb t, int param) {
        kernel.touch(local, t, TcbLine.SCHEDULING, Access.WRITE);
        setParameters(t, param);
    }

    /** The priority and time slice of the parameter word, into the TCB. */
    private void setParameters(Tcb dest, int param) {
        dest.priority(param & 0xFF);
        int exponent = (param >>> 20) & 0xF;
        int mantissa = (param >>> 24) & 0xFF;
        if (exponent != 0 && mantissa != 0) {
            long micros = mantissa * (1L << (2 * (15 - exponent)));
            long cycles = Math.max(kernel.config().tickCycles(), micros * TimeoutWord.CYCLES_PER_MICROSECOND);
            dest.timeslice(cycles);
            dest.remainingTimeslice(Math.min(dest.remainingTimeslice(), cycles));
        }
    }

    /** The parameter word describing {@code t}'s priority, processor and time slice. */
    private static int describe(Tcb t) {
        int[] slice = TimeoutWord.encodeMicros(Math.max(1, t.timeslice() / TimeoutWord.CYCLES_PER_MICROSECOND));
        return t.priority() | ((t.cpu() + 1) << 16) | (slice[0] << 20) | (slice[1] << 24);
    }
}
