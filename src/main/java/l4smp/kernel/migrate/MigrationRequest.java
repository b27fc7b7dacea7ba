package l4smp.kernel.migrate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.xcpu.IpcMailbox;

/**
 * The record a migration's three parts share (§8.7.2): which thread moves from which CPU to which,
 * how far each part is, and the barriers. It sits in shared kernel memory, one per initiating CPU
 * (a CPU runs at most one call past the locks: the caller is not preempted inside it), so every
 * arrival is a locked write of its line and every spin a read that hits the CPU's cache until
 * another part writes.
 *
 * <p>Layout: line 0 the barrier words (arrivals, the (~3) flag, the count of parts still open),
 * line 1 the parameters (thread, initiator A, source B, target C, the migrant's remaining timeout).
 *
 * <p>MigrationBarriers' {@code request(s)}: {@code aState} is the caller's {@link MigrationCall},
 * {@code bState} and {@code cState} are {@link #source()} and {@link #target()}'s phases,
 * {@code barrier} the {@link #arrived()} set, {@code cpuSet} {@link #cpuSet()}.
 */
public final class MigrationRequest {
    /** Arrivals at the barriers: A and B at (=1); A, B and C at (=2). */
    public enum Arrival { A1, B1, A2, B2, C2 }

    /** Part B's progress ({@code bPc}); {@code REFUSED}: t1 could not move now and the attempt ends. */
    public enum BPhase { NONE, TRIGGERED, WAIT2, DONE, REFUSED }

    /** Part C's progress ({@code cPc}). */
    public enum CPhase { NONE, TRIGGERED, WAIT2, WAIT3, DONE }

    static final int SIZE = 128;
    private static final int CPU_SET = 4;
    private static final int OPEN = 8;
    private static final int PARAMETERS = 32;

    private final int id;
    private final long address;
    private MigrationCall call;
    private Tcb thread;
    private int initiator = -1;
    private int source = -1;
    private int target = -1;
    private BPhase bPhase = BPhase.NONE;
    private CPhase cPhase = CPhase.NONE;
    private final Set<Arrival> arrived = EnumSet.noneOf(Arrival.class);
    private boolean cpuSet;
    private int open;
    private long remainingTimeout = -1;
    private final List<IpcMailbox> restarts = new ArrayList<>();
    /** The barriers fault injection removed ({@link RemovedFix#BARRIER_2} etc.): a part does not wait at them. */
    private final Set<RemovedFix> removed;

    MigrationRequest(int id, long address, Set<RemovedFix> removed) {
        this.id = id;
        this.address = address;
        this.removed = removed;
    }

    /** SchedulerCall fills the record in: t1 moves from {@code b} to {@code c}, called on {@code a}. */
    void setUp(Cpu cpu, MigrationCall newCall, Tcb t, int a, int b, int c) {
        cpu.touch(address, Access.WRITE);
        cpu.touch(address + PARAMETERS, Access.WRITE);
        call = newCall;
        thread = t;
        initiator = a;
        source = b;
        target = c;
        bPhase = b == a ? BPhase.NONE : BPhase.TRIGGERED;
        cPhase = c == a ? CPhase.NONE : CPhase.TRIGGERED;
        arrived.clear();
        cpuSet = false;
        open = 3;
        cpu.storePhysical(address + OPEN, open);
        remainingTimeout = -1;
        restarts.clear();
    }

    /** The request is over (or abandoned): free for the next call of its CPU. */
    void free(Cpu cpu) {
        cpu.storePhysical(address + OPEN, 0);
        cpu.storePhysical(address, 0);
        cpu.storePhysical(address + CPU_SET, 0);
        call = null;
        thread = null;
        initiator = -1;
        source = -1;
        target = -1;
        bPhase = BPhase.NONE;
        cPhase = CPhase.NONE;
        arrived.clear();
        cpuSet = false;
        open = 0;
        restarts.clear();
    }

    /** A part arrives at a barrier: a locked write of the barrier word. */
    void arrive(Cpu cpu, Arrival a) {
        cpu.lockBts(address, a.ordinal());
        arrived.add(a);
    }

