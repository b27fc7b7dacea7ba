package l4smp.kernel.syscall;

import l4smp.kernel.Kernel;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.xcpu.XpOperation;

/**
 * thread_schedule on a thread of another CPU, without a transfer: its priority and time slice are
 * the target CPU's ready-list data (design decision 1), so that CPU's operation proxy reads and
 * sets them; the caller gets the old values. A thread that migrated after the call read its CPU is
 * followed to its new one.
 */
final class ScheduleParameters implements XpOperation {
    private final Kernel kernel;
    private final ThreadCalls calls;
    private final ThreadId target;
    private final int param;
    private final int mcp;
    private int[] results = {ThreadCalls.UNCHANGED, 0, 0, 0};

    ScheduleParameters(Kernel kernel, ThreadCalls calls, ThreadId target, int param, int mcp) {
        this.kernel = kernel;
        this.calls = calls;
        this.target = target;
        this.param = param;
        this.mcp = mcp;
    }

    @Override
    public void perform(ProcessorData local, Parts parts) {
        Tcb dest = kernel.tcbs().present(target);
        if (dest != null && dest.cpu() != local.id()) {
            parts.involve(dest.cpu());
        } else if (dest != null) {
            results = calls.schedule(local, dest, param, mcp);
        }
    }

    @Override
    public void complete(ProcessorData local, Tcb t) {
        calls.complete(local, t, results);
    }
}
