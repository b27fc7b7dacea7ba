package l4smp.kernel.thread;

import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.migrate.MigrationCall;
import l4smp.kernel.migrate.MigrationRequest;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.xcpu.IpcMailbox;
import l4smp.kernel.xcpu.OpMailbox;
import l4smp.kernel.xcpu.ProxyThread;

/**
 * A thread control block (§2.1: "The information needed to manage and control a thread is stored
 * in its Thread Control Block"), its fields grouped as §8.6 and Table 3 arrange them by who may
 * write them:
 * <ol>
 *   <li>processor-local fields, used only on the thread's CPU: ipc buffer and timeout, the saved
 *       user state ("stack"), thread state, ready/wakeup/send-queue links, resources, comm area,
 *       priority and time slices, pager;</li>
 *   <li>fields written cross-processor: partner, the completion code, the proxy pointer, the
 *       cross-processor completion code {@code xp cc} and the first and last mailbox of the
 *       thread's mailbox list (a proxy's requests, or a sender's reply, §8.4.1);</li>
 *   <li>read-only fields: myself and cpu (which only a migration changes: its source CPU sets it,
 *       §8.7.2 "set new processor number").</li>
 * </ol>
 * Implementation decision 3 (§8.3.5): every operation that modifies a thread runs on the thread's
 * CPU; {@link l4smp.kernel.Kernel} checks it before a path touches a thread.
 *
 * <p>Besides the thesis's fields, a TCB holds the thread's kernel continuation ({@link Resume} and
 * the saved {@link IpcState}), which replaces the kernel stack of a real kernel. Accessors are
 * free; kernel paths charge the memory cost of the TCB lines they touch (see {@link TcbLine}).
 */
public final class Tcb {
    /** Bytes per TCB: the shift of the thread number in a thread id (slides: "Avoid Table Lookups"). */
    public static final int SIZE = 1 << ThreadId.VERSION_BITS;

    private final int threadNumber;
    private final long physical;
    private Task task;

    // ---- group 3: global, read only ----
    private ThreadId myself = ThreadId.NIL;
    /** The id a TCB had before it vanished: what its in-flight mailbox and queue entries still name (observation only). */
    private ThreadId former = ThreadId.NIL;
    private int cpu;

    // ---- group 1, line IPC: ipc buffer, ipc timeout, ready links, thread state, stack ----
    private final int[] savedRegisters = new int[Reg.values().length];
    private ThreadState state = ThreadState.DEAD;
    private Tcb readyPrev;
    private Tcb readyNext;
    /** The priority of the ready list the thread is linked into (it may differ from {@link #priority} while a migration exchanges it). */
    private int readyPriority;

    // ---- group 1, line QUEUES: wakeup links, resources, comm area, send queue and links ----
    private Tcb wakeupPrev;
    private Tcb wakeupNext;
    private long wakeupTime = -1;
    private boolean fpuUsed;
    /** The receiver's 8 MB destination area mapped into its CPU's comm area ("waddr"), or -1. */
    private long commWindow = -1;
    private Tcb sendQueueHead;
    private Tcb sendPrev;
    private Tcb sendNext;
    /** The receiver in whose send queue this thread is, or null. */
    private Tcb sendQueueOwner;

    // ---- group 1, line SCHEDULING: priority, time slice, remaining time slice, pager ----
    private int priority;
    private long timeslice;
    private long remainingTimeslice;
    private ThreadId pager = ThreadId.NIL;

    // ---- group 2: written cross-processor ----
    private ThreadId partner = ThreadId.NIL;
    private CompletionCode completion = CompletionCode.NONE;
    /** The proxy handling this thread's cross-processor send (§8.3.5 "from TCB.proxy"), or null. */
    private ProxyThread proxy;
    /** The completion code wakeup_sender sets for the sender (§8.4.1 "from TCB.xp cc"). */
    private CompletionCode xpCc = CompletionCode.NONE;
    private IpcMailbox firstMailbox;
    private IpcMailbox lastMailbox;
    /** The "do not migrate" lock (§8.4.3, §8.5): the migration request holding it, or null. */
    private MigrationRequest doNotMigrate;

