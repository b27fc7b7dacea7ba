package l4smp.hw;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import l4smp.hw.cache.CacheHierarchy;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.hw.sched.Candidates;
import l4smp.hw.sched.ChoiceList;
import l4smp.hw.sched.Scheduler;

/**
 * The simulated Intel Pentium SMP: CPUs with local APICs, per-CPU caches kept coherent by MESI,
 * per-CPU TLBs, and shared physical memory, driven one atomic step at a time.
 *
 * <p>{@link #step()} is the whole execution model. The scheduler is shown the candidates (each CPU
 * that can run, and the earliest pending hardware event) and picks one:
 * <ul>
 *   <li>a hardware event happens: an IPI reaches its target's IRR, a timer tick does, a device
 *       raises an IO-APIC input, or a device interrupt reaches its CPU's IRR;</li>
 *   <li>a CPU takes a step: if its interrupts are enabled and its APIC has a deliverable request,
 *       the step is taking that interrupt ({@link Software#interrupt}); otherwise it is
 *       {@link Software#step}.</li>
 * </ul>
 * Every choice is recorded ({@link #choices()}), so any run can be replayed exactly. Time advances
 * only in each CPU's {@link LocalClock}; see there. A CPU in reset (see
 * {@link MachineConfig.PowerOn}) is never a candidate until a STARTUP IPI has started it.
 */
public final class Machine {
    private final MachineConfig config;
    private final PhysicalMemory memory;
    private final CacheHierarchy caches;
    private final Cpu[] cpus;
    private final EventQueue events = new EventQueue();
    private final IoApic ioApic;
    private final Scheduler scheduler;
    private final EventLog log;
    private final CandidateSet candidates = new CandidateSet();
    /** Every choice so far, one byte each (a CPU number or -1). */
    private byte[] recorded = new byte[1024];
    private Software software;
    private Cpu running;
    private long steps;
    private long hardwareEvents;
    private long interruptsTaken;

    /** A machine with no event log. */
    public Machine(MachineConfig config, Scheduler scheduler) {
        this(config, scheduler, EventLog.off());
    }

    public Machine(MachineConfig config, Scheduler scheduler, EventLog log) {
        this.config = config;
        this.scheduler = scheduler;
        this.log = log;
        this.memory = new PhysicalMemory(config.memoryFrames());
        this.caches = new CacheHierarchy(config.cpus(), config.l1(), config.l2(), config.costs()::of);
        this.cpus = new Cpu[config.cpus()];
        for (int id = 0; id < cpus.length; id++) {
            cpus[id] = new Cpu(id, this);
        }
        this.ioApic = new IoApic(this);
    }

    /** Plugs in what runs on the machine; once, before the first step. */
    public void install(Software newSoftware) {
        if (software != null) {
            throw new IllegalStateException("the machine already runs " + software);
        }
        this.software = newSoftware;
    }

    /**
     * Takes one step: a hardware event or one CPU's atomic step, as the scheduler chooses.
     *
     * @return false if nothing can happen any more (see {@link RunResult.Reason#QUIESCENT})
     */
    public boolean step() {
        if (software == null) {
            throw new IllegalStateException("install the software before running the machine");
        }
        if (candidates.collect() == 0) {
            return false;
        }
        int choice = scheduler.choose(candidates);
        if (!candidates.contains(choice)) {
            throw new IllegalStateException("scheduler " + scheduler + " chose " + choice
                    + ", which is not a candidate: " + candidates.describe());
        }
        if (steps == recorded.length) {
            if (steps >= Integer.MAX_VALUE / 2) {
                throw new IllegalStateException("a run is limited to " + steps + " recorded steps");
            }
            recorded = Arrays.copyOf(recorded, recorded.length * 2);
        }
        recorded[(int) steps] = (byte) choice;
        long number = steps++;
        if (choice == Scheduler.EVENT) {
            fire(events.poll(), number);
        } else {
            runStep(cpus[choice], number);
        }
        return true;
    }

    private void fire(HwEvent event, long number) {
        hardwareEvents++;
        log.record(EventKind.STEP, event.kind == HwEvent.Kind.DEVICE_RAISE ? -1 : event.target, event.time, number,
                Scheduler.EVENT);
        switch (event.kind) {
            case IPI_ARRIVAL -> cpus[event.target].apic().arrive(event);
            case TIMER_TICK -> cpus[event.target].apic().tick(event);
            case DEVICE_RAISE -> ioApic.raised(event);
            case DEVICE_ARRIVAL -> ioApic.arrived(event);
            case INIT_ARRIVAL -> cpus[event.target].init(event.time, (int) event.tag);
            case STARTUP_ARRIVAL -> cpus[event.target].startup(event.time, event.vector);
            default -> throw new IllegalStateException("unknown hardware event " + event.kind);
        }
    }

