package l4smp.hw;

import l4smp.hw.mem.Access;
import l4smp.hw.mem.Mmu;
import l4smp.hw.mem.PageFault;
import l4smp.hw.mem.PhysicalWords;
import l4smp.hw.mem.Tlb;

/**
 * One Pentium CPU of the SMP: a cycle counter, the interrupt flag, user or kernel mode, CR3 and
 * the MMU with its TLB, CR2, the general registers, the Task Register that holds the processor
 * number (§8.8.1), and its local APIC.
 *
 * <p>The methods that model instructions charge their cost to this CPU's {@link LocalClock} and
 * may be called only during this CPU's own step (or before the machine runs, for setup). Memory
 * comes in three kinds of access, all charged through the caches:
 * <ul>
 *   <li>virtual, through the MMU, moving data: {@link #load}, {@link #store}, {@link #loadByte},
 *       {@link #storeByte} (user programs, and the kernel copying long messages);</li>
 *   <li>physical, moving data: {@link #physical()}, {@link #loadPhysical}, {@link #storePhysical}
 *       and the locked read-modify-write instructions (page tables, mailboxes, spinlocks);</li>
 *   <li>charge only, no data moved: {@link #touch}, {@link #touchRange}, {@link #touchVirtual},
 *       for kernel data the layer above keeps as Java objects (a TCB field read costs what
 *       reading the TCB's address costs).</li>
 * </ul>
 * Observers ({@link #millicycles()}, {@link #mode()}, {@link #tlb()}, ...) are free.
 *
 * <p>A CPU runs only in {@link StartupState#RUNNING}. On a machine that powers on with the
 * bootstrap processor only, every other CPU starts in {@link StartupState#RESET} and is started by
 * an INIT and then a STARTUP IPI from another CPU's local APIC (§8.2).
 */
public final class Cpu {
    /** Words of the FPU state image that fsave stores and frstor loads (108 bytes). */
    public static final int FPU_STATE_WORDS = 27;

    /**
     * Where a CPU is in the Pentium's startup protocol (§8.2: "the kernel sends a startup
     * inter-processor interrupt (IPI) to all the other processors in the system"; the Intel
     * MultiProcessor Specification's INIT, then STARTUP).
     */
    public enum StartupState {
        /** Executing: the bootstrap processor from power-on, any other CPU once a STARTUP IPI started it. */
        RUNNING,
        /** After power-on, not the bootstrap processor: does nothing until an INIT IPI. */
        RESET,
        /** INIT received: the next STARTUP IPI starts it at the page its vector names. */
        WAITING_FOR_STARTUP
    }

    private final int id;
    private final Machine machine;
    private final LocalClock clock = new LocalClock();
    private final Registers registers = new Registers();
    private final Mmu mmu;
    private final LocalApic apic;
    private final PhysicalWords physical = new PhysicalWords() {
        @Override
        public int readWord(long pa) {
            return loadPhysical(pa);
        }

        @Override
        public void writeWord(long pa, int value) {
            storePhysical(pa, value);
        }
    };

    private Mode mode = Mode.KERNEL;
    private StartupState startup;
    /** Never leaves reset: ignores INIT and STARTUP (§8.2: a processor that does not reply). */
    private final boolean failsToStart;
    private boolean interruptsEnabled;
    private boolean halted;
    private long cr3;
    private long cr2;
    private int taskRegister;
    private long kernelEntries;
    /** The FPU's state as the 108-byte image fsave writes, 27 words. */
    private final int[] fpu = new int[FPU_STATE_WORDS];
    /** CR0.TS: the next FPU instruction raises {@link DeviceNotAvailable}. */
    private boolean taskSwitched;

    Cpu(int id, Machine machine) {
        this.id = id;
        this.machine = machine;
        this.mmu = new Mmu(new Tlb(machine.config().tlb()), physical);
        this.apic = new LocalApic(this, machine);
        MachineConfig config = machine.config();
        this.startup = id == 0 || config.powerOn() == MachineConfig.PowerOn.ALL_CPUS_RUN
                ? StartupState.RUNNING : StartupState.RESET;
        this.failsToStart = config.fails(id);
    }

