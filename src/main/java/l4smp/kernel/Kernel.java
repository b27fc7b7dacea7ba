package l4smp.kernel;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.Cycles;
import l4smp.hw.Machine;
import l4smp.hw.MachineConfig;
import l4smp.hw.Mode;
import l4smp.hw.Reg;
import l4smp.hw.Software;
import l4smp.hw.mem.Access;
import l4smp.hw.mem.PhysicalWords;
import l4smp.kernel.boot.KernelInfoPage;
import l4smp.kernel.boot.SmpBoot;
import l4smp.kernel.ipc.IpcAbort;
import l4smp.kernel.ipc.IpcReturn;
import l4smp.kernel.ipc.ReceivePath;
import l4smp.kernel.ipc.SendPath;
import l4smp.kernel.ipc.TransmitPath;
import l4smp.kernel.irq.InterruptThreads;
import l4smp.kernel.irq.LazyFpu;
import l4smp.kernel.irq.Vectors;
import l4smp.kernel.migrate.Migration;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.mm.MappingDatabase;
import l4smp.kernel.mm.MappingLock;
import l4smp.kernel.mm.PageFaultHandler;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.sched.Dispatcher;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.ThreadSwitch;
import l4smp.kernel.sched.TimerTick;
import l4smp.kernel.syscall.SystemCalls;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Task;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbArea;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.kernel.xcpu.CrossProcessor;

/**
 * The L4 kernel: the {@link Software} the simulated Pentium SMP runs, one atomic step at a time.
 *
 * <p>A step on a CPU runs what that CPU's current thread resumes with (its {@link Resume}): user
 * code up to a trap, a fault or its budget; or one kernel path segment with interrupts disabled,
 * up to the next thread switch (DESIGN.md's atomic step). A CPU with no thread runs its
 * dispatcher, which selects the next thread or idles. An interrupt taken at a step boundary is a
 * step of its own. Before all that, each CPU runs its part of the SMP boot ({@link SmpBoot}, §8.2),
 * the only way a kernel starts: a CPU has a processor number, and so its {@link ProcessorData}, only
 * once it has taken one. After every step that ran kernel code, the {@link StepListener} is told
 * what ran and is shown a read-only {@link KernelView}.
 *
 * <p>The kernel's state is explicit: TCBs in the {@link TcbArea}, per-CPU {@link ProcessorData},
 * the {@link MappingDatabase}, the tasks. Each mechanism lives in its own class (subpackages by
 * mechanism); they reach each other through this object. Threads are modified only on their own
 * CPU (implementation decision 3, §8.3.5): {@link #checkLocal} enforces it.
 */
public final class Kernel implements Software {
    private final Machine machine;
    private final KernelConfig config;
    private final UserLand userLand;
    private final FrameAllocator frames;
    private final TcbArea tcbs;
    private final MappingDatabase mappings = new MappingDatabase();
    private final MappingLock mappingLock;
    private final Task[] tasks = new Task[ThreadId.TASKS];
    private final ProcessorData[] cpus;
    private final KernelInfoPage kernelInfoPage;
    private final Statistics statistics = new Statistics();
    private final StepRecorder step = new StepRecorder();
    private final KernelStateView view = new KernelStateView(this);
    private StepListener listener;
    private long kernelSteps;

    private final ThreadSwitch threadSwitch = new ThreadSwitch(this);
    private final Dispatcher dispatcher = new Dispatcher(this);
    private final TimerTick timer = new TimerTick(this);
    private final SendPath sendPath = new SendPath(this);
    private final ReceivePath receivePath = new ReceivePath(this);
    private final TransmitPath transmitPath = new TransmitPath(this);
    private final IpcReturn ipcReturn = new IpcReturn(this);
    private final IpcAbort ipcAbort = new IpcAbort(this);
    private final PageFaultHandler pageFaults = new PageFaultHandler(this);
    private final SystemCalls systemCalls = new SystemCalls(this);
    private final InterruptThreads interruptThreads = new InterruptThreads(this);
    private final LazyFpu fpu = new LazyFpu(this);
    private final TaskFactory taskFactory = new TaskFactory(this);
    private final CrossProcessor xcpu;
    private final Migration migration;
    private final SmpBoot smpBoot;