    private void runStep(Cpu cpu, long number) {
        running = cpu;
        try {
            log.record(EventKind.STEP, cpu.id(), cpu.millicycles(), number, cpu.id());
            Interrupt request = cpu.interruptsEnabled() ? cpu.apic().deliverable() : null;
            if (request != null) {
                interruptsTaken++;
                cpu.takeInterrupt(request);
                software.interrupt(cpu, request.vector());
            } else {
                software.step(cpu);
            }
        } finally {
            running = null;
        }
    }

    /** Whether {@code cpu} may be chosen: started, not stalled, and not halted unless an interrupt will wake it. */
    private static boolean canRun(Cpu cpu) {
        if (!cpu.isStarted() || cpu.isStalled()) {
            return false;
        }
        return !cpu.isHalted() || (cpu.interruptsEnabled() && cpu.apic().deliverable() != null);
    }

    /** Steps until {@code maxSteps} steps are taken or nothing can happen. */
    public RunResult run(long maxSteps) {
        return runUntil(() -> false, maxSteps);
    }

    /** Steps until {@code stop} holds (checked before each step), {@code maxSteps} are taken, or nothing can happen. */
    public RunResult runUntil(BooleanSupplier stop, long maxSteps) {
        long taken = 0;
        while (taken < maxSteps) {
            if (stop.getAsBoolean()) {
                return new RunResult(taken, RunResult.Reason.CONDITION);
            }
            if (!step()) {
                return new RunResult(taken, RunResult.Reason.QUIESCENT);
            }
            taken++;
        }
        return new RunResult(taken, RunResult.Reason.STEP_LIMIT);
    }

    /** Every choice made so far, to save or replay. */
    public ChoiceList choices() {
        int[] choices = new int[(int) steps];
        for (int i = 0; i < choices.length; i++) {
            choices[i] = recorded[i];
        }
        return ChoiceList.of(choices);
    }

    /** One line per CPU and the next event: what each is doing, for messages about a stuck run. */
    public String describeState() {
        StringBuilder text = new StringBuilder();
        for (Cpu cpu : cpus) {
            text.append(cpu).append(", IRR ").append(cpu.apic().pending()).append(", in service ")
                    .append(cpu.apic().inService()).append(", slots held ").append(cpu.apic().slotsHeld())
                    .append('\n');
        }
        HwEvent next = events.peek();
        text.append(next == null ? "no pending hardware event"
                : "next event " + next.kind + (next.kind == HwEvent.Kind.DEVICE_RAISE ? " of IRQ " : " for cpu")
                        + next.target + " at " + Cycles.format(next.time));
        return text.toString();
    }

    public MachineStats stats() {
        long tlbHits = 0;
        long tlbMisses = 0;
        long walks = 0;
        long faults = 0;
        long ipis = 0;
        long lost = 0;
        for (Cpu cpu : cpus) {
            tlbHits += cpu.tlb().hits();
            tlbMisses += cpu.tlb().misses();
            walks += cpu.mmu().walks();
            faults += cpu.mmu().faults();
            ipis += cpu.apic().ipisSent();
            lost += cpu.apic().lostTicks();
        }
        return new MachineStats(steps, hardwareEvents, interruptsTaken, caches.accesses(), tlbHits, tlbMisses,
                walks, faults, ipis, lost);
    }

    public Cpu cpu(int id) {
        if (id < 0 || id >= cpus.length) {
            throw new IllegalArgumentException("cpu" + id + " does not exist; this machine has cpu0..cpu" + (cpus.length - 1));
        }
        return cpus[id];
    }

    public int cpuCount() {
        return cpus.length;
    }

    public MachineConfig config() {
        return config;
    }

    public CostModel costs() {
        return config.costs();
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** The IO-APIC that routes device interrupts to the CPUs. */
    public IoApic ioApic() {
        return ioApic;
    }

    public CacheHierarchy caches() {
        return caches;
    }

    public EventLog log() {
        return log;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /** The latest of the CPUs' clocks, in millicycles: how long the run has lasted. */
    public long elapsedMillicycles() {
        long latest = 0;
        for (Cpu cpu : cpus) {
            latest = Math.max(latest, cpu.millicycles());
        }
        return latest;
    }

    /** The CPU whose step is running, or null between steps. */
    Cpu running() {
        return running;
    }

    EventQueue events() {
        return events;
    }

    Cpu[] cpuArray() {
        return cpus;
    }

    /** The candidates of the next step: the earliest event first (if any), then the CPUs that can run. */
    private final class CandidateSet implements Candidates {
        private final int[] choices = new int[MachineConfig.MAX_CPUS + 1];
        private final long[] times = new long[MachineConfig.MAX_CPUS + 1];
        private int size;

        int collect() {
            size = 0;
            HwEvent next = events.peek();
            if (next != null) {
                add(Scheduler.EVENT, next.time);
            }
            for (Cpu cpu : cpus) {
                if (canRun(cpu)) {
                    add(cpu.id(), cpu.millicycles());
                }
            }
            return size;
        }

        private void add(int choice, long time) {
            choices[size] = choice;
            times[size] = time;
            size++;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int choice(int i) {
            return choices[i];
        }

        @Override
        public long time(int i) {
            return times[i];
        }

        @Override
        public long step() {
            return steps;
        }
    }
}
