package l4smp.kernel.migrate;

import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.TimerTick;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;
import l4smp.kernel.migrate.MigrationRequest.Arrival;
import l4smp.kernel.migrate.MigrationRequest.BPhase;
import l4smp.kernel.migrate.MigrationRequest.CPhase;

/**
 * Part A of §8.7.2, on the CPU of the scheduling server that calls thread_schedule:
 * <pre>
 * A
 * if destination thread t1 needs to be migrated then
 *     trigger migration task B and C
 * endif
 * (= 1)
 * exchange the timeslice and priority
 * (= 2)
 * return to the invoking scheduling sever.</pre>
 * with the fix of docs/specs.md in front: the call spins, interrupts enabled, for the global
 * migration lock and t1's "do not migrate" lock before it reads t1's CPU. It waits at (=1) and
 * (=2) with interrupts enabled too, so that a part of another migration triggered on its CPU can
 * run (nested, with its interrupts disabled); no other thread runs on its CPU until it returns.
 * For A = B and A = C, A runs first and that part runs in the same call after (=2): "the remaining
 * synch points with B respectively C can be ignored and of course no IPI has to be send".
 *
 * <p>Each method is one atomic step and one MigrationBarriers action: {@code issue} is
 * SchedulerIssue, {@code call} SchedulerCall, {@code barrier1} SchedulerPassBarrier1,
 * {@code barrier2} SchedulerPassBarrier2, {@code finish} SchedulerReturn; a step that only spins
 * is none.
 */
final class SchedulerPart {
    private final Kernel kernel;
    private final Migration migration;

    SchedulerPart(Kernel kernel, Migration migration) {
        this.kernel = kernel;
        this.migration = migration;
    }

    /** SchedulerIssue: the caller enters the call; from now on it spins, interrupts enabled. */
    void issue(ProcessorData local, MigrationCall call) {
        kernel.step().segment(PathSegment.MIGRATE_ISSUE);
        Tcb s = call.scheduler();
        kernel.touch(local, s, TcbLine.IPC, Access.WRITE);
        s.migrationCall(call);
        s.resume(Resume.MIGRATION);
        local.cpu().sti();
    }

    /** The caller's next step inside its call. */
    void step(ProcessorData local, Tcb s) {
        local.cpu().cli();
        MigrationCall call = s.migrationCall();
        switch (call.phase()) {
            case SPIN -> lockOrSpin(local, call);
            case WAIT1 -> barrier1(local, call);
            case WAIT2 -> barrier2(local, call);
            case RETURN -> finish(local, call);
        }
    }

    /** A spin step with interrupts enabled afterwards: a part triggered here, or a tick, may come in between. */
    private void spin(ProcessorData local) {
        migration.spin(local, PathSegment.MIGRATE_SCHEDULER_SPIN);
        local.cpu().sti();
    }

    private void lockOrSpin(ProcessorData local, MigrationCall call) {
        MigrationRequest r = migration.freeRequest(local);
        Tcb t = kernel.tcbs().present(call.thread());
        if (r == null || !migration.tryLocks(local, t, r)) {
            spin(local);
            return;
        }
        call(local, call, r, t);
    }

    /**
     * SchedulerCall, holding the locks: decision 4 was applied when the call began; read t1's CPU B
     * (now stable: t1's lock is held); if t1 is on C already nothing moves. Else trigger B and C
     * (no IPI to this CPU) and arrive at (=1); with A = B, (=1) is skipped and the exchange done at
     * once, and t1's state is checked here (B's check, on B).
     */
    private void call(ProcessorData local, MigrationCall call, MigrationRequest r, Tcb t) {
        Tcb s = call.scheduler();
        if (t == null || t.state() == ThreadState.DEAD || t.cpu() == call.targetCpu()) {
            kernel.step().segment(PathSegment.MIGRATE_CALL_NOTHING);
            migration.abandon(local, r, t);
            s.migrationCall(null);
            s.resume(Resume.SYSCALL);
            if (t == null || t.state() == ThreadState.DEAD) {
                call.syscall().complete(local, s, new int[] {0xFFFF_FFFF, 0, 0, 0});
            } else {
                call.syscall().withoutTransfer(local, s, t, call.param(), call.mcp());
            }
            return;
        }
        int a = local.id();
        int b = t.cpu();
        int c = call.targetCpu();
        r.setUp(local.cpu(), call, t, a, b, c);
        if (b == a && !migration.movable(t)) {
            retry(local, call, r, t);
            return;
        }
        kernel.step().segment(PathSegment.MIGRATE_CALL);
        kernel.step().touch(t);
        call.request(r);
        kernel.touch(local, t, TcbLine.SCHEDULING, Access.READ);
        call.results(call.syscall().oldValues(t));
        r.arrive(local.cpu(), Arrival.A1);
        if (b == a) {
            call.syscall().exchange(local, t, call.param());
            r.arrive(local.cpu(), Arrival.A2);
            call.phase(MigrationCall.Phase.WAIT2);
        } else {
            call.phase(MigrationCall.Phase.WAIT1);
            kernel.xcpu().triggerMigration(local, r.id(), b);
        }
        if (c != a) {
            kernel.xcpu().triggerMigration(local, r.id(), c);
        }
        local.cpu().sti();
    }