    Kernel(Machine machine, KernelConfig config, UserLand userLand) {
        this.machine = machine;
        this.config = config;
        this.userLand = userLand;
        if (config.kernelFrames() + 64 > machine.memory().frameCount()) {
            throw new IllegalArgumentException("the kernel's " + config.kernelFrames() + " frames leave sigma0 nothing of "
                    + machine.memory().frameCount() + " frames of memory");
        }
        this.frames = new FrameAllocator(machine.memory(), 1, config.kernelFrames());
        this.tcbs = new TcbArea(frames);
        this.kernelInfoPage = new KernelInfoPage(frames.allocateOrFail("the kernel info page"), machine);
        this.cpus = new ProcessorData[machine.cpuCount()];
        for (int id = 0; id < cpus.length; id++) {
            long page = (long) frames.allocateOrFail("cpu" + id + "'s local data") << 12;
            cpus[id] = new ProcessorData(id, machine, page);
        }
        this.mappingLock = new MappingLock((long) frames.allocateOrFail("the mapping lock") << 12, machine.cpuCount());
        this.xcpu = new CrossProcessor(this);
        this.migration = new Migration(this);
        this.smpBoot = new SmpBoot(this, frames.allocateOrFail("the startup routine and boot data"));
    }

    /**
     * Sets the kernel up on {@code machine} and installs it: routes every IRQ to the boot CPU
     * (masked until a handler attaches) and creates sigma0's address space, which maps every frame
     * above the kernel's pool idempotently (§2.2). Sigma0's thread, and everything else, the layer
     * above creates ({@link #createTask}, {@link #createThread}) before the machine runs. The
     * processors are numbered and the application processors started once the machine runs, by the
     * kernel's first steps ({@link SmpBoot}); a multi-CPU machine must power on with its bootstrap
     * processor only.
     */
    public static Kernel boot(Machine machine, KernelConfig config, UserLand userLand) {
        if (machine.cpuCount() > 1 && machine.config().powerOn() != MachineConfig.PowerOn.BOOTSTRAP_PROCESSOR_ONLY) {
            throw new IllegalArgumentException("the kernel starts the application processors itself (§8.2): build the "
                    + "machine with MachineConfig.withPowerOn(PowerOn.BOOTSTRAP_PROCESSOR_ONLY)");
        }
        Kernel kernel = new Kernel(machine, config, userLand);
        kernel.interruptThreads.routeAll(machine.cpu(0));
        kernel.createSigma0();
        machine.install(kernel);
        return kernel;
    }

    /** The task number of sigma0 (Version X: task 2). */
    public static final int SIGMA0_TASK = 2;

    private void createSigma0() {
        PhysicalWords memory = machine.memory();
        Task sigma0 = taskFactory.createTask(memory, ThreadId.of(SIGMA0_TASK, 0, 0), 0, 255, true);
        for (int frame = frames.limit(); frame < machine.memory().frameCount(); frame++) {
            long address = (long) frame << 12;
            if (address >= AddressSpace.USER_LIMIT) {
                break;
            }
            if (!sigma0.space().map(memory, address, address, true)) {
                throw new IllegalStateException("out of kernel memory while mapping sigma0's frames: give the kernel more frames");
            }
        }
    }

    /** Boot-time: a new task (free of cost, before the machine runs). */
    public Task createTask(ThreadId id, int mcp) {
        if (tasks[id.task()] != null) {
            throw new IllegalArgumentException("task " + id.task() + " exists already");
        }
        Task task = taskFactory.createTask(machine.memory(), id, SIGMA0_TASK, mcp, false);
        if (task == null) {
            throw new IllegalStateException("out of kernel memory creating task " + id.task());
        }
        return task;
    }

    /**
     * Boot-time: a new thread, ready to run at {@code eip} on the CPU that will take processor
     * number {@code cpu + 1} at boot; it runs once that CPU has left the boot barrier.
     */
    public Tcb createThread(Task task, int lthread, int cpu, int priority, ThreadId pager,
                            int eip, int esp) {
        if (tcbs.present(task.id().withLthread(lthread)) != null) {
            throw new IllegalArgumentException("thread " + task.id().withLthread(lthread) + " exists already");
        }
        Tcb tcb = taskFactory.createThread(machine.memory(), task, lthread, cpu, priority, config.timesliceCycles(),
                pager, eip, esp);
        if (tcb == null) {
            throw new IllegalStateException("out of kernel memory creating a thread of task " + task.number());
        }
        return tcb;
    }

