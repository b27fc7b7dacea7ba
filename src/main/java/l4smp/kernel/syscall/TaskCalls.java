package l4smp.kernel.syscall;

import l4smp.hw.Reg;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Task;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;

/**
 * task_new (§2.2.3: "Address spaces can be created and deleted through the system call task new.
 * This systemcall automatically initializes the data structures needed for an empty address space
 * and creates the first thread in this address space"). ESI the new task's id (its task number and
 * version), EAX its MCP (at most the caller's), ECX and EDX the first thread's ESP and EIP, EBX its
 * pager. An existing task of that number is deleted first, which only its chief (the task that
 * created it) may do. With a nil pager the call only deletes. Returns the new task's id in ESI,
 * nil if nothing was created (not the chief, a reserved number, no kernel memory).
 */
final class TaskCalls {
    /** Task 0 is the kernel's (and the interrupt threads'), task 2 sigma0's. */
    static final int KERNEL_TASK = 0;
    static final int SIGMA0_TASK = 2;

    private final Kernel kernel;

    TaskCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    void taskNew(ProcessorData local, Tcb t) {
        kernel.step().segment(PathSegment.TASK_NEW);
        kernel.charge(local, PathCosts.TASK_NEW);
        ThreadId id = new ThreadId(t.register(Reg.ESI)).withLthread(0);
        ThreadId pager = new ThreadId(t.register(Reg.EBX));
        int number = id.task();
        t.register(Reg.ESI, ThreadId.NIL.raw());
        if (number == KERNEL_TASK || number == SIGMA0_TASK || number == t.task().number()) {
            kernel.threadSwitch().exitToUser(local, t);
            return;
        }
        Task existing = kernel.task(number);
        if (existing != null) {
            if (existing.chief() != t.task().number()) {
                kernel.threadSwitch().exitToUser(local, t);
                return;
            }
            if (kernel.processors() > 1) {
                // every CPU stops its own threads of the task, then the TLBs are shot down
                kernel.xcpu().operations().call(local, t, kernel.xcpu().every(), new DeleteTask(kernel, this, existing, id, pager));
                return;
            }
            kernel.taskFactory().deleteTask(local, existing);
        }
        createAndReturn(local, t, id, pager);
    }

    /** The rest of task_new: the new task with its first thread (unless the pager is nil), and back to user mode. */
    void createAndReturn(ProcessorData local, Tcb t, ThreadId id, ThreadId pager) {
        if (!pager.isNil()) {
            create(local, t, id, pager);
        }
        kernel.threadSwitch().exitToUser(local, t);
    }

    private void create(ProcessorData local, Tcb t, ThreadId id, ThreadId pager) {
        int mcp = Math.min(t.register(Reg.EAX), t.task().mcp());
        Task task = kernel.taskFactory().createTask(kernel.physical(local), id, t.task().number(), mcp, false);
        if (task == null) {
            return;
        }
        Tcb first = kernel.taskFactory().createThread(kernel.physical(local), task, 0, local.id(), t.priority(),
                t.timeslice(), pager, t.register(Reg.EDX), t.register(Reg.ECX));
        if (first == null) {
            kernel.taskFactory().deleteTask(local, task);
            return;
        }
        kernel.step().touch(first);
        t.register(Reg.ESI, first.myself().raw());
    }
}
