package l4smp.kernel.syscall;

import l4smp.kernel.Kernel;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.xcpu.XpOperation;

/**
 * lthread_ex_regs on a thread of another CPU, or on one whose cross-processor send a proxy of
 * another CPU holds (§8.4.3): the target's CPU exchanges the registers and ends the target's IPC;
 * if a proxy holds the target's send, that proxy's CPU is involved too and unwinds it there (its
 * part: the proxy gives the request up, or aborts the transfer it is in), so that the send ends with
 * the code a local abort would give. The caller gets the old values when both parts are done.
 */
final class ExchangeRegisters implements XpOperation {
    private final Kernel kernel;
    private final ThreadCalls calls;
    private final Tcb caller;
    private final ThreadId target;
    private final int esp;
    private final int eip;
    private final int pager;
    private int[] results = {ThreadCalls.UNCHANGED, ThreadCalls.UNCHANGED, ThreadCalls.UNCHANGED, ThreadCalls.UNCHANGED};
    private Tcb unwound;
    private int unwindCpu = -1;

    ExchangeRegisters(Kernel kernel, ThreadCalls calls, Tcb caller, ThreadId target, int esp, int eip, int pager) {
        this.kernel = kernel;
        this.calls = calls;
        this.caller = caller;
        this.target = target;
        this.esp = esp;
        this.eip = eip;
        this.pager = pager;
    }

    @Override
    public void perform(ProcessorData local, Parts parts) {
        if (local.id() == unwindCpu) {
            kernel.xcpu().proxyPath().cancel(local, unwound);
            return;
        }
        Tcb t = kernel.tcbs().present(target);
        if (t == null) {
            return; // deleted meanwhile: the results say so (all -1)
        }
        if (t.cpu() != local.id()) {
            parts.involve(t.cpu()); // migrated meanwhile: its new CPU does it
            return;
        }
        int cpu = kernel.ipcAbort().unwindCpu(t);
        if (cpu >= 0) {
            unwound = t;
            unwindCpu = cpu;
            parts.involve(cpu);
        }
        results = calls.exchange(local, caller, t, esp, eip, pager);
    }

    @Override
    public void complete(ProcessorData local, Tcb t) {
        ThreadCalls.results(t, results);
        kernel.threadSwitch().exitToUser(local, t);
    }
}
