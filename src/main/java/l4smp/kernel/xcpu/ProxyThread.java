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
 * <p>Policy (§8.3.5 "get ipc proxy(from TCB.cpu, to TCB.cpu)"): one proxy per pair of source and
 * destination CPU. A proxy "performs at most one operation at the same time" (§8.4): the first
 * mailbox of its list; {@link #current()} is that mailbox while the operation waits for its
 * receiver. It runs at priority 255, above every user thread, so that a triggered operation is not
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
    private IpcMailbox current;
    /** The sender's space while the proxy copies its long message (§8.4.2), else null. */
    private AddressSpace space;
    /** An operation proxy's list of operation mailboxes (first, last). */
    private OpMailbox firstOp;
    private OpMailbox lastOp;

    ProxyThread(Tcb tcb, int source, int target) {
        this.tcb = tcb;
        this.source = source;
        this.target = target;
    }

    /** The kernel-internal id of the proxy from {@code source} to {@code target}: task 0, never a user task's. */
    static ThreadId idOf(int source, int target) {
        return ThreadId.of(0, 1 + source, target);
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
        return (isOperations() ? "operations(cpu" + target : "proxy(cpu" + source + "->cpu" + target) + ")[" + tcb.state() + "]";
    }
}
