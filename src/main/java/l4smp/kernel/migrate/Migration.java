package l4smp.kernel.migrate;

import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.hw.sync.Spinlock;
import l4smp.kernel.Kernel;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * Thread migration (§6.1.2, §8.5, §8.7): thread_schedule with a processor number moves a thread
 * from its CPU B to a CPU C, in the three parts of §8.7.2, A on the caller's CPU
 * ({@link SchedulerPart}), B ({@link SourcePart}) and C ({@link TargetPart}), triggered through
 * the mailbox flags and IPIs of §8.3.4 and synchronised by the barriers (=1), (=2) and (~3), at
 * which a part spins, burning its CPU's cycles. Each step of a part is one atomic kernel step and
 * implements one action of spec-tla/MigrationBarriers.tla (the labels of {@link PathSegment}'s
 * {@code migrate.*} segments; spin steps implement none).
 *
 * <p>The fixed algorithm (docs/specs.md, "Two deadlocks in the thesis's algorithm, and their fix"):
 * the caller first spins, interrupts enabled, for the global migration lock and for t1's "do not
 * migrate" lock (§8.4.3, §8.5); the last of A, B and C to finish releases the global lock, B
 * releases t1's with its new processor number. {@link l4smp.kernel.KernelConfig#withoutMigrationLock}
 * removes the global lock, which lets two migrations whose CPUs cross deadlock at (=2).
 *
 * <p>A thread that cannot move at the moment (inside an IPC that pins it to its CPU, §8.5) is
 * refused by B: the attempt ends, the locks are released and the caller waits, blocked, then redoes
 * its system call after {@link #RETRY_CYCLES}, doubled for each further refusal in a row up to a cap
 * (docs/decisions/0005-blocked-migration-waits.md: the back-off keeps refused callers from starving
 * the threads their requests wait for).
 */
public final class Migration {
    /** Cycles of one spin step: a few iterations of {@code cmp [barrier]; pause; jne} beyond the read. */
    static final long SPIN_CYCLES = 40;
    /** How long a refused request waits before its first retry; each further refusal in a row doubles it. */
    public static final long RETRY_CYCLES = 4_000;
    /**
     * The back-off stops doubling at {@code RETRY_CYCLES << MAX_BACKOFF_SHIFT} (256,000 cycles): long
     * against what one attempt occupies its caller's CPU (a whole migration costs the caller about
     * 3,000 cycles, docs/kernel.md "Costs"; a refused attempt ends at (=1), sooner), so that callers
     * waiting at the cap leave their CPU to the threads their requests wait for; short enough that a
     * call still follows an IPC's end closely (decision 0005).
     */
    static final int MAX_BACKOFF_SHIFT = 6;
    /** Where a TCB's "do not migrate" lock word sits: in its line written cross-processor (§8.6 group 2). */
    private static final int DO_NOT_MIGRATE = TcbLine.GLOBAL_MODIFIED.offset + 28;

    private final Kernel kernel;
    private final boolean serialised;
    private final Spinlock lock;
    private final MigrationRequest[] requests;
    private final SchedulerPart schedulerPart;
    private final SourcePart sourcePart;
    private final TargetPart targetPart;
    private MigrationRequest lockHolder;
    private long migrations;
    private long refusals;

    public Migration(Kernel kernel) {
        this.kernel = kernel;
        this.serialised = !kernel.config().withoutMigrationLock();
        int cpus = kernel.cpuCount();
        if (cpus > 31) {
            throw new IllegalArgumentException("migration flags have a bit per CPU: at most 31 CPUs, not " + cpus);
        }
        long frame = (long) kernel.frames().allocateOrFail("the migration requests") << PhysicalMemory.FRAME_SHIFT;
        this.lock = new Spinlock(frame, cpus);
        this.requests = new MigrationRequest[cpus];
        for (int c = 0; c < cpus; c++) {
            requests[c] = new MigrationRequest(c, frame + (long) MigrationRequest.SIZE * (c + 1), kernel.config().removedFixes());
        }
        this.schedulerPart = new SchedulerPart(kernel, this);
        this.sourcePart = new SourcePart(kernel, this);
        this.targetPart = new TargetPart(kernel, this);
    }

    // ---- entry points ----

    /**
     * thread_schedule found a processor number asking to move {@code dest} (not the caller, not on
     * that CPU already) to {@code targetCpu}: part A begins (SchedulerIssue).
     */
    public void issue(ProcessorData local, Tcb caller, Tcb dest, int targetCpu, int param, int mcp, ScheduleCall syscall,
            int refusals) {
        schedulerPart.issue(local, new MigrationCall(caller, dest.myself(), targetCpu, param, mcp, syscall, refusals));
    }

    /** The caller's next step inside its call ({@link Resume#MIGRATION}). */
    public void schedulerStep(ProcessorData local, Tcb caller) {
        schedulerPart.step(local, caller);
    }

    /** check_n_ack found request {@code id}'s flag on this CPU: its part here is entered next, as a step of its own. */
    public void triggered(ProcessorData local, int id) {
        MigrationRequest r = requests[id];
        boolean source = r.source() == local.id() && r.bPhase() == MigrationRequest.BPhase.TRIGGERED;
        boolean target = r.target() == local.id() && r.cPhase() == MigrationRequest.CPhase.TRIGGERED;
        if (!source && !target) {
            throw new IllegalStateException("migration invariant violated: cpu" + local.id() + " was triggered for " + r
                    + ", which has no part for it to enter");
        }
        local.triggeredParts().add(new MigrationPart(r, source, false));
    }

    /** One step of the part this CPU executes (or enters now), interrupts disabled. */
    public void partStep(ProcessorData local) {
        if (local.migrationPart() == null) {
            local.migrationPart(local.triggeredParts().poll());
        }
        MigrationPart part = local.migrationPart();
        if (part.source()) {
            sourcePart.step(local, part);
        } else {
            targetPart.step(local, part);
        }
    }

    /**
     * A sender whose send a migration moved ({@link Resume#SEND_RESTART}) begins it again on its CPU:
     * "we can restart the IPC locally" (§8.5), or through a proxy if its receiver is elsewhere.
     */
    public void restartSend(ProcessorData local, Tcb a) {
        kernel.step().segment(PathSegment.SEND_RESTART);
        if (!kernel.sendPath().mayBegin(local, a, a.ipc().partnerId())) {
            return; // it waits for a mailbox and redoes this
        }
        kernel.sendPath().start(local, a);
    }

    // ---- what the parts share ----

    /**
     * Whether {@code t} can leave its CPU now (evaluated there, by B, which alone may read t's
     * processor-local state reliably). It can when it runs or is ready in user mode; when it spins
     * for the locks of its own thread_schedule, or waits to redo it (holding nothing either way);
     * and when it waits in a receive (its wakeup-queue entry and the requests to it go along) or has
     * just received. It cannot inside an IPC that pins it to its CPU: a transfer (both partners
     * locked), a local send that polls, its own cross-processor send (its mailbox and reply belong
     * to its CPU: §8.5's first race, "we do not migrate the sender while a proxy thread handles a
     * request for it"), a cross-processor operation it waits for, a page fault inside a long IPC, a
     * wait for a mailbox; nor inside its own thread_schedule past the locks. A cross-processor long
     * IPC (§8.4.2) pins both partners as a local one does: the sender waits for its reply
     * (XP_RETURN) while its proxy copies, and holds the proxy's request while it redoes a fault in
     * its space ({@link Tcb#redoFault}); the receiver waits locked while the proxy copies into its
     * space, or redoes a fault there in a nested page-fault IPC.
     */
    boolean movable(Tcb t) {
        if (!t.exists() || t.isProxy() || t.state() == ThreadState.DEAD || t.pendingOp() != null || t.waitsForMailbox()
                || t.outerIpc() != null || t.firstMailbox() != null || t.redoFault() != null) {
            return false;
        }
        IpcState ipc = t.ipc();
        return switch (t.resume()) {
            // fault injection: a sender whose proxy handles its request moves (its reply not yet here)
            case XP_RETURN -> kernel.config().removed(RemovedFix.KEEP_SENDER) && t.state() == ThreadState.LOCKED_WAITING;
            case USER -> t.state() == ThreadState.RUNNING || t.state() == ThreadState.READY;
            case MIGRATION -> !t.migrationCall().inCall();
            case SYSCALL -> waitsToRetry(t);
            case RECEIVE_BLOCKED -> ipc != null && (t.state() == ThreadState.WAITING
                    ? ipc.phase() == IpcState.Phase.RECEIVE
                    : (t.state() == ThreadState.RUNNING || t.state() == ThreadState.READY) && ipc.phase() == IpcState.Phase.DONE);
            default -> false;
        };
    }

    /**
     * The timer found the wait of a caller whose migration was refused expired: it becomes ready and
     * redoes its thread_schedule (its registers still hold the arguments).
     */
    public void retryDue(ProcessorData local, Tcb s) {
        kernel.step().segment(PathSegment.MIGRATE_RETRY_DUE, s);
        local.wakeupQueue().dequeue(s);
        kernel.touch(local, s, TcbLine.IPC, Access.WRITE);
        s.state(ThreadState.READY);
        local.readyList().enqueue(s);
    }

    /** How long a caller whose call was refused {@code refusals} times before this refusal waits: exponential, capped. */
    static long retryCycles(int refusals) {
        return RETRY_CYCLES << Math.min(refusals, MAX_BACKOFF_SHIFT);
    }

    /** Whether {@code t} waits to redo a thread_schedule whose migration was refused. */
    public static boolean waitsToRetry(Tcb t) {
        return t.state() == ThreadState.WAITING && t.resume() == Resume.SYSCALL;
    }

    /** lthread_ex_regs on a caller waiting to redo its thread_schedule: it gives the call up and runs at its new EIP. */
    public void cancelRetry(ProcessorData local, Tcb s) {
        if (!waitsToRetry(s)) {
            return;
        }
        local.wakeupQueue().dequeue(s);
        s.takeMigrationRefusals();
        s.state(ThreadState.READY);
        s.resume(Resume.USER);
        local.readyList().enqueue(s);
    }

    /** This CPU's request record, if it is free. */
    MigrationRequest freeRequest(ProcessorData local) {
        MigrationRequest r = requests[local.id()];
        local.cpu().touch(r.address(), Access.READ);
        return r.inUse() ? null : r;
    }

    /**
     * One try at the locks the caller needs (a step of its spin): the global migration lock
     * (Appendix A's spinlock, one instruction per step) unless it is removed, then t1's "do not
     * migrate" lock ({@code lock bts}); if the second is taken the first is let go again.
     */
    boolean tryLocks(ProcessorData local, Tcb t, MigrationRequest r) {
        Cpu cpu = local.cpu();
        if (serialised && !lock.acquireStep(cpu)) {
            return false;
        }
        if (t != null && !kernel.config().removed(RemovedFix.DO_NOT_MIGRATE_LOCK)) {
            if (cpu.lockBts(t.physical() + DO_NOT_MIGRATE, 0)) {
                if (serialised) {
                    lock.release(cpu);
                }
                return false;
            }
            t.doNotMigrate(r);
        }
        if (serialised) {
            lockHolder = r;
        }
        return true;
    }

    /** B releases t1's "do not migrate" lock with its new processor number (or A gives it up). */
    void unlockThread(Cpu cpu, Tcb t) {
        cpu.storePhysical(t.physical() + DO_NOT_MIGRATE, 0);
        t.doNotMigrate(null);
    }

    private void releaseGlobal(Cpu cpu) {
        if (serialised) {
            lockHolder = null;
            lock.release(cpu);
        }
    }

    /** A gives up an attempt (nothing to move, or B refused): every lock released, the record free. */
    void abandon(ProcessorData local, MigrationRequest r, Tcb t) {
        Cpu cpu = local.cpu();
        if (t != null && t.doNotMigrate() == r) {
            unlockThread(cpu, t);
        }
        releaseGlobal(cpu);
        r.free(cpu);
    }

    /** A part (A, B or C) is over; the last releases the global lock and the record (MigrationBarriers' ReleaseIfLast). */
    void close(ProcessorData local, MigrationRequest r) {
        if (r.close(local.cpu())) {
            releaseGlobal(local.cpu());
            r.free(local.cpu());
        }
    }

    void counted(Tcb t, int from, int to) {
        migrations++;
        kernel.statistics().migrated(t.myself(), from, to);
    }

    void refusedOnce() {
        refusals++;
    }

    /**
     * A part ends: the CPU leaves it. A part run inside the caller's call (A = B, A = C) hands back to
     * the call; one entered by an IPI or a kernel exit returns to the thread it interrupted ("return
     * to currently running thread"), unless a thread of higher priority became ready meanwhile, or
     * another part is triggered here and runs next on top of it.
     *
     * @param switched whether the part itself switched threads (B away from t1, C to t1)
     */
    void endPart(ProcessorData local, MigrationPart part, boolean switched) {
        local.migrationPart(null);
        Tcb u = local.current();
        if (part.local() || switched || u == null || !local.triggeredParts().isEmpty()) {
            return;
        }
        if (kernel.threadSwitch().preemptible(u) && local.readyList().hasRunnableAbove(u.priority())) {
            kernel.threadSwitch().preempt(local);
        } else {
            kernel.returnFromInterrupt(local, u);
        }
    }

    /** Charges one spin step at a barrier or a lock: the CPU burns its cycles there. */
    void spin(ProcessorData local, PathSegment segment) {
        kernel.step().segment(segment);
        kernel.charge(local, SPIN_CYCLES);
    }

    boolean serialised() {
        return serialised;
    }

    // ---- observers: free ----

    /** The request records, by initiating CPU. */
    public List<MigrationRequest> requests() {
        return List.of(requests);
    }

    /** The request holding the global migration lock, or null (MigrationBarriers' {@code mlock}). */
    public MigrationRequest lockHolder() {
        return lockHolder;
    }

    /** Migrations completed (B set a thread's new processor number). */
    public long migrations() {
        return migrations;
    }

    /** Attempts B refused because the thread could not move at that moment. */
    public long refusals() {
        return refusals;
    }
}