    /** One look at the barrier word by a spinning part (a read of its line). */
    void look(Cpu cpu) {
        cpu.loadPhysical(address);
    }

    boolean has(Arrival a) {
        return arrived.contains(a);
    }

    /**
     * Barrier (=2) as {@code who} sees it: every other participant has arrived. A does not wait for
     * a part that runs on its own CPU after it (A = B, A = C: "the remaining synch points with B
     * respectively C can be ignored").
     */
    boolean passed2(char who) {
        boolean withB = !removed.contains(RemovedFix.BARRIER_2);
        return switch (who) {
            case 'A' -> (source == initiator || !withB || has(Arrival.B2)) && (target == initiator || has(Arrival.C2));
            case 'B' -> has(Arrival.A2) && has(Arrival.C2);
            case 'C' -> (removed.contains(RemovedFix.BARRIER_2A) || has(Arrival.A2)) && (!withB || has(Arrival.B2));
            default -> throw new IllegalArgumentException("no part " + who);
        };
    }

    /** (=1) as A sees it: B is in the kernel (t1 cannot run), or fault injection removed the barrier. */
    boolean passed1() {
        return removed.contains(RemovedFix.BARRIER_1) || has(Arrival.B1);
    }

    /** (~3): B has set t1's new processor number. */
    void setCpu(Cpu cpu) {
        cpu.storePhysical(address + CPU_SET, 1);
        cpuSet = true;
    }

    /** C's look at the (~3) word. */
    boolean lookCpuSet(Cpu cpu) {
        cpu.loadPhysical(address + CPU_SET);
        return cpuSet || removed.contains(RemovedFix.BARRIER_3);
    }

    /**
     * A part is over ({@code lock xadd} on the count of open parts).
     *
     * @return whether it was the last of A, B and C: the request is complete
     */
    boolean close(Cpu cpu) {
        cpu.xadd(address + OPEN, -1);
        open--;
        return open == 0;
    }

    void bPhase(BPhase p) {
        bPhase = p;
    }

    void cPhase(CPhase p) {
        cPhase = p;
    }

    void remainingTimeout(long millicycles) {
        remainingTimeout = millicycles;
    }

    long remainingTimeout() {
        return remainingTimeout;
    }

    /** Requests to t1 whose sender sits on C: C restarts them there as local IPCs (§8.5). */
    List<IpcMailbox> restarts() {
        return restarts;
    }

    // ---- observers: free ----

    /** The request's number: its initiating CPU, and its bit in a CPU's migration flags. */
    public int id() {
        return id;
    }

    public long address() {
        return address;
    }

    /** Whether a call uses this record. */
    public boolean inUse() {
        return call != null;
    }

    public MigrationCall call() {
        return call;
    }

    public Tcb thread() {
        return thread;
    }

    /** A: the CPU of the thread_schedule call. */
    public int initiator() {
        return initiator;
    }

    /** B: the CPU t1 leaves. */
    public int source() {
        return source;
    }

    /** C: the CPU t1 goes to. */
    public int target() {
        return target;
    }

    public BPhase bPhase() {
        return bPhase;
    }

    public CPhase cPhase() {
        return cPhase;
    }

    public Set<Arrival> arrived() {
        return EnumSet.copyOf(arrived);
    }

    public boolean cpuSet() {
        return cpuSet;
    }

    /** Between B's deletion of t1 and the moment C has inserted it and B has set its new CPU (MigrationBarriers' {@code InFlight}). */
    public boolean inFlight() {
        boolean deleted = bPhase == BPhase.WAIT2 || bPhase == BPhase.DONE;
        boolean settled = cpuSet && (cPhase == CPhase.WAIT3 || cPhase == CPhase.DONE);
        return deleted && !settled;
    }

    @Override
    public String toString() {
        return "migration" + id + "[" + (thread == null ? "free" : thread.myself() + " cpu" + source + "->cpu" + target
                + " by cpu" + initiator + ", B " + bPhase + ", C " + cPhase + ", arrived " + arrived + (cpuSet ? ", cpu set" : ""))
                + "]";
    }
}