    /**
     * Boot-time: maps {@code pages} pages of sigma0's (idempotent) space from physical address
     * {@code physical} to {@code va} of {@code task}, through the mapping database as if sigma0
     * had mapped them.
     */
    public MappingDatabase.Outcome mapFromSigma0(Task task, long va, long physical, int pages, boolean writable) {
        Task sigma0 = tasks[SIGMA0_TASK];
        MappingDatabase.Invalidation none = (space, page) -> { };
        for (int i = 0; i < pages; i++) {
            MappingDatabase.Outcome outcome = mappings.map(machine.memory(), sigma0.space(), physical + 4096L * i,
                    task.space(), va + 4096L * i, writable, false, none);
            if (outcome != MappingDatabase.Outcome.OK) {
                return outcome;
            }
        }
        return MappingDatabase.Outcome.OK;
    }

    // ---- Software: the machine calls these ----

    @Override
    public void step(Cpu cpu) {
        if (!smpBoot.isUp(cpu)) {
            bootStep(cpu);
            return;
        }
        ProcessorData local = smpBoot.processorOf(cpu);
        Tcb running = local.current();
        long start = cpu.millicycles();
        step.begin(local.id(), running);
        if (local.inMigrationPart()) {
            migration.partStep(local);
        } else if (local.timeoutsPending()) {
            timer.expireNext(local);
            if (!local.timeoutsPending() && running != null && local.current() == running
                    && running.resume() == Resume.USER && cpu.mode() == Mode.KERNEL) {
                threadSwitch.exitToUser(local, running); // the tick's interrupted thread, kept in the kernel till now
            }
        } else if (local.exitCheckPending()) {
            exitCheck(local, running);
        } else if (running == null) {
            dispatcher.run(local);
        } else {
            resume(local, running);
        }
        finish(local, running, start);
    }

    /** A step of the boot protocol: the CPU's boot time is its own, neither a thread's nor idle. */
    private void bootStep(Cpu cpu) {
        long start = cpu.millicycles();
        step.begin(-1, null);
        ProcessorData local = smpBoot.step(cpu);
        if (local != null) {
            step.cpu(local.id());
            local.addBoot(cpu.millicycles() - start);
        }
        report(cpu);
    }

    /**
     * The exit of a kernel path found mailbox flags set (§8.3.4: checking "each time the kernel mode
     * is left"): check_n_ack runs as a step of its own, then the CPU leaves the kernel.
     */
    private void exitCheck(ProcessorData local, Tcb running) {
        local.exitCheckPending(false);
        xcpu.exitCheck(local);
        if (running != null && local.current() == running && !local.inMigrationPart()) {
            returnFromInterrupt(local, running);
        }
    }

    private void resume(ProcessorData local, Tcb t) {
        switch (t.resume()) {
            case USER -> runUser(local, t);
            case SYSCALL -> systemCalls.enter(local, t);
            case PAGE_FAULT -> pageFaults.userFault(local, t);
            case FPU_FAULT -> fpu.deviceNotAvailable(local, t);
            case SEND_BLOCKED -> sendPath.resume(local, t);
            case RECEIVE_BLOCKED -> receivePath.resume(local, t);
            case LONG_COPY -> transmitPath.copy(local, t);
            case RECEIVER_FAULT -> transmitPath.redoFault(local, t);
            case XP_RETURN -> xcpu.sender().xpReturn(local, t);
            case PROXY -> xcpu.proxyPath().run(local, t.asProxy());
            case PROXY_ACTIVATED -> xcpu.proxyPath().activated(local, t.asProxy());
            case PROXY_COPY -> xcpu.proxyPath().copy(local, t.asProxy());
            case XP_OP_RETURN -> xcpu.operations().opReturn(local, t);
            case OPERATIONS -> xcpu.operations().run(local, t.asProxy());
            case MIGRATION -> migration.schedulerStep(local, t);
            case SEND_RESTART -> migration.restartSend(local, t);
            case NOWHERE -> throw new IllegalStateException("invariant violated: cpu" + local.id()
                    + " runs " + t + ", which has no continuation");
        }
    }

