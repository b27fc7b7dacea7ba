package l4smp.kernel.migrate;

import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;

/**
 * Part A's state of one thread_schedule call that moves another thread (§8.7.2): what the
 * scheduling server asked for and how far the call is. It lives in the caller's TCB while the call
 * is in progress ({@link Tcb#migrationCall()}) and stands for the caller's kernel stack: the call
 * resumes from it at each step ({@link l4smp.kernel.thread.Resume#MIGRATION}).
 *
 * <p>MigrationBarriers' {@code aPc[s]}: {@link Phase#SPIN} is "spin" (the caller holds nothing and
 * has read nothing, so it may itself be migrated and spin on at its new CPU), {@code WAIT1},
 * {@code WAIT2} and {@code RETURN} are the spec's "wait1", "wait2" and "return"; "idle" and "done"
 * are no call at all. A call whose thread could not move ends without a trace here: its caller
 * waits and redoes the system call ({@link Migration#retryDue}).
 */
public final class MigrationCall {
    /** Where part A is. */
    public enum Phase { SPIN, WAIT1, WAIT2, RETURN }

    private final Tcb scheduler;
    private final ThreadId thread;
    private final int targetCpu;
    private final int param;
    private final int mcp;
    private final ScheduleCall syscall;
    private final int refusals;
    private Phase phase = Phase.SPIN;
    private MigrationRequest request;
    private int[] results;

    MigrationCall(Tcb scheduler, ThreadId thread, int targetCpu, int param, int mcp, ScheduleCall syscall, int refusals) {
        this.scheduler = scheduler;
        this.thread = thread;
        this.targetCpu = targetCpu;
        this.param = param;
        this.mcp = mcp;
        this.syscall = syscall;
        this.refusals = refusals;
    }

    /** How often in a row this call was refused before this attempt (it is a redone call if positive). */
    int refusals() {
        return refusals;
    }

    public Tcb scheduler() {
        return scheduler;
    }

    /** t1: the thread to move (MigrationBarriers' {@code tgt[s]}). */
    public ThreadId thread() {
        return thread;
    }

    /** C: the CPU to move it to ({@code dst[s]}). */
    public int targetCpu() {
        return targetCpu;
    }

    int param() {
        return param;
    }

    int mcp() {
        return mcp;
    }

    ScheduleCall syscall() {
        return syscall;
    }

    public Phase phase() {
        return phase;
    }

    void phase(Phase newPhase) {
        phase = newPhase;
    }

    /** Whether the caller is past the locks (MigrationBarriers' {@code InCall(s)}). */
    public boolean inCall() {
        return phase != Phase.SPIN;
    }

    /** The request the call shares with parts B and C, from SchedulerCall on; null while it spins. */
    public MigrationRequest request() {
        return request;
    }

    void request(MigrationRequest r) {
        request = r;
    }

    /** EAX, ECX, EDX, ESI of the call, once A has read them (the old parameters of t1). */
    int[] results() {
        return results;
    }

    void results(int[] values) {
        results = values;
    }

}
