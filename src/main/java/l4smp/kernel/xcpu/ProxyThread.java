package l4smp.kernel.xcpu;

import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;

/**
 * A proxy thread (§8.4, §8.8.4): a kernel thread on a CPU that performs operations other CPUs
 * trigger through mailboxes, there, with interrupts disabled, so that every change to a thread
 * happens on the thread's own CPU (implementation decision 3). It has a TCB (state, partner, ready
 * and wakeup links, its mailbox list in {@code firstMailbox}/{@code lastMailbox}) but no task and
 * no address space, and no thread id another CPU could reach: "another processor's proxy threads
 * are invisible and can't be accessed, except through its mailbox".
 *
 * <p>Policy (§8.3.5 "get ipc proxy(from TCB.cpu, to TCB.cpu)"): a proxy per pair of source and
 * destination CPU, and more instances of it when operations must wait ({@link Proxies}). A proxy
 * "performs at most one operation at the same time" (§8.4); {@link #current()} is the mailbox of the
 * operation in work ("Instead of the first mailbox, we include a pointer indicating the operation
 * currently in work", §8.4.4). It runs at priority 255, above every user thread, so that a triggered operation is not
 * delayed by user work on its CPU.
 *
 * <p>Each CPU also has an operation proxy (source and target its own CPU) that performs the parts of
 * {@link XpOperation}s: they never wait, so one proxy serves them all (§8.4.3: "we need to have a
 * second type of proxy handling IPC unwind operations").
 */
public final class ProxyThread {
    public static final int PRIORITY = 255;

    private final Tcb tcb;
    private final int source;
    private final int target;
    /** Which instance of its pair this is: 0 from boot, more made by the hand-over of §8.4.4. */
    private final int instance;
    private IpcMailbox current;
    /** Whether new requests of its pair join its list (§8.4.4); always for an operation proxy. */
    private boolean leads = true;
    /** The sender's space while the proxy copies its long message (§8.4.2), else null. */
    private AddressSpace space;
    /** An operation proxy's list of operation mailboxes (first, last). */
    private OpMailbox firstOp;
    private OpMailbox lastOp;

    ProxyThread(Tcb tcb, int source, int target, int instance) {
        this.tcb = tcb;
        this.source = source;
        this.target = target;
        this.instance = instance;
    }

    /** The kernel-internal id of instance {@code k} of the proxy from {@code source} to {@code target}: task 0, never a user task's. */
    static ThreadId idOf(int source, int target, int k) {
        return ThreadId.of(0, 1 + source, target + 16 * k);
    }

    /** The kernel-internal id of CPU {@code cpu}'s operation proxy. */
    static ThreadId operationsIdOf(int cpu) {
        return ThreadId.of(0, 16 + cpu, 0);
    }

    /** Whether this is a CPU's operation proxy (its source is its own CPU) rather than an IPC proxy. */
    public boolean isOperations() {
        return source == target;
    }

    OpMailbox firstOp() {
        return firstOp;
    }

    void firstOp(OpMailbox m) {
        firstOp = m;
    }

    OpMailbox lastOp() {
        return lastOp;
    }

    void lastOp(OpMailbox m) {
        lastOp = m;
    }

    public Tcb tcb() {
        return tcb;
    }

    /** The CPU whose threads' requests this proxy performs. */
    public int source() {
        return source;
    }

    /** The CPU the proxy runs on. */
    public int target() {
        return target;
    }

    public boolean leads() {
        return leads;
    }

    void leads(boolean value) {
        leads = value;
    }

    /** Which instance of its pair this is: 0 for the one made at boot. */
    public int instance() {
        return instance;
    }

    /** The mailbox whose operation is in work (polling for, or activated by, its receiver), or null. */
    public IpcMailbox current() {
        return current;
    }

    void current(IpcMailbox m) {
        current = m;
    }

    /** The user space the proxy runs in: a sender's, while it copies the sender's long message; else null. */
    public AddressSpace space() {
        return space;
    }

    void space(AddressSpace s) {
        space = s;
    }

    @Override
    public String toString() {
        return (isOperations() ? "operations(cpu" + target : "proxy(cpu" + source + "->cpu" + target
                + (instance == 0 ? "" : "#" + instance)) + ")[" + tcb.state() + "]";
    }
}