    // ---- time ----

    /** Charges {@code cycles} whole cycles of instruction cost that the layer above states. */
    public void charge(long cycles) {
        chargeMillicycles(Cycles.ofWhole(cycles));
    }

    /** Charges a cost in millicycles (see {@link Cycles}). */
    public void chargeMillicycles(long millicycles) {
        checkActor();
        clock.charge(millicycles);
    }

    /** rdtsc: the cycle counter in whole cycles. Free: §3.2 subtracts the cost of measuring. */
    public long rdtsc() {
        return Cycles.wholeCycles(clock.now());
    }

    // ---- virtual memory ----

    /** Reads the 32-bit word at {@code va} (4-byte aligned) through the MMU. */
    public int load(long va) {
        long pa = translate(checkWordAligned(va), Access.READ);
        access(pa, false);
        return machine.memory().readWord(pa);
    }

    public void store(long va, int value) {
        long pa = translate(checkWordAligned(va), Access.WRITE);
        access(pa, true);
        machine.memory().writeWord(pa, value);
    }

    public int loadByte(long va) {
        long pa = translate(va, Access.READ);
        access(pa, false);
        return machine.memory().readByte(pa);
    }

    public void storeByte(long va, int value) {
        long pa = translate(va, Access.WRITE);
        access(pa, true);
        machine.memory().writeByte(pa, value);
    }

    /** Translates and charges an access to {@code va} without moving data; returns the physical address. */
    public long touchVirtual(long va, Access kind) {
        long pa = translate(va, kind);
        access(pa, kind.isWrite());
        return pa;
    }

    /** The MMU's translation in the current mode, setting CR2 on a fault. */
    private long translate(long va, Access kind) {
        checkActor();
        if (va < 0 || va > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(String.format("cpu%d: 0x%x is not a 32-bit virtual address", id, va));
        }
        try {
            return mmu.translate(cr3, va, kind, mode == Mode.USER);
        } catch (PageFault fault) {
            cr2 = va;
            machine.log().record(EventKind.PAGE_FAULT, id, clock.now(), va, fault.errorCode());
            throw fault;
        }
    }

    // ---- physical memory ----

    /** This CPU's charged view of physical memory, for page-table walks and {@link l4smp.hw.mem.PageTables}. */
    public PhysicalWords physical() {
        return physical;
    }

    public int loadPhysical(long pa) {
        access(checkWordAligned(pa), false);
        return machine.memory().readWord(pa);
    }

    public void storePhysical(long pa, int value) {
        access(checkWordAligned(pa), true);
        machine.memory().writeWord(pa, value);
    }

    /** Charges one read or write of physical address {@code pa}, moving no data. */
    public void touch(long pa, Access kind) {
        access(pa, kind.isWrite());
    }

    /** Charges one access to each 32-byte line of {@code bytes} bytes from {@code pa}. */
    public void touchRange(long pa, int bytes, Access kind) {
        if (bytes <= 0) {
            return;
        }
        long firstLine = pa >>> 5;
        long lastLine = (pa + bytes - 1) >>> 5;
        for (long line = firstLine; line <= lastLine; line++) {
            access(line << 5, kind.isWrite());
        }
    }

    // ---- locked read-modify-write (§8.3.4, Appendix A); atomic because a step is ----

    /** xchg: stores {@code value}, returns the old word. */
    public int xchg(long pa, int value) {
        lockedAccess(pa);
        int old = machine.memory().readWord(pa);
        machine.memory().writeWord(pa, value);
        return old;
    }

    /** lock xadd: adds {@code delta}, returns the old word (§8.8.1 numbers the processors with it). */
    public int xadd(long pa, int delta) {
        lockedAccess(pa);
        int old = machine.memory().readWord(pa);
        machine.memory().writeWord(pa, old + delta);
        return old;
    }

