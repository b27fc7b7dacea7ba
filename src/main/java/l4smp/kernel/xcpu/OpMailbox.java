package l4smp.kernel.xcpu;

import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.kernel.thread.Tcb;

/**
 * The mailbox of an {@link XpOperation}: shared by every CPU the operation involves (§8.4.3), so it
 * has a link for each CPU's operation list, the set of CPUs whose part is still to run, and a
 * count of them that the parts decrement with {@code lock xadd}. Four 32-byte lines: the lock and
 * phase, the count, the links.
 */
public final class OpMailbox extends Mailbox {
    /** Where the operation is: not in use, parts to run, every part done (back to its home CPU). */
    public enum Phase { FREE, REQUEST, DONE }

    static final int SIZE = 128;
    private static final int COUNT = 32;
    private static final int LINKS = 64;

    private Phase phase = Phase.FREE;
    private XpOperation op;
    private Tcb caller;
    private int pending;
    private final OpMailbox[] next;

    OpMailbox(int id, int home, long address, int cpus) {
        super(id, home, address, cpus);
        this.next = new OpMailbox[cpus];
    }

    void setUp(Cpu cpu, XpOperation newOp, Tcb newCaller) {
        cpu.touch(address(), Access.WRITE);
        phase = Phase.REQUEST;
        op = newOp;
        caller = newCaller;
        pending = 0;
    }

    /** CPU {@code target} has a part to run; false if it has one pending already. */
    boolean addTarget(Cpu cpu, int target) {
        if ((pending & (1 << target)) != 0) {
            return false;
        }
        cpu.xadd(address() + COUNT, 1);
        pending |= 1 << target;
        return true;
    }

    /** CPU {@code target}'s part is done; true if it was the last one. */
    boolean partDone(Cpu cpu, int target) {
        cpu.xadd(address() + COUNT, -1);
        pending &= ~(1 << target);
        if (pending == 0) {
            phase = Phase.DONE;
            return true;
        }
        return false;
    }

    @Override
    void release(Cpu cpu) {
        cpu.touch(address(), Access.WRITE);
        phase = Phase.FREE;
        op = null;
        caller = null;
        pending = 0;
        java.util.Arrays.fill(next, null);
    }

    OpMailbox next(int cpu) {
        return next[cpu];
    }

    void next(Cpu on, int cpu, OpMailbox m) {
        on.touch(address() + LINKS + 4L * cpu, Access.WRITE);
        next[cpu] = m;
    }

    // ---- observers: free ----

    public Phase phase() {
        return phase;
    }

    @Override
    public boolean isFree() {
        return phase == Phase.FREE;
    }

    public XpOperation op() {
        return op;
    }

    /** The thread that waits for the operation, or null. */
    public Tcb caller() {
        return caller;
    }

    /** The CPUs whose part is still to run, one bit each. */
    public int pending() {
        return pending;
    }

    @Override
    public String toString() {
        return "opmailbox" + id() + "[" + phase + (op == null ? "" : " " + op.getClass().getSimpleName()) + "]";
    }
}
