package l4smp.kernel.xcpu;

import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * Cross-processor operations other than IPC (§8.3.4: "how processor A can invoke a method on B's
 * processor"): a thread that must change threads of other CPUs, or their TLBs, sets up an
 * {@link OpMailbox} with the {@link XpOperation}, triggers it on every CPU involved, and waits
 * ({@code locked_waiting}) until each CPU's operation proxy has performed its part; then it
 * completes the operation on its own CPU. Operation mailboxes come from a pool per CPU of
 * {@value #PER_CPU}; a thread that finds it empty waits, as for an IPC mailbox.
 */
public final class Operations {
    /** Operation mailboxes in each CPU's pool. */
    public static final int PER_CPU = 4;

    private final Kernel kernel;
    private final CrossProcessor xcpu;
    private final MailboxPool<OpMailbox> pool;

    Operations(Kernel kernel, CrossProcessor xcpu) {
        this.kernel = kernel;
        this.xcpu = xcpu;
        this.pool = new MailboxPool<>(kernel.frames(), kernel.cpuCount(), PER_CPU, OpMailbox.SIZE,
                "the operation mailboxes", OpMailbox::new);
    }

    /**
     * {@code caller} asks the CPUs of {@code cpus} (one bit each; its own may be one) to perform
     * {@code op}, and waits. If its CPU's pool is empty it waits for a mailbox instead and redoes
     * what it was doing (its system call) when one is freed.
     */
    public void call(ProcessorData local, Tcb caller, int cpus, XpOperation op) {
        if ((cpus & ~xcpu.every()) != 0) {
            throw new IllegalStateException(String.format("invariant violated: cpu%d asks CPUs 0x%x, but only 0x%x "
                    + "booted (a processor masked out at boot never answers, §8.2)", local.id(), cpus, xcpu.every()));
        }
        if (!pool.hasFree(local)) {
            kernel.step().segment(PathSegment.XCPU_NO_MAILBOX);
            pool.await(local, caller);
            kernel.threadSwitch().switchTo(local, null);
            return;
        }
        kernel.step().segment(PathSegment.XCPU_OPERATION_CALL);
        OpMailbox m = pool.findAndLock(local);
        m.setUp(local.cpu(), op, caller);
        for (int cpu = 0; cpu < kernel.processors(); cpu++) {
            if ((cpus & (1 << cpu)) != 0) {
                m.addTarget(local.cpu(), cpu);
            }
        }
        m.unlock(local.cpu());
        for (int cpu = 0; cpu < kernel.processors(); cpu++) {
            if ((cpus & (1 << cpu)) != 0) {
                xcpu.flags().trigger(local, m, cpu);
            }
        }
        kernel.touch(local, caller, TcbLine.IPC, Access.WRITE);
        caller.pendingOp(m);
        caller.state(ThreadState.LOCKED_WAITING);
        caller.resume(Resume.XP_OP_RETURN);
        kernel.threadSwitch().switchTo(local, null);
    }

    /**
     * check_n_ack found {@code m}'s flag on this CPU: a part to perform here (hooked into the
     * operation proxy's list), or, at its home CPU, the operation done (its caller runs again).
     *
     * @return the TCB made ready (the operation proxy or the caller), or null
     */
    Tcb link(ProcessorData local, OpMailbox m) {
        if (m.phase() == OpMailbox.Phase.DONE) {
            Tcb caller = m.caller();
            kernel.checkLocal(local, caller);
            kernel.touch(local, caller, TcbLine.IPC, Access.WRITE);
            caller.state(ThreadState.READY);
            local.readyList().enqueue(caller);
            return caller;
        }
        ProxyThread p = xcpu.proxies().operations(local.id());
        m.next(local.cpu(), local.id(), null);
        if (p.lastOp() == null) {
            p.firstOp(m);
        } else {
            p.lastOp().next(local.cpu(), local.id(), m);
        }
        p.lastOp(m);
        if (p.tcb().state() != ThreadState.WAITING) {
            return null;
        }
        p.tcb().state(ThreadState.READY);
        local.readyList().enqueue(p.tcb());
        return p.tcb();
    }

    /**
     * The operation proxy: performs the first operation of its list (this CPU's part), or sleeps.
     * A part never waits; the last part to finish sends the mailbox back to the caller's CPU.
     */
    public void run(ProcessorData local, ProxyThread p) {
        OpMailbox m = p.firstOp();
        if (m == null) {
            kernel.step().segment(PathSegment.PROXY_SLEEP, p.tcb());
            p.tcb().state(ThreadState.WAITING);
            kernel.threadSwitch().switchTo(local, null);
            return;
        }
        kernel.step().segment(PathSegment.XCPU_OPERATION, m.caller());
        p.firstOp(m.next(local.id()));
        if (p.firstOp() == null) {
            p.lastOp(null);
        }
        m.next(local.cpu(), local.id(), null);
        m.op().perform(local, cpu -> {
            if (m.addTarget(local.cpu(), cpu)) {
                xcpu.flags().trigger(local, m, cpu);
            }
        });
        if (m.partDone(local.cpu(), local.id())) {
            xcpu.flags().trigger(local, m, m.home());
        }
    }

    /** The caller runs again, every part done: it frees the mailbox and completes the operation. */
    public void opReturn(ProcessorData local, Tcb caller) {
        kernel.step().segment(PathSegment.XCPU_OPERATION_RETURN);
        OpMailbox m = caller.pendingOp();
        XpOperation op = m.op();
        caller.pendingOp(null);
        m.lock(local.cpu());
        pool.free(local, m);
        m.unlock(local.cpu());
        kernel.touch(local, caller, TcbLine.IPC, Access.WRITE);
        caller.state(ThreadState.RUNNING);
        caller.resume(Resume.SYSCALL);
        op.complete(local, caller);
    }

    /** {@code t} stops waiting for an operation mailbox (it is deleted or its registers are exchanged). */
    public void forget(Tcb t) {
        pool.forget(t);
    }

    public MailboxPool<OpMailbox> pool() {
        return pool;
    }
}