    /** lock cmpxchg: if the word equals {@code expected} stores {@code update}; returns the old word. */
    public int cmpxchg(long pa, int expected, int update) {
        lockedAccess(pa);
        int old = machine.memory().readWord(pa);
        if (old == expected) {
            machine.memory().writeWord(pa, update);
        }
        return old;
    }

    /** lock bts: sets bit {@code bit} (0..31) of the word; returns its old value (the carry flag). */
    public boolean lockBts(long pa, int bit) {
        if (bit < 0 || bit > 31) {
            throw new IllegalArgumentException("bts bit " + bit + " is not in 0..31");
        }
        lockedAccess(pa);
        int old = machine.memory().readWord(pa);
        machine.memory().writeWord(pa, old | (1 << bit));
        return (old & (1 << bit)) != 0;
    }

    private void lockedAccess(long pa) {
        access(checkWordAligned(pa), true);
        clock.charge(machine.costs().lockedOverhead());
    }

    private void access(long pa, boolean write) {
        checkActor();
        if (!machine.memory().contains(pa)) {
            throw new IllegalArgumentException(String.format(
                    "cpu%d: physical address 0x%x is outside the %d KB of physical memory",
                    id, pa, machine.memory().sizeBytes() / 1024));
        }
        clock.charge(machine.caches().access(id, pa, write, clock.now()));
        machine.log().record(EventKind.MEMORY_ACCESS, id, clock.now(), pa, write ? 1 : 0);
    }

    private long checkWordAligned(long address) {
        if ((address & 3) != 0) {
            throw new IllegalArgumentException(String.format(
                    "cpu%d: word access at 0x%x is not 4-byte aligned", id, address));
        }
        return address;
    }

    // ---- privilege, interrupts ----

    /**
     * Enters kernel mode through an interrupt gate: charges {@link CostModel#kernelEntry()} and
     * disables interrupts. The machine does this itself when it delivers an interrupt; the layer
     * above calls it for a system call (int) or an exception such as a page fault.
     */
    public void enterKernel() {
        chargeMillicycles(machine.costs().kernelEntry());
        mode = Mode.KERNEL;
        interruptsEnabled = false;
        kernelEntries++;
    }

    /** iret: returns to code running in {@code to} with interrupts enabled; charges {@link CostModel#kernelExit()}. */
    public void iret(Mode to) {
        privileged("iret");
        chargeMillicycles(machine.costs().kernelExit());
        mode = to;
        interruptsEnabled = true;
    }

    public void cli() {
        privileged("cli");
        interruptsEnabled = false;
    }

    /** sti: a deliverable interrupt is taken at the end of the current step. */
    public void sti() {
        privileged("sti");
        interruptsEnabled = true;
    }

    /**
     * hlt: after this step the CPU does nothing until an interrupt is deliverable and its
     * interrupts are enabled (halting with interrupts disabled stops it for good).
     */
    public void halt() {
        privileged("hlt");
        halted = true;
        machine.log().record(EventKind.HALT, id, clock.now(), 0, 0);
    }

    /** The machine delivers {@code request}: wakes the CPU if halted and enters the kernel. */
    void takeInterrupt(Interrupt request) {
        clock.waitUntil(request.arrival());
        apic.accept(request);
        if (halted) {
            halted = false;
            machine.log().record(EventKind.WAKE, id, clock.now(), request.vector(), 0);
        }
        machine.log().record(EventKind.INTERRUPT, id, clock.now(), request.vector(), request.source());
        enterKernel();
    }

    // ---- startup: INIT and STARTUP IPIs arriving (machine events) ----

