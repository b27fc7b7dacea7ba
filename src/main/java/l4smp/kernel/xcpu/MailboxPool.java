package l4smp.kernel.xcpu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * The IPC mailboxes and their allocation policy (§8.3.5: "get ipc mailbox selects a free [...]
 * mailbox through an for the time being arbitrary policy").
 *
 * <p>Policy: each CPU owns a pool of {@code mailboxesPerCpu} mailboxes, and a sender takes the
 * lowest free mailbox of its own CPU's pool. A mailbox is set up by its sender's CPU and freed
 * there too (XP_RETURN, §8.4.1), so allocation never contends with another CPU; the Appendix A
 * lock still guards the setup against the destination CPU reading the mailbox.
 *
 * <p>When the pool is empty, the sender's IPC does not begin: the thread blocks in its CPU's
 * mailbox wait list and retries its system call when a sender of its CPU frees a mailbox, first
 * come first served. The wait is bounded by the cross-processor sends in flight from that CPU,
 * each of which ends by its send timeout or its delivery; its own timeouts start when it gets a
 * mailbox.
 */
public final class MailboxPool<M extends Mailbox> {
    /** Makes mailbox {@code id} of CPU {@code home}'s pool at {@code address}. */
    interface Factory<M> {
        M make(int id, int home, long address, int cpus);
    }

    private final List<M> mailboxes = new ArrayList<>();
    private final int perCpu;
    /** A thread waiting for a mailbox and the state to give it back. */
    private record Waiter(Tcb thread, ThreadState state) {
    }

    private final List<ArrayDeque<Waiter>> waiters = new ArrayList<>();

    /** {@code perCpu} mailboxes of {@code size} bytes for each of {@code cpus} CPUs, in kernel frames. */
    MailboxPool(FrameAllocator frames, int cpus, int perCpu, int size, String what, Factory<M> factory) {
        this.perCpu = perCpu;
        int perFrame = PhysicalMemory.FRAME_BYTES / size;
        long frame = 0;
        for (int id = 0; id < cpus * perCpu; id++) {
            if (id % perFrame == 0) {
                frame = (long) frames.allocateOrFail(what) << PhysicalMemory.FRAME_SHIFT;
            }
            mailboxes.add(factory.make(id, id / perCpu, frame + (long) (id % perFrame) * size, cpus));
        }
        for (int c = 0; c < cpus; c++) {
            waiters.add(new ArrayDeque<>());
        }
    }

    /**
     * "find free mailbox(); lock mailbox()" on the sender's CPU: the lowest free mailbox of its
     * pool, returned locked, or null if the pool is empty.
     */
    M findAndLock(ProcessorData local) {
        Cpu cpu = local.cpu();
        for (int id = local.id() * perCpu; id < (local.id() + 1) * perCpu; id++) {
            M m = mailboxes.get(id);
            cpu.touch(m.address(), Access.READ);
            if (m.isFree()) {
                m.lock(cpu);
                return m;
            }
        }
        return null;
    }

    /** Whether this CPU's pool has a free mailbox (charges the scan). */
    public boolean hasFree(ProcessorData local) {
        for (int id = local.id() * perCpu; id < (local.id() + 1) * perCpu; id++) {
            local.cpu().touch(mailboxes.get(id).address(), Access.READ);
            if (mailboxes.get(id).isFree()) {
                return true;
            }
        }
        return false;
    }

    /** Frees {@code m} (XP_RETURN) and lets the first thread waiting for a mailbox of this CPU retry. */
    void free(ProcessorData local, M m) {
        m.release(local.cpu());
        Waiter waiter = waiters.get(local.id()).poll();
        if (waiter != null) {
            Tcb t = waiter.thread();
            t.waitsForMailbox(false);
            t.state(waiter.state() == ThreadState.RUNNING ? ThreadState.READY : waiter.state());
            local.readyList().enqueue(t);
        }
    }

    /**
     * {@code t} found its CPU's pool empty: it waits, its IPC not begun, and redoes what it was
     * doing (its continuation: the system call, the page fault) when a mailbox is free.
     * Locked_waiting keeps the dispatcher away and tells every partner that no IPC can be set up
     * with it now.
     */
    void await(ProcessorData local, Tcb t) {
        waiters.get(local.id()).add(new Waiter(t, t.state()));
        t.waitsForMailbox(true);
        t.state(ThreadState.LOCKED_WAITING);
    }

    /** {@code t} stops waiting for a mailbox (lthread_ex_regs, deletion): a no-op if it does not wait. */
    public void forget(Tcb t) {
        if (t.waitsForMailbox()) {
            waiters.get(t.cpu()).removeIf(w -> w.thread() == t);
            t.waitsForMailbox(false);
        }
    }

    // ---- observers: free ----

    public M get(int id) {
        return mailboxes.get(id);
    }

    public int size() {
        return mailboxes.size();
    }

    public int perCpu() {
        return perCpu;
    }

    /** Every mailbox, by id. */
    public List<M> all() {
        return List.copyOf(mailboxes);
    }

    /** The threads of {@code cpu} waiting for a mailbox, first first. */
    public List<ThreadId> waiting(int cpu) {
        List<ThreadId> ids = new ArrayList<>();
        for (Waiter w : waiters.get(cpu)) {
            ids.add(w.thread().myself());
        }
        return ids;
    }
}
