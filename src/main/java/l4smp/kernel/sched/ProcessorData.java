package l4smp.kernel.sched;

import java.util.ArrayDeque;
import l4smp.hw.Cpu;
import l4smp.kernel.migrate.MigrationPart;
import l4smp.kernel.thread.Tcb;

/**
 * One CPU's kernel data (§8.8: per-processor data found from the processor number; §8.8.3: "the
 * dispatcher thread and the ready queues are processor local"): its ready lists, its wakeup queue,
 * the thread it runs (null while its dispatcher/idle thread runs), the FPU owner for lazy FPU
 * switching, and whether its timer ticks. Only the CPU itself touches this data (design decision
 * 1); its ready lists and wakeup queue charge their accesses to that CPU, which refuses a step of
 * another CPU (so a cross-processor access fails loudly instead of passing unnoticed).
 *
 * <p>The data lives in a kernel frame of its own: the ready-list heads in its first kilobyte, the
 * wakeup-queue head and the current-thread pointer after them.
 */
public final class ProcessorData {
    private final Cpu cpu;
    private final long page;
    private final ReadyList readyList;
    private final WakeupQueue wakeupQueue;
    private Tcb current;
    private Tcb fpuOwner;
    private boolean timerRunning;
    private boolean timeoutsPending;
    private boolean exitCheckPending;
    /** The migration part (B or C, §8.7.2) this CPU executes with interrupts disabled, or null. */
    private MigrationPart migrationPart;
    /** Migration parts triggered here (check_n_ack found their flags), not yet entered. */
    private final ArrayDeque<MigrationPart> triggeredParts = new ArrayDeque<>();
    private long idleMillicycles;

    public ProcessorData(Cpu cpu, long page) {
        this.cpu = cpu;
        this.page = page;
        this.readyList = new ReadyList(cpu, page);
        this.wakeupQueue = new WakeupQueue(cpu, page + 4L * ReadyList.PRIORITIES);
    }

    public Cpu cpu() {
        return cpu;
    }

    public int id() {
        return cpu.id();
    }

    /** Physical address of the current-thread pointer in this CPU's data page. */
    public long currentPointer() {
        return page + 4L * ReadyList.PRIORITIES + 4;
    }

    public ReadyList readyList() {
        return readyList;
    }

    public WakeupQueue wakeupQueue() {
        return wakeupQueue;
    }

    /** The thread this CPU runs, or null while the dispatcher (idle) thread runs. */
    public Tcb current() {
        return current;
    }

    public void current(Tcb thread) {
        current = thread;
    }

    public Tcb fpuOwner() {
        return fpuOwner;
    }

    public void fpuOwner(Tcb owner) {
        fpuOwner = owner;
    }

    public boolean timerRunning() {
        return timerRunning;
    }

    public void timerRunning(boolean running) {
        timerRunning = running;
    }

    /** More timeouts expired than the last tick handled: the next step handles the next one. */
    public boolean timeoutsPending() {
        return timeoutsPending;
    }

    public void timeoutsPending(boolean pending) {
        timeoutsPending = pending;
    }

    /** A kernel exit found mailbox flags set: the next step runs check_n_ack, then leaves the kernel. */
    public boolean exitCheckPending() {
        return exitCheckPending;
    }

    public void exitCheckPending(boolean pending) {
        exitCheckPending = pending;
    }

    /** The migration part this CPU executes now, interrupts disabled, or null (MigrationBarriers' {@code part[c]}). */
    public MigrationPart migrationPart() {
        return migrationPart;
    }

    public void migrationPart(MigrationPart part) {
        migrationPart = part;
    }

    /** Migration parts check_n_ack found triggered for this CPU, first first; each is entered in a step of its own. */
    public ArrayDeque<MigrationPart> triggeredParts() {
        return triggeredParts;
    }

    /** Whether this CPU's next step belongs to a migration part (one it executes, or one triggered here). */
    public boolean inMigrationPart() {
        return migrationPart != null || !triggeredParts.isEmpty();
    }

    public long idleMillicycles() {
        return idleMillicycles;
    }

    public void addIdle(long millicycles) {
        idleMillicycles += millicycles;
    }
}