    /**
     * An INIT IPI arrived: a CPU in reset (or waiting for STARTUP) now waits for STARTUP; a failing
     * CPU ignores it.
     *
     * @throws IllegalStateException if this CPU runs: INIT would reset it, which is not modelled
     */
    void init(long time, int sender) {
        boolean answers = !failsToStart;
        if (answers && startup == StartupState.RUNNING) {
            throw new IllegalStateException("an INIT IPI from cpu" + sender + " reached cpu" + id + ", which runs: INIT "
                    + "would reset it, which this machine does not model; send INIT only to CPUs in reset");
        }
        if (answers) {
            startup = StartupState.WAITING_FOR_STARTUP;
        }
        machine.log().record(EventKind.INIT_ARRIVE, id, time, answers ? 1 : 0, sender);
    }

    /**
     * A STARTUP IPI arrived with {@code vector}: a CPU waiting for it starts executing at physical
     * address {@code vector * 4096} (EIP) at the moment of arrival, in kernel mode with interrupts
     * disabled (the model has no real mode: the startup routine's switch to protected mode is an
     * instruction cost of the software). A CPU in any other state, or a failing one, ignores it.
     */
    void startup(long time, int vector) {
        boolean starts = !failsToStart && startup == StartupState.WAITING_FOR_STARTUP;
        if (starts) {
            startup = StartupState.RUNNING;
            mode = Mode.KERNEL;
            interruptsEnabled = false;
            halted = false;
            registers.set(Reg.EIP, vector << 12);
            clock.waitUntil(time);
        }
        machine.log().record(EventKind.STARTUP_ARRIVE, id, time, vector, starts ? 1 : 0);
    }

    // ---- control registers ----

    /** mov cr3: switches address space and flushes every non-global TLB entry (§3.1.1). */
    public void loadCr3(long pageDirectory) {
        privileged("mov cr3");
        if ((pageDirectory & 0xFFF) != 0 || !machine.memory().contains(pageDirectory)) {
            throw new IllegalArgumentException(String.format(
                    "cpu%d: CR3 must hold a 4 KB aligned address in physical memory, not 0x%x", id, pageDirectory));
        }
        clock.charge(machine.costs().cr3Load());
        cr3 = pageDirectory;
        mmu.tlb().flushNonGlobal();
        machine.log().record(EventKind.CR3_LOAD, id, clock.now(), pageDirectory, 0);
    }

    /** invlpg: drops this CPU's translation of {@code va}; other CPUs' TLBs keep theirs (§3.1.1). */
    public void invlpg(long va) {
        privileged("invlpg");
        clock.charge(machine.costs().invlpg());
        mmu.tlb().invalidatePage(va);
        machine.log().record(EventKind.INVLPG, id, clock.now(), va, 0);
    }

    /** Toggling CR4.PGE: flushes global translations too. */
    public void flushTlbWithGlobals() {
        privileged("mov cr4");
        clock.charge(machine.costs().cr3Load());
        mmu.tlb().flushAll();
        machine.log().record(EventKind.CR3_LOAD, id, clock.now(), cr3, 1);
    }

    /** ltr: loads the Task Register, which L4 uses to hold the processor number (§8.8.1). */
    public void ltr(int processorNumber) {
        privileged("ltr");
        taskRegister = processorNumber;
    }

    /** str: reads the Task Register, in user mode too (§8.8.1: "roughly 10 cycles"). */
    public int str() {
        chargeMillicycles(machine.costs().taskRegisterRead());
        return taskRegister;
    }

    private void privileged(String instruction) {
        checkActor();
        if (mode != Mode.KERNEL) {
            throw new IllegalStateException("cpu" + id + ": " + instruction + " is privileged; user mode must not execute it");
        }
    }

    private void checkActor() {
        Cpu running = machine.running();
        if (running != null && running != this) {
            throw new IllegalStateException("a step of cpu" + running.id() + " drove cpu" + id
                    + "; a step must use only the CPU it was given");
        }
    }

    // ---- FPU, for lazy FPU switching ----