    /** (=1): once B is in the kernel (t1 cannot run), exchange the scheduling parameters and arrive at (=2). */
    private void barrier1(ProcessorData local, MigrationCall call) {
        MigrationRequest r = call.request();
        r.look(local.cpu());
        if (r.bPhase() == BPhase.REFUSED) {
            retryOnceCDone(local, call, r);
            return;
        }
        if (!r.passed1()) {
            spin(local);
            return;
        }
        kernel.step().segment(PathSegment.MIGRATE_PASS_BARRIER1);
        kernel.step().touch(r.thread());
        call.syscall().exchange(local, r.thread(), call.param());
        r.arrive(local.cpu(), Arrival.A2);
        call.phase(MigrationCall.Phase.WAIT2);
        local.cpu().sti();
    }

    /** (=2): B has deleted t1 and C has entered; a part on this CPU (A = B or A = C) runs next, in this call. */
    private void barrier2(ProcessorData local, MigrationCall call) {
        MigrationRequest r = call.request();
        r.look(local.cpu());
        if (!r.passed2('A')) {
            spin(local);
            return;
        }
        kernel.step().segment(PathSegment.MIGRATE_PASS_BARRIER2);
        call.phase(MigrationCall.Phase.RETURN);
        if (r.source() == local.id()) {
            r.bPhase(BPhase.TRIGGERED);
            local.migrationPart(new MigrationPart(r, true, true));
        } else if (r.target() == local.id()) {
            r.cPhase(CPhase.TRIGGERED);
            local.migrationPart(new MigrationPart(r, false, true));
        } else {
            local.cpu().sti();
        }
    }

    /** SchedulerReturn: the parts on this CPU are done; the results go to the caller, who goes on. */
    private void finish(ProcessorData local, MigrationCall call) {
        MigrationRequest r = call.request();
        if (r.bPhase() == BPhase.REFUSED) {
            retryOnceCDone(local, call, r);
            return;
        }
        kernel.step().segment(PathSegment.MIGRATE_RETURN);
        Tcb s = call.scheduler();
        int[] results = call.results();
        s.migrationCall(null);
        s.resume(Resume.SYSCALL);
        migration.close(local, r);
        call.syscall().complete(local, s, results);
    }

    /**
     * B refused (t1 cannot leave its CPU now): once C, if it was triggered, has seen the refusal and
     * left, A gives the attempt up. The caller waits, blocked, so that its CPU runs other threads
     * (possibly the ones t1's IPC waits for), and redoes its system call after
     * {@link Migration#retryCycles} ({@link Migration#retryDue}): twice as long as the last time
     * when the call was refused before, so that callers taking turns cannot fill their CPU.
     */
    private void retryOnceCDone(ProcessorData local, MigrationCall call, MigrationRequest r) {
        if (r.cPhase() != CPhase.NONE && r.cPhase() != CPhase.DONE) {
            spin(local);
            return;
        }
        retry(local, call, r, r.thread());
    }

    private void retry(ProcessorData local, MigrationCall call, MigrationRequest r, Tcb t) {
        kernel.step().segment(PathSegment.MIGRATE_RETRY);
        migration.refusedOnce();
        migration.abandon(local, r, t);
        Tcb s = call.scheduler();
        kernel.touch(local, s, TcbLine.IPC, Access.WRITE);
        s.migrationCall(null);
        s.resume(Resume.SYSCALL);
        s.state(ThreadState.WAITING);
        s.migrationRefusals(call.refusals() + 1);
        local.wakeupQueue().enqueue(s, TimerTick.deadline(local, Migration.retryCycles(call.refusals())));
        kernel.threadSwitch().switchTo(local, null);
    }
}