    /** Non-null iff this TCB is a proxy thread's (§8.4, §8.8.4): it has no task and no address space. */
    private ProxyThread asProxy;
    /** IPCs this thread has started (system calls and page faults): names its messages for observers. */
    private int ipcCount;
    /** The IPC it started last, in progress or over: what observers read after an IPC ended in its first step. */
    private IpcState lastIpc;
    /** Blocked before its IPC began because its CPU's mailbox pool was empty (§8.3.5 get_ipc_mailbox). */
    private boolean waitsForMailbox;
    /** The operation it waits for other CPUs to perform, or null. */
    private OpMailbox pendingOp;
    /** Its thread_schedule call that migrates another thread, while it is in progress (part A, §8.7.2), or null. */
    private MigrationCall migrationCall;
    /** How often in a row its thread_schedule was refused while it waits to redo it (decision 0005's back-off), else 0. */
    private int migrationRefusals;

    // ---- the kernel continuation ----
    private Resume resume = Resume.NOWHERE;
    private IpcState ipc;
    private IpcState outerIpc;
    private boolean cancelAtXpReturn;
    /** The mailbox of its XP send that asks it to redo a fault of its proxy's copy (§8.4.2), while it does so. */
    private IpcMailbox redoFault;
    private int trapVector;
    private long faultAddress;
    private boolean faultWrite;

    public Tcb(int threadNumber, long physical) {
        this.threadNumber = threadNumber;
        this.physical = physical;
    }

    /** Brings the TCB to life for thread {@code id} of {@code newTask} on {@code newCpu} (creation). */
    public void create(ThreadId id, Task newTask, int newCpu) {
        if (id.threadNumber() != threadNumber) {
            throw new IllegalArgumentException(id + " does not name TCB " + threadNumber);
        }
        myself = id;
        task = newTask;
        cpu = newCpu;
        java.util.Arrays.fill(savedRegisters, 0);
        state = ThreadState.READY;
        partner = ThreadId.NIL;
        completion = CompletionCode.NONE;
        pager = ThreadId.NIL;
        resume = Resume.USER;
        ipc = null;
        outerIpc = null;
        cancelAtXpReturn = false;
        redoFault = null;
        fpuUsed = false;
        commWindow = -1;
        proxy = null;
        xpCc = CompletionCode.NONE;
        firstMailbox = null;
        lastMailbox = null;
        ipcCount = 0;
        lastIpc = null;
        waitsForMailbox = false;
        pendingOp = null;
        migrationCall = null;
        migrationRefusals = 0;
        doNotMigrate = null;
    }

    /** Makes this TCB the one of proxy thread {@code p}, with the kernel-internal id {@code id}, on {@code newCpu}. */
    public void createProxy(ThreadId id, ProxyThread p, int newCpu, Resume loop) {
        create(id, null, newCpu);
        asProxy = p;
        state = ThreadState.WAITING;
        resume = loop;
    }

    public int threadNumber() {
        return threadNumber;
    }

    /** The physical address of this TCB (where its cache lines are). */
    public long physical() {
        return physical;
    }

    public long line(TcbLine line) {
        return physical + line.offset;
    }

    public long fpuSaveArea() {
        return physical + TcbLine.FPU_SAVE_AREA;
    }

    public Task task() {
        return task;
    }

    /**
     * The user address space this TCB runs in: its task's, or for a proxy the space of the sender
     * whose long message it copies (§8.4.2: "the proxy switches the user space [...] to the
     * sender's space"), else none.
     */
    public AddressSpace space() {
        if (task != null) {
            return task.space();
        }
        return asProxy == null ? null : asProxy.space();
    }

    // ---- group 3 ----

    public ThreadId myself() {
        return myself;
    }

    /**
     * The thread this TCB holds or held last: {@code myself}, or after it vanished the id it had,
     * for observers that follow a deleted thread's request still held by a proxy (§8.4.3).
     */
    public ThreadId lastId() {
        return exists() ? myself : former;
    }

