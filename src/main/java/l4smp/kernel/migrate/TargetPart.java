package l4smp.kernel.migrate;

import l4smp.kernel.Kernel;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.migrate.MigrationRequest.Arrival;
import l4smp.kernel.migrate.MigrationRequest.BPhase;
import l4smp.kernel.migrate.MigrationRequest.CPhase;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.TimerTick;
import l4smp.kernel.thread.Tcb;

/**
 * Part C of §8.7.2, on the target CPU, interrupts disabled from its entry to its end:
 * <pre>
 * C
 * enter kernel mode in C
 * (= 2)
 * insert t1 into local ready list
 * (~3)
 * if t1 priority is higher then
 *     switch to t1
 * else
 *     return to currently running thread
 * endif</pre>
 * {@code enter} is MigrationBarriers' TargetEnter, {@code barrier2} TargetPassBarrier2 (the list of
 * t1's new priority, which A wrote before it arrived at (=2); §8.7.3: a waiting t1 goes into the
 * wakeup queue instead, with the rest of its timeout, unless it waits for ever), {@code barrier3}
 * TargetPassBarrier3. With the global migration lock, C does not switch away from a caller inside
 * its thread_schedule (A = C): it holds the lock, and a thread switched to on its CPU could spin
 * for the lock for ever; the call's return lets the dispatcher run t1.
 */
final class TargetPart {
    private final Kernel kernel;
    private final Migration migration;

    TargetPart(Kernel kernel, Migration migration) {
        this.kernel = kernel;
        this.migration = migration;
    }

    void step(ProcessorData local, MigrationPart part) {
        MigrationRequest r = part.request();
        if (r.bPhase() == BPhase.REFUSED) {
            leave(local, part);
            return;
        }
        switch (r.cPhase()) {
            case TRIGGERED -> enter(local, part);
            case WAIT2 -> barrier2(local, part);
            case WAIT3 -> barrier3(local, part);
            default -> throw new IllegalStateException("migration invariant violated: cpu" + local.id() + " executes "
                    + part + ", which is over");
        }
    }

    /** TargetEnter: C is in the kernel, interrupts disabled, and arrives at (=2). */
    private void enter(ProcessorData local, MigrationPart part) {
        MigrationRequest r = part.request();
        kernel.step().segment(PathSegment.MIGRATE_TARGET_ENTER, r.thread());
        r.arrive(local.cpu(), Arrival.C2);
        r.cPhase(CPhase.WAIT2);
    }

    /** TargetPassBarrier2: B has freed t1's links and A has written its parameters. */
    private void barrier2(ProcessorData local, MigrationPart part) {
        MigrationRequest r = part.request();
        r.look(local.cpu());
        if (!r.passed2('C')) {
            migration.spin(local, PathSegment.MIGRATE_TARGET_SPIN);
            return;
        }
        Tcb t = r.thread();
        kernel.step().segment(PathSegment.MIGRATE_TARGET_PASS_BARRIER2, t);
        if (t.state().isRunnable()) {
            local.readyList().enqueue(t);
        } else if (r.remainingTimeout() >= 0) {
            local.wakeupQueue().enqueue(t, TimerTick.deadline(local, 0) + r.remainingTimeout());
            kernel.dispatcher().startTimer(local);
        }
        r.cPhase(CPhase.WAIT3);
    }

    /** TargetPassBarrier3: B has set t1's new processor number; t1 runs here if it outranks the running thread. */
    private void barrier3(ProcessorData local, MigrationPart part) {
        MigrationRequest r = part.request();
        if (!r.lookCpuSet(local.cpu())) {
            migration.spin(local, PathSegment.MIGRATE_TARGET_SPIN);
            return;
        }
        Tcb t = r.thread();
        kernel.step().segment(PathSegment.MIGRATE_TARGET_PASS_BARRIER3, t);
        if (!kernel.config().removed(RemovedFix.BARRIER_3)) {
            // without (~3) C goes on although B may not have set t1's CPU yet: the bug of §8.7.2 itself
            kernel.checkLocal(local, t);
        }
        kernel.xcpu().requestMigration().restartHere(local, r.restarts());
        kernel.interruptThreads().moved(local, t);
        Tcb u = local.current();
        boolean higher = u == null || (t.priority() > u.priority()
                && !(migration.serialised() && u.migrationCall() != null && u.migrationCall().inCall()));
        boolean switchTo = t.dispatchable() && higher;
        if (switchTo) {
            if (u != null) {
                local.readyList().enqueue(u);
            }
            kernel.dispatcher().startTimer(local);
            kernel.threadSwitch().switchTo(local, t);
        }
        r.cPhase(CPhase.DONE);
        migration.close(local, r);
        migration.endPart(local, part, switchTo);
    }

    /** B refused the request: C leaves without touching t1. */
    private void leave(ProcessorData local, MigrationPart part) {
        MigrationRequest r = part.request();
        kernel.step().segment(PathSegment.MIGRATE_TARGET_LEAVE, r.thread());
        r.cPhase(CPhase.DONE);
        migration.endPart(local, part, false);
    }
}
