package l4smp.kernel.syscall;

import java.util.List;
import java.util.Map;
import l4smp.kernel.Kernel;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Task;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.xcpu.TlbShootdown;
import l4smp.kernel.xcpu.XpOperation;

/**
 * task_new's deletion of a task on an SMP: every CPU stops its threads of the task, tells its
 * threads waiting for one of them, and drops their requests its proxies hold (each CPU modifies only
 * its own threads, implementation decision 3); then the caller revokes the task's space (the
 * mapping database and page tables are global, §6) and has every other CPU flush its TLB before it
 * goes on with task_new.
 */
final class DeleteTask implements XpOperation {
    private final Kernel kernel;
    private final TaskCalls calls;
    private final Task task;
    private final Map<Tcb, ThreadId> dying;
    private final ThreadId newTask;
    private final ThreadId pager;

    DeleteTask(Kernel kernel, TaskCalls calls, Task task, ThreadId newTask, ThreadId pager) {
        this.kernel = kernel;
        this.calls = calls;
        this.task = task;
        this.dying = kernel.taskFactory().threadsOf(task);
        dying.keySet().forEach(kernel.step()::touch); // the step that begins the deletion names its threads
        this.newTask = newTask;
        this.pager = pager;
    }

    /** This CPU stops its threads of the task; one that migrated to a CPU whose part has run is followed there. */
    @Override
    public void perform(ProcessorData local, Parts parts) {
        kernel.taskFactory().stopThreads(local, dying);
        for (Tcb t : dying.keySet()) {
            if (t.exists() && t.cpu() != local.id()) {
                parts.involve(t.cpu());
            }
        }
    }

    @Override
    public void complete(ProcessorData local, Tcb caller) {
        kernel.taskFactory().releaseSpace(local, task);
        kernel.xcpu().operations().call(local, caller, kernel.xcpu().others(local), new TlbShootdown(List.of(),
                (cpu, t) -> calls.createAndReturn(cpu, t, newTask, pager)));
    }
}