    /** Clears {@code myself}: the TCB no longer names a present thread (task deleted). */
    public void vanish() {
        former = myself;
        myself = ThreadId.NIL;
        state = ThreadState.DEAD;
        resume = Resume.NOWHERE;
    }

    public int cpu() {
        return cpu;
    }

    /**
     * §8.7.2 "set new processor number": only the source CPU's part of a migration writes it, with
     * the thread out of every list there ("the last thing to do is to transfer the TCB which [...]
     * results in changing the current processor number, only").
     */
    public void cpu(int newCpu) {
        cpu = newCpu;
    }

    public boolean exists() {
        return !myself.isNil();
    }

    /** The proxy thread whose TCB this is, or null for a user thread. */
    public ProxyThread asProxy() {
        return asProxy;
    }

    public boolean isProxy() {
        return asProxy != null;
    }

    // ---- group 1 ----

    public int register(Reg reg) {
        return savedRegisters[reg.ordinal()];
    }

    public void register(Reg reg, int value) {
        savedRegisters[reg.ordinal()] = value;
    }

    /** The saved user registers, indexed by {@link Reg#ordinal()} (what a switch stores in the TCB). */
    public int[] savedRegisters() {
        return savedRegisters;
    }

    public ThreadState state() {
        return state;
    }

    public void state(ThreadState newState) {
        state = newState;
    }

    public Tcb readyPrev() {
        return readyPrev;
    }

    public Tcb readyNext() {
        return readyNext;
    }

    public void readyPrev(Tcb prev) {
        readyPrev = prev;
    }

    public void readyNext(Tcb next) {
        readyNext = next;
    }

    public boolean inReadyList() {
        return readyNext != null;
    }

    public int readyPriority() {
        return readyPriority;
    }

    public void readyPriority(int p) {
        readyPriority = p;
    }

    public Tcb wakeupPrev() {
        return wakeupPrev;
    }

    public Tcb wakeupNext() {
        return wakeupNext;
    }

    public void wakeupPrev(Tcb prev) {
        wakeupPrev = prev;
    }

    public void wakeupNext(Tcb next) {
        wakeupNext = next;
    }

    /** When the thread's timeout expires, in millicycles of its CPU's clock; -1 if not in a wakeup queue. */
    public long wakeupTime() {
        return wakeupTime;
    }

    public void wakeupTime(long time) {
        wakeupTime = time;
    }

    public boolean fpuUsed() {
        return fpuUsed;
    }

    public void fpuUsed(boolean used) {
        fpuUsed = used;
    }

    public long commWindow() {
        return commWindow;
    }

    public void commWindow(long window) {
        commWindow = window;
    }

    public Tcb sendQueueHead() {
        return sendQueueHead;
    }

    public void sendQueueHead(Tcb head) {
        sendQueueHead = head;
    }

    public Tcb sendPrev() {
        return sendPrev;
    }

    public Tcb sendNext() {
        return sendNext;
    }

    public void sendPrev(Tcb prev) {
        sendPrev = prev;
    }

    public void sendNext(Tcb next) {
        sendNext = next;
    }

    public void sendQueueOwner(Tcb owner) {
        sendQueueOwner = owner;
    }

    public Tcb sendQueueOwner() {
        return sendQueueOwner;
    }

    public int priority() {
        return priority;
    }

    public void priority(int newPriority) {
        priority = newPriority;
    }

    public long timeslice() {
        return timeslice;
    }

    public void timeslice(long cycles) {
        timeslice = cycles;
    }

    public long remainingTimeslice() {
        return remainingTimeslice;
    }

    public void remainingTimeslice(long cycles) {
        remainingTimeslice = cycles;
    }

    public ThreadId pager() {
        return pager;
    }

    public void pager(ThreadId newPager) {
        pager = newPager;
    }

    // ---- group 2 ----

    public ThreadId partner() {
        return partner;
    }

    public void partner(ThreadId newPartner) {
        partner = newPartner;
    }

    /** The completion code of the thread's last IPC, {@code none} while one is in progress. */
    public CompletionCode completion() {
        return completion;
    }

    public void completion(CompletionCode code) {
        completion = code;
    }

    public ProxyThread proxy() {
        return proxy;
    }

