package l4smp.kernel.migrate;

import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.TaskFactory;
import l4smp.kernel.ipc.CommSpace;
import l4smp.kernel.migrate.MigrationRequest.Arrival;
import l4smp.kernel.migrate.MigrationRequest.BPhase;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;

/**
 * Part B of §8.7.2, on t1's CPU, interrupts disabled from its entry to its end:
 * <pre>
 * B
 * enter kernel mode in B
 * (= 1)
 * delete t1 from local ready list
 * free any resources held by t1
 * (= 2)
 * set new processor number
 * (~3)
 * if t1 was currently running then
 *     switch to next thread
 * else
 *     return to currently running thread
 * endif</pre>
 * {@code enter} is MigrationBarriers' SourceEnter (B arrives at (=1) and, having freed t1's single
 * pair of ready links, at its side of (=2)); {@code barrier2} is SourcePassBarrier2, one step:
 * t1's context is saved (the switch away) before its new CPU number is visible, or C could resume
 * it while B still runs on its stack (the spec's SaveContextFirst; §8.7.2 lists the two the other
 * way round). §8.7.3: t1 leaves the wakeup queue too; §8.5: the requests to t1 go with it.
 */
final class SourcePart {
    private final Kernel kernel;
    private final Migration migration;

    SourcePart(Kernel kernel, Migration migration) {
        this.kernel = kernel;
        this.migration = migration;
    }

    void step(ProcessorData local, MigrationPart part) {
        switch (part.request().bPhase()) {
            case TRIGGERED -> enter(local, part);
            case WAIT2 -> barrier2(local, part);
            default -> throw new IllegalStateException("migration invariant violated: cpu" + local.id() + " executes "
                    + part + ", which is over");
        }
    }

    /**
     * SourceEnter. If t1 is inside an IPC that pins it here (see {@link Migration#movable}) B refuses
     * instead: the attempt ends, and the request waits (§8.5: "at the cost of delaying or blocking
     * the migration request").
     */
    private void enter(ProcessorData local, MigrationPart part) {
        MigrationRequest r = part.request();
        Tcb t = r.thread();
        kernel.checkLocal(local, t);
        kernel.touch(local, t, TcbLine.IPC, Access.READ);
        if (!migration.movable(t)) {
            kernel.step().segment(PathSegment.MIGRATE_SOURCE_REFUSE, t);
            r.bPhase(BPhase.REFUSED);
            migration.endPart(local, part, false);
            return;
        }
        kernel.step().segment(PathSegment.MIGRATE_SOURCE_ENTER, t);
        Cpu cpu = local.cpu();
        // delete t1 from local ready list (a thread removed lazily is in none)
        local.readyList().remove(t);
        // §8.7.3: out of the wakeup queue; the rest of its timeout goes with it
        if (t.wakeupTime() >= 0) {
            r.remainingTimeout(Math.max(0, t.wakeupTime() - cpu.millicycles()));
            local.wakeupQueue().dequeue(t);
        }
        // free any resources held by t1 (§8.7.1): the FPU, the communication area
        kernel.fpu().release(local, t);
        CommSpace.close(kernel, local, t);
        r.arrive(cpu, Arrival.B1);
        if (!kernel.config().removed(RemovedFix.BARRIER_2)) {
            r.arrive(cpu, Arrival.B2);
        }
        r.bPhase(BPhase.WAIT2);
    }

    /** SourcePassBarrier2: A has written the parameters and C has entered. */
    private void barrier2(ProcessorData local, MigrationPart part) {
        MigrationRequest r = part.request();
        r.look(local.cpu());
        if (!r.passed2('B')) {
            migration.spin(local, PathSegment.MIGRATE_SOURCE_SPIN);
            return;
        }
        Tcb t = r.thread();
        int from = local.id();
        int to = r.target();
        kernel.step().segment(PathSegment.MIGRATE_SOURCE_PASS_BARRIER2, t);
        // §8.5: the requests to t1 not yet delivered here (flagged, queued at a proxy, or polling) go with it
        if (!kernel.config().removed(RemovedFix.MIGRATE_REQUESTS)) {
            kernel.xcpu().requestMigration().take(local, t, to, r.restarts());
        }
        // switch away from t1 first: its context is saved before its new CPU can run it
        boolean wasRunning = local.current() == t;
        if (wasRunning) {
            kernel.threadSwitch().switchTo(local, null);
        }
        // set new processor number: the TCB, and the UTCB's copy (§7.2)
        kernel.touch(local, t, TcbLine.GLOBAL_READ_ONLY, Access.WRITE);
        t.cpu(to);
        local.cpu().storePhysical(t.task().utcbFrame() + (long) t.myself().lthread() * TaskFactory.UTCB_SIZE
                + TaskFactory.UTCB_PROCESSOR, to + 1);
        // (~3): C may go on; t1's "do not migrate" lock goes with the new number
        r.setCpu(local.cpu());
        migration.unlockThread(local.cpu(), t);
        migration.counted(t, from, to);
        r.bPhase(BPhase.DONE);
        migration.close(local, r);
        migration.endPart(local, part, wasRunning);
    }
}