    /**
     * An FPU instruction that reads word {@code index} of the FPU state (the model keeps the
     * state as the fsave image and lets an instruction touch one word of it).
     *
     * @throws DeviceNotAvailable if CR0.TS is set
     */
    public int fpuRead(int index) {
        checkFpu(index);
        return fpu[index];
    }

    /** An FPU instruction that writes word {@code index} of the FPU state. */
    public void fpuWrite(int index, int value) {
        checkFpu(index);
        fpu[index] = value;
    }

    private void checkFpu(int index) {
        checkActor();
        if (index < 0 || index >= FPU_STATE_WORDS) {
            throw new IllegalArgumentException("FPU state word " + index + " is not in 0.." + (FPU_STATE_WORDS - 1));
        }
        if (taskSwitched) {
            throw new DeviceNotAvailable(id);
        }
    }

    /**
     * fsave: stores the FPU state at physical {@code pa} (each word charged) and reinitialises
     * the FPU. An FPU instruction too: the kernel clears TS first.
     */
    public void fsave(long pa) {
        checkFpu(0);
        for (int i = 0; i < FPU_STATE_WORDS; i++) {
            storePhysical(pa + 4L * i, fpu[i]);
        }
        java.util.Arrays.fill(fpu, 0);
    }

    /** frstor: loads the FPU state from physical {@code pa}. */
    public void frstor(long pa) {
        checkFpu(0);
        for (int i = 0; i < FPU_STATE_WORDS; i++) {
            fpu[i] = loadPhysical(pa + 4L * i);
        }
    }

    /** Sets CR0.TS (the kernel does so on a thread switch). */
    public void setTaskSwitched() {
        privileged("mov cr0");
        taskSwitched = true;
    }

    /** clts: clears CR0.TS. */
    public void clts() {
        privileged("clts");
        taskSwitched = false;
    }

    public boolean taskSwitched() {
        return taskSwitched;
    }

    // ---- observers ----

    /** The CPU's number, 0..14, which is also its APIC id. */
    public int id() {
        return id;
    }

    /** The clock in millicycles. */
    public long millicycles() {
        return clock.now();
    }

    public LocalClock clock() {
        return clock;
    }

    public Mode mode() {
        return mode;
    }

    public boolean interruptsEnabled() {
        return interruptsEnabled;
    }

    public boolean isHalted() {
        return halted;
    }

    public StartupState startupState() {
        return startup;
    }

    /** Whether the CPU runs (see {@link StartupState}); one in reset takes no step. */
    public boolean isStarted() {
        return startup == StartupState.RUNNING;
    }

    /** Whether fixed interrupts (IPIs with a vector, device interrupts) can be delivered to this CPU. */
    boolean acceptsFixedInterrupts() {
        return isStarted() && apic.isEnabled();
    }

    /** Whether an IPI this CPU sent waits for a slot (§8.3.4), so the CPU cannot run. */
    public boolean isStalled() {
        return apic.stalled();
    }

    public long cr3() {
        return cr3;
    }

    /** The address of the last page fault. */
    public long cr2() {
        return cr2;
    }

    /** The Task Register, without the cost of {@link #str()}. */
    public int taskRegister() {
        return taskRegister;
    }

    public Registers registers() {
        return registers;
    }

    public Tlb tlb() {
        return mmu.tlb();
    }

    public Mmu mmu() {
        return mmu;
    }

    public LocalApic apic() {
        return apic;
    }

    public long kernelEntries() {
        return kernelEntries;
    }

    public Machine machine() {
        return machine;
    }

    @Override
    public String toString() {
        if (startup != StartupState.RUNNING) {
            return "cpu" + id + " " + (startup == StartupState.RESET ? "in reset" : "waiting for STARTUP")
                    + (failsToStart ? " (fails to start)" : "");
        }
        return "cpu" + id + "@" + Cycles.format(clock.now()) + (halted ? " halted" : "")
                + (isStalled() ? " stalled" : "") + " " + mode.name().toLowerCase()
                + (interruptsEnabled ? " sti" : " cli");
    }
}
