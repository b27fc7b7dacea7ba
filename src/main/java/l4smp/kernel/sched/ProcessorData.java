package l4smp.kernel.sched;

import java.util.ArrayDeque;
import l4smp.hw.Cpu;
import l4smp.kernel.migrate.MigrationPart;
import l4smp.hw.Machine;
import l4smp.hw.mem.Access;
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
 *
 * <p>It belongs to a processor number, not to a chip: §8.8.1 finds "the ith processor's data" from
 * the number a CPU took at boot, and which CPU takes which number is decided only then (§8.2). So
 * the data has no CPU until one {@link #bind}s it; before the machine runs the loader may fill its
 * ready lists for free, and once it runs, using the data of a number no CPU took (a CPU still
 * booting, or masked out because it did not answer) is an error.
 */
public final class ProcessorData {
    /** The processor number minus one: the kernel's name for the CPU, as in {@code Tcb.cpu()}. */
    private final int id;
    private final Machine machine;
    private Cpu cpu;
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
    private long bootMillicycles;

    /** The data of processor number {@code id + 1}, in kernel frame {@code page}, not yet bound to a CPU. */
    public ProcessorData(int id, Machine machine, long page) {
        this.id = id;
        this.machine = machine;
        this.page = page;
        this.readyList = new ReadyList(this::touch, page);
        this.wakeupQueue = new WakeupQueue(this::touch, page + 4L * ReadyList.PRIORITIES);
    }

    /** Boot: {@code owner} took this processor number (§8.8.1) and uses this data from now on. */
    public void bind(Cpu owner) {
        if (cpu != null) {
            throw new IllegalStateException("invariant violated: processor number " + (id + 1) + " is cpu" + cpu.id()
                    + "'s already; cpu" + owner.id() + " cannot take it too");
        }
        cpu = owner;
    }

    private void touch(long pa, Access access) {
        if (cpu != null) {
            cpu.touch(pa, access);
        } else if (machine.steps() > 0) {
            throw new IllegalStateException("invariant violated: cpu" + id + "'s data is used, but no CPU has taken "
                    + "processor number " + (id + 1) + " (it has not booted yet, or was masked out at boot, §8.2)");
        }
    }

    /** The CPU that took this processor number at boot, or null if none has (yet). */
    public Cpu cpu() {
        return cpu;
    }

    /** Whether a CPU has taken this processor number. */
    public boolean started() {
        return cpu != null;
    }

    /** The kernel's number for this CPU: its processor number minus one (the thesis numbers 1..k, §7.1). */
    public int id() {
        return id;
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

    /** Millicycles this CPU spent in boot steps (§8.2): its part of the barrier, its local setup. */
    public long bootMillicycles() {
        return bootMillicycles;
    }

    public void addBoot(long millicycles) {
        bootMillicycles += millicycles;
    }
}
