package l4smp.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import l4smp.hw.Reg;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.hw.mem.PhysicalWords;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.TlbInvalidation;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Task;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * Creating and deleting tasks and threads, shared by boot, task_new and lthread_ex_regs (§2.1.2,
 * §2.2.3: "task new [...] initializes the data structures needed for an empty address space and
 * creates the first thread in this address space, which then can create the other threads with
 * lthread ex regs"). A new address space is empty except for the kernel's read-only pages: the
 * task's UTCB page and the kernel info page. Threads are created on their creator's CPU (§7.1:
 * "Threads will be created locally on the current processor of the creator").
 *
 * <p>Memory is written through the {@link PhysicalWords} given: a CPU's charged view inside a
 * step, physical memory itself at boot.
 */
public final class TaskFactory {
    /** Bytes of one thread's UTCB in its task's UTCB page. */
    public static final int UTCB_SIZE = 64;
    /** §7.2: "The threads current processor number is published in the UTCB at relative address 12". */
    public static final int UTCB_PROCESSOR = 12;
    public static final int UTCB_MYSELF = 0;

    private final Kernel kernel;

    TaskFactory(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * A new, empty task {@code id.task()} with the id's version.
     *
     * @return null if the kernel has no frames left for its page directory and UTCB page
     */
    public Task createTask(PhysicalWords memory, ThreadId id, int chief, int mcp, boolean sigma0) {
        if (kernel.frames().available() < 3) {
            return null;
        }
        int directory = kernel.frames().allocate();
        int utcb = kernel.frames().allocate();
        long directoryAddress = (long) directory << PhysicalMemory.FRAME_SHIFT;
        long utcbAddress = (long) utcb << PhysicalMemory.FRAME_SHIFT;
        AddressSpace space = new AddressSpace(id.task(), directoryAddress, kernel.frames(), sigma0);
        if (!space.mapKernelPage(memory, AddressSpace.UTCB_AREA, utcbAddress)
                || !space.mapKernelPage(memory, AddressSpace.KERNEL_INFO_PAGE, kernel.kernelInfoPage().address())) {
            space.release();
            kernel.frames().release(utcb);
            return null;
        }
        Task task = new Task(id, chief, Math.max(0, Math.min(255, mcp)), space, utcbAddress);
        kernel.task(id.task(), task);
        return task;
    }

    /**
     * A new thread {@code lthread} of {@code task} on CPU {@code cpu}, ready to run at {@code eip}.
     *
     * @return null if the kernel has no frame left for its TCB
     */
    public Tcb createThread(PhysicalWords memory, Task task, int lthread, int cpu, int priority, long timeslice,
                            ThreadId pager, int eip, int esp) {
        ThreadId id = ThreadId.of(task.number(), lthread, task.id().version());
        Tcb tcb = kernel.tcbs().backing(id);
        if (tcb == null) {
            return null;
        }
        tcb.create(id, task, cpu);
        tcb.priority(priority);
        tcb.timeslice(timeslice);
        tcb.remainingTimeslice(timeslice);
        tcb.pager(pager);
        tcb.register(Reg.EIP, eip);
        tcb.register(Reg.ESP, esp);
        long utcb = task.utcbFrame() + (long) lthread * UTCB_SIZE;
        memory.writeWord(utcb + UTCB_MYSELF, id.raw());
        memory.writeWord(utcb + UTCB_PROCESSOR, cpu + 1);
        kernel.processor(cpu).readyList().enqueue(tcb);
        return tcb;
    }

    /** Brings a thread the kernel stopped back to life (lthread_ex_regs with a new EIP). */
    public void revive(ProcessorData local, Tcb t) {
        t.state(ThreadState.READY);
        t.resume(Resume.USER);
        t.completion(CompletionCode.NONE);
        local.readyList().enqueue(t);
    }

    /**
     * Deletes {@code task} (task_new on an existing task): its threads vanish (their ids become
     * invalid), their IPC partners are told, everything mapped from or into its space is revoked,
     * and its page tables go back to the kernel.
     */
    public void deleteTask(ProcessorData local, Task task) {
        stopThreads(local, threadsOf(task));
        releaseSpace(local, task);
    }

    /** The threads of {@code task} that exist now, with their ids (which vanish with them). */
    public Map<Tcb, ThreadId> threadsOf(Task task) {
        Map<Tcb, ThreadId> threads = new LinkedHashMap<>();
        for (Tcb t : kernel.tcbs().all()) {
            if (t.exists() && t.task() == task) {
                threads.put(t, t.myself());
            }
        }
        return threads;
    }

    /**
     * The part of deleting a task ({@code dying}: its threads) that each CPU does for itself (design decision 1,
     * implementation decision 3): its threads of the task vanish, their IPC partners on this CPU
     * are told, this CPU's threads waiting for any thread of the task learn it does not exist, and
     * this CPU's proxies drop the sends of the task's threads.
     */
    public void stopThreads(ProcessorData local, Map<Tcb, ThreadId> dying) {
        for (Tcb t : dying.keySet()) {
            if (t.exists() && t.cpu() == local.id()) {
                kernel.ipcAbort().threadGone(local, t);
                local.wakeupQueue().dequeue(t);
                kernel.fpu().forget(local, t);
                kernel.xcpu().pool().forget(t);
                kernel.xcpu().operations().forget(t);
                t.vanish();
            }
        }
        dying.forEach((t, id) -> {
            kernel.xcpu().proxyPath().cancel(local, t);
            kernel.ipcAbort().tellWaiters(local, id);
        });
    }

    /** What is left of deleting {@code task}, its threads gone: its space revoked and released (global structures, §6). */
    public void releaseSpace(ProcessorData local, Task task) {
        kernel.mappingLock().holding(local.cpu(),
                () -> kernel.mappings().removeSpace(kernel.physical(local), task.space(), new TlbInvalidation(local)));
        task.space().release();
        kernel.frames().release((int) (task.utcbFrame() >>> PhysicalMemory.FRAME_SHIFT));
        task.kill();
        kernel.task(task.number(), null);
    }
}