    @Override
    public void interrupt(Cpu cpu, int vector) {
        ProcessorData local = smpBoot.processorOf(cpu);
        if (local == null || !smpBoot.isUp(cpu)) {
            throw new IllegalStateException("invariant violated: cpu" + cpu.id() + " took vector " + vector
                    + " while booting (interrupts stay disabled until its dispatcher runs)");
        }
        Tcb interrupted = local.current();
        long start = cpu.millicycles();
        step.begin(local.id(), interrupted);
        if (interrupted != null && interrupted.resume() == Resume.USER) {
            System.arraycopy(cpu.registers().save(), 0, interrupted.savedRegisters(), 0, Reg.values().length);
        }
        if (vector == Vectors.TIMER) {
            timer.tick(local);
        } else if (Vectors.isIrq(vector)) {
            interruptThreads.interrupt(local, Vectors.irq(vector));
        } else if (vector == Vectors.XCPU) {
            xcpu.ipiHandler(local);
        } else {
            cpu.apic().eoi();
        }
        // a migration part triggered here runs next, on top of the interrupted thread, interrupts disabled
        if (local.current() == interrupted && interrupted != null && !local.inMigrationPart()) {
            returnFromInterrupt(local, interrupted);
        }
        finish(local, interrupted, start);
    }

    /**
     * The interrupted thread keeps the CPU: back to where the interrupt (or a migration part run on
     * top of it) found it: user mode, a long copy, or a thread_schedule call spinning in the kernel.
     */
    public void returnFromInterrupt(ProcessorData local, Tcb t) {
        switch (t.resume()) {
            case USER -> threadSwitch.exitToUser(local, t);
            case LONG_COPY, PROXY_COPY, MIGRATION -> local.cpu().iret(Mode.KERNEL);
            default -> throw new IllegalStateException("invariant violated: cpu" + local.id() + " took an interrupt while "
                    + t + " ran kernel code with interrupts disabled (" + t.resume() + ")");
        }
    }

    private void finish(ProcessorData local, Tcb ran, long start) {
        long spent = local.cpu().millicycles() - start;
        if (ran == null) {
            local.addIdle(spent);
        } else if (ran.exists()) {
            statistics.cycles(ran.myself(), spent, step.isKernelStep());
        }
        report(local.cpu());
    }

    /** Tells the listener about the step that ran on {@code cpu}, if it ran kernel code. */
    private void report(Cpu cpu) {
        if (step.isKernelStep()) {
            kernelSteps++;
            if (listener != null) {
                listener.afterStep(step.toStep(machine.steps() - 1, cpu.millicycles()), view);
            }
        }
    }

    /** The current thread runs user code until it traps, faults or has used its burst. */
    private void runUser(ProcessorData local, Tcb t) {
        Cpu cpu = local.cpu();
        if (cpu.mode() != Mode.USER) {
            throw new IllegalStateException("invariant violated: " + t + " resumes in user mode but cpu" + local.id()
                    + " is in kernel mode");
        }
        UserExit exit = userLand.run(cpu, t.myself(), Cycles.ofWhole(config.userBurstCycles()));
        if (exit.kind() == UserExit.Kind.BUDGET) {
            return;
        }
        cpu.enterKernel();
        System.arraycopy(cpu.registers().save(), 0, t.savedRegisters(), 0, Reg.values().length);
        switch (exit.kind()) {
            case TRAP -> {
                t.trapVector(exit.vector());
                t.resume(Resume.SYSCALL);
            }
            case PAGE_FAULT -> {
                t.fault(exit.fault().address(), exit.fault().access().isWrite());
                t.resume(Resume.PAGE_FAULT);
            }
            case FPU_UNAVAILABLE -> t.resume(Resume.FPU_FAULT);
            case INVALID -> {
                t.trapVector(SystemCalls.INVALID_INSTRUCTION);
                t.resume(Resume.SYSCALL);
            }
            default -> throw new IllegalStateException("unreachable");
        }
    }

    // ---- what the mechanisms share ----

    /**
     * Implementation decision 3 (§8.3.5): "every operation that modifies a thread runs on that
     * thread's CPU". A path about to modify {@code t} on {@code local} calls this first.
     */
    public void checkLocal(ProcessorData local, Tcb t) {
        if (t.cpu() != local.id()) {
            throw new IllegalStateException("implementation decision 3 violated: cpu" + local.id() + " modifies " + t
                    + ", which lives on cpu" + t.cpu() + " (cross-processor operations go through proxies)");
        }
    }

    /** The data of processor number {@code id + 1}, the kernel's CPU {@code id}. */
    public ProcessorData processor(int id) {
        return cpus[id];
    }