    public void proxy(ProxyThread p) {
        proxy = p;
    }

    public CompletionCode xpCc() {
        return xpCc;
    }

    public void xpCc(CompletionCode code) {
        xpCc = code;
    }

    public IpcMailbox firstMailbox() {
        return firstMailbox;
    }

    public void firstMailbox(IpcMailbox m) {
        firstMailbox = m;
    }

    public IpcMailbox lastMailbox() {
        return lastMailbox;
    }

    public void lastMailbox(IpcMailbox m) {
        lastMailbox = m;
    }

    public MigrationRequest doNotMigrate() {
        return doNotMigrate;
    }

    public void doNotMigrate(MigrationRequest holder) {
        doNotMigrate = holder;
    }

    // ---- continuation ----

    /**
     * Whether the dispatcher may run this thread: a runnable state (L4Common's Runnable), or a
     * locked_waiting receiver that has something to do: its sender has transferred to it, and it
     * stays locked until its own continuation returns from the IPC (§8.3.2: "to TCB.state = ready;
     * enqueueReady(B); returnIPC" runs on B); or its sender's copy faulted in its space, and it
     * redoes the fault.
     */
    public boolean dispatchable() {
        if (state.isRunnable()) {
            return true;
        }
        return state == ThreadState.LOCKED_WAITING && !waitsForMailbox
                && (resume == Resume.RECEIVER_FAULT
                    || (resume == Resume.RECEIVE_BLOCKED && ipc != null && ipc.phase() == IpcState.Phase.DONE));
    }

    public int ipcCount() {
        return ipcCount;
    }

    /** The thread starts IPC {@code started} (a system call or a page fault): its count names the message. */
    public void countIpc(IpcState started) {
        ipcCount++;
        lastIpc = started;
    }

    public IpcState lastIpc() {
        return lastIpc;
    }

    public OpMailbox pendingOp() {
        return pendingOp;
    }

    public void pendingOp(OpMailbox m) {
        pendingOp = m;
    }

    public MigrationCall migrationCall() {
        return migrationCall;
    }

    public void migrationCall(MigrationCall call) {
        migrationCall = call;
    }

    /** The refusals in a row of the thread_schedule it redoes now, cleared: the call that reads it owns the count. */
    public int takeMigrationRefusals() {
        int n = migrationRefusals;
        migrationRefusals = 0;
        return n;
    }

    /** Its call was refused for the {@code n}th time in a row; it waits to redo it. */
    public void migrationRefusals(int n) {
        migrationRefusals = n;
    }

    public boolean waitsForMailbox() {
        return waitsForMailbox;
    }

    public void waitsForMailbox(boolean waits) {
        waitsForMailbox = waits;
    }

    public Resume resume() {
        return resume;
    }

    public void resume(Resume newResume) {
        resume = newResume;
    }

    public IpcState ipc() {
        return ipc;
    }

    public void ipc(IpcState state) {
        ipc = state;
    }

    /** The IPC interrupted by a nested page-fault IPC, or null. */
    public IpcMailbox redoFault() {
        return redoFault;
    }

    public void redoFault(IpcMailbox m) {
        redoFault = m;
    }

    public IpcState outerIpc() {
        return outerIpc;
    }

    public void outerIpc(IpcState state) {
        outerIpc = state;
    }

    /**
     * lthread_ex_regs found this thread in a cross-processor send: what is left of its IPC is
     * canceled when the reply is back (XP_RETURN), since only the proxy may end the send.
     */
    public boolean cancelAtXpReturn() {
        return cancelAtXpReturn;
    }

    public void cancelAtXpReturn(boolean value) {
        cancelAtXpReturn = value;
    }

    public int trapVector() {
        return trapVector;
    }

    public void trapVector(int vector) {
        trapVector = vector;
    }

    public long faultAddress() {
        return faultAddress;
    }

    public boolean faultWrite() {
        return faultWrite;
    }

    public void fault(long address, boolean write) {
        faultAddress = address;
        faultWrite = write;
    }

    @Override
    public String toString() {
        return (exists() ? myself.toString() : "tcb#" + threadNumber) + "[" + state + "]";
    }
}