    /**
     * The machine's CPUs, 0..cpuCount-1 in the kernel's numbering: those that booted first, then
     * any masked out at boot, whose {@link ProcessorData} no CPU ever takes. The kernel lays its
     * per-CPU structures out for all of them before the boot decides who answers; what asks "every
     * CPU" at run time asks the {@link #processors()} that booted.
     */
    public int cpuCount() {
        return cpus.length;
    }

    /**
     * k, the processors that booted (§8.2: the kernel info page's count, lowered by those masked
     * out): the kernel's CPUs 0..k-1. 0 until the boot barrier opens, before which no kernel path
     * outside the boot runs.
     */
    public int processors() {
        return smpBoot.processors();
    }

    /** Charges {@code cycles} of instruction cost to {@code local}'s CPU. */
    public void charge(ProcessorData local, long cycles) {
        local.cpu().charge(cycles);
    }

    /** Charges an access to line {@code line} of {@code t}'s TCB and records that the step touched {@code t}. */
    public void touch(ProcessorData local, Tcb t, TcbLine line, Access access) {
        local.cpu().touch(t.line(line), access);
        step.touch(t);
    }

    /** Marks {@code t} stopped by the kernel: dead, out of every queue, its IPC partners told. */
    public void kill(ProcessorData local, Tcb t, String why) {
        checkLocal(local, t);
        step.segment(PathSegment.THREAD_KILL);
        ipcAbort.threadGone(local, t);
        t.state(ThreadState.DEAD);
        t.resume(Resume.NOWHERE);
        local.wakeupQueue().dequeue(t);
        fpu.forget(local, t);
        statistics.killed(t.myself(), why);
        if (local.current() == t) {
            threadSwitch.switchTo(local, null);
        }
    }

    public PhysicalWords physical(ProcessorData local) {
        return local.cpu().physical();
    }

    public Task sigma0() {
        return tasks[SIGMA0_TASK];
    }

    public Task task(int number) {
        return number >= 0 && number < tasks.length ? tasks[number] : null;
    }

    void task(int number, Task task) {
        tasks[number] = task;
    }

    /** Every task that exists, by number. */
    public List<Task> tasks() {
        List<Task> all = new ArrayList<>();
        for (Task t : tasks) {
            if (t != null && t.isAlive()) {
                all.add(t);
            }
        }
        return all;
    }

    public Machine machine() {
        return machine;
    }

    public KernelConfig config() {
        return config;
    }

    public FrameAllocator frames() {
        return frames;
    }

    public TcbArea tcbs() {
        return tcbs;
    }

    public MappingDatabase mappings() {
        return mappings;
    }

    /** The spinlock every change of the mapping database and the page tables holds (§6). */
    public MappingLock mappingLock() {
        return mappingLock;
    }

    public KernelInfoPage kernelInfoPage() {
        return kernelInfoPage;
    }

    public Statistics statistics() {
        return statistics;
    }

    /** What the step running now has done so far. */
    public StepRecorder step() {
        return step;
    }

    public KernelView view() {
        return view;
    }

    /** Atomic kernel steps run so far (steps that ran only user code are not counted). */
    public long kernelSteps() {
        return kernelSteps;
    }

    public void listener(StepListener newListener) {
        listener = newListener;
        step.observe(newListener != null);
    }

    public ThreadSwitch threadSwitch() {
        return threadSwitch;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public SendPath sendPath() {
        return sendPath;
    }

    public ReceivePath receivePath() {
        return receivePath;
    }

    public TransmitPath transmitPath() {
        return transmitPath;
    }

    public IpcReturn ipcReturn() {
        return ipcReturn;
    }

    public IpcAbort ipcAbort() {
        return ipcAbort;
    }

    public PageFaultHandler pageFaults() {
        return pageFaults;
    }

    public InterruptThreads interruptThreads() {
        return interruptThreads;
    }

    public LazyFpu fpu() {
        return fpu;
    }

    public TaskFactory taskFactory() {
        return taskFactory;
    }

    /** Thread migration: thread_schedule's transfer, parts A, B and C and their barriers (§8.7). */
    public Migration migration() {
        return migration;
    }

    /** The SMP boot (§8.2): which CPU has which processor number, who was masked out. */
    public SmpBoot smpBoot() {
        return smpBoot;
    }

    /** The cross-processor machinery: mailboxes, triggering, proxies (§8.3.4, §8.4). */
    public CrossProcessor xcpu() {
        return xcpu;
    }
}
