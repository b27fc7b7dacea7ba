package l4smp.kernel.boot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.Cycles;
import l4smp.hw.IpiDestination;
import l4smp.hw.Machine;
import l4smp.hw.Reg;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;

/**
 * Bootstrapping the SMP (§8.2) and numbering its processors (§8.8.1), as atomic kernel steps of
 * each CPU in simulated time.
 *
 * <p>§8.2: "one processor, the bootstrap processor, wins and loads the basic kernel components [...]
 * At this point, the kernel sends a startup inter-processor interrupt (IPI) to all the other
 * processors in the system (called Application Processors AP) to boot them up [...] After each
 * processor has initialized the dispatcher thread [...] the application processors idle [...] After
 * synchronizing with the application processors [...] the bootstrap processor starts the booter
 * task". The global part of the bootstrap processor's work (frame pool, TCB area, sigma0, IO-APIC
 * routes, the loader's tasks) is done by {@link Kernel#boot} before the machine runs, free of cost;
 * what runs here:
 * <ol>
 *   <li>the bootstrap processor numbers itself ({@code boot.number}: 1), reaches the barrier
 *       ({@code boot.barrier.arrive}) and sends INIT to every other CPU ({@code boot.initIpi}); in
 *       its next step STARTUP at the startup routine ({@code boot.startupIpi}), which starts the
 *       timeout;</li>
 *   <li>each application processor, started at the startup routine, switches to protected mode and
 *       numbers itself ({@code boot.apEntry+boot.number}: 2..k in the order they get there); in its
 *       next step it sets up its local data and reaches the barrier ({@code boot.barrier.arrive}); then it reads the
 *       barrier's release word until it is open ({@code boot.barrier.spin}, then
 *       {@code boot.barrier.leave}) and from then on runs its dispatcher: it idles, or runs the
 *       threads the loader placed on its processor number;</li>
 *   <li>the bootstrap processor reads the barrier's count ({@code boot.barrier.spin}) until every
 *       CPU of the machine has arrived, or the timeout has passed and every CPU that took a number
 *       has: then it masks out the others ({@code boot.maskOut}: the kernel info page's processor
 *       count lowered), opens the barrier ({@code boot.barrier.release}) and its dispatcher starts
 *       the booter task (sigma0 and the loader's threads of processor 1).</li>
 * </ol>
 * The shared words live in the startup routine's frame, each on a cache line of its own, so the
 * spinning reads are the cache model's: a hit while the word is unchanged, a transfer when another
 * CPU wrote it.
 */
public final class SmpBoot {
    /**
     * How long the bootstrap processor waits, from its STARTUP IPI, for the others to reach the
     * barrier: 200 µs at 450 MHz. The thesis gives no figure; this is the wait the Intel
     * MultiProcessor Specification (appendix B.4) prescribes after a STARTUP IPI.
     */
    public static final long STARTUP_TIMEOUT_CYCLES = 90_000;

    /** §8.8.1's processor field: the next processor number (1..k, §7.1). */
    private static final int PROCESSOR_FIELD = 0x100;
    /** The barrier's count of processors that reached it. */
    private static final int ARRIVED = 0x120;
    /** The barrier's release word: 0 while closed, then the number of processors. */
    private static final int RELEASE = 0x140;
    /** The processor table: word n holds the APIC id processor number n had at power-on. */
    private static final int APIC_IDS = 0x160;

    /** Where each CPU is in the protocol. */
    private enum Phase { BOOTSTRAP, STARTUP_IPI, AWAIT_ARRIVALS, AP_ENTRY, AP_ARRIVE, AP_AWAIT_RELEASE, UP, MASKED_OUT }

    private final Kernel kernel;
    private final Machine machine;
    private final long frame;
    /** By the CPU's index in the machine (its APIC id at power-on). */
    private final Phase[] phase;
    /** By the CPU's index in the machine: the data of the processor number it took, or null. */
    private final ProcessorData[] byCpu;
    private long deadline;
    private int processors;
    private long releasedAt = -1;
    private final List<Integer> maskedOut = new ArrayList<>();

    /** Places the startup routine and the boot words in kernel frame {@code frameNumber} (below 1 MB). */
    public SmpBoot(Kernel kernel, int frameNumber) {
        if (frameNumber > 0xFF) {
            throw new IllegalStateException("the startup routine must lie below 1 MB (a STARTUP vector is a page "
                    + "number, 0..255), not in frame " + frameNumber);
        }
        this.kernel = kernel;
        this.machine = kernel.machine();
        this.frame = (long) frameNumber << PhysicalMemory.FRAME_SHIFT;
        this.phase = new Phase[machine.cpuCount()];
        Arrays.fill(phase, Phase.AP_ENTRY);
        phase[0] = Phase.BOOTSTRAP;
        this.byCpu = new ProcessorData[machine.cpuCount()];
        machine.memory().writeWord(frame + PROCESSOR_FIELD, 1);
    }

    /** One boot step of {@code cpu}; returns the data of the processor number it has after the step, or null. */
    public ProcessorData step(Cpu cpu) {
        switch (phase[cpu.id()]) {
            case BOOTSTRAP -> bootstrap(cpu);
            case STARTUP_IPI -> startupIpi(cpu);
            case AWAIT_ARRIVALS -> awaitArrivals(cpu);
            case AP_ENTRY -> applicationProcessorEntry(cpu);
            case AP_ARRIVE -> {
                arrive(cpu);
                phase[cpu.id()] = Phase.AP_AWAIT_RELEASE;
            }
            case AP_AWAIT_RELEASE -> awaitRelease(cpu);
            case UP, MASKED_OUT -> throw new IllegalStateException("invariant violated: cpu" + cpu.id() + " is "
                    + phase[cpu.id()] + " and runs no boot step");
        }
        return byCpu[cpu.id()];
    }

    private void bootstrap(Cpu cpu) {
        number(cpu);
        arrive(cpu);
        if (machine.cpuCount() == 1) {
            release(cpu, 1);
            return;
        }
        kernel.step().segment(PathSegment.BOOT_INIT_IPI);
        cpu.apic().sendInit(IpiDestination.allButSelf());
        phase[cpu.id()] = Phase.STARTUP_IPI;
    }

    private void startupIpi(Cpu cpu) {
        kernel.step().segment(PathSegment.BOOT_STARTUP_IPI);
        cpu.apic().sendStartup(IpiDestination.allButSelf(), (int) (frame >>> PhysicalMemory.FRAME_SHIFT));
        deadline = cpu.millicycles() + Cycles.ofWhole(STARTUP_TIMEOUT_CYCLES);
        phase[cpu.id()] = Phase.AWAIT_ARRIVALS;
    }

    /**
     * §8.2: "The specified synchronizations are of a barrier type, i.e. all processors wait until
     * all processors in the system reach this barrier [...] When no synchronization can be
     * achieved, that is when not all processors reply, the µ-kernel can take some recovery actions
     * i.e. [...] to mask this processor out by reordering the processor numbers such, that the
     * highest available processor number can be decreased." Processors take their numbers in the
     * order they reach the startup routine, so those that replied hold 1..k already; one that took
     * a number is running and will arrive, so after the timeout the bootstrap processor still waits
     * for it, and 1..k are exactly the processors at the barrier.
     */
    private void awaitArrivals(Cpu cpu) {
        int arrived = cpu.loadPhysical(frame + ARRIVED);
        if (arrived == machine.cpuCount()) {
            release(cpu, arrived);
        } else if (cpu.millicycles() >= deadline && arrived == cpu.loadPhysical(frame + PROCESSOR_FIELD) - 1) {
            maskOut(cpu, arrived);
            release(cpu, arrived);
        } else {
            kernel.step().segment(PathSegment.BOOT_SPIN);
            cpu.charge(PathCosts.BARRIER_POLL);
        }
    }

    /** The CPUs whose power-on APIC id is not in the processor table did not reply. */
    private void maskOut(Cpu cpu, int answered) {
        kernel.step().segment(PathSegment.BOOT_MASK_OUT);
        boolean[] replied = new boolean[machine.cpuCount()];
        for (int number = 1; number <= answered; number++) {
            replied[cpu.loadPhysical(frame + APIC_IDS + 4L * number)] = true;
        }
        for (int apicId = 0; apicId < replied.length; apicId++) {
            if (!replied[apicId]) {
                maskedOut.add(apicId);
            }
        }
        kernel.kernelInfoPage().processors(cpu, answered);
    }

    private void release(Cpu cpu, int count) {
        kernel.step().segment(PathSegment.BOOT_RELEASE);
        cpu.storePhysical(frame + RELEASE, count);
        processors = count;
        releasedAt = cpu.millicycles();
        phase[cpu.id()] = Phase.UP;
    }

    private void applicationProcessorEntry(Cpu cpu) {
        kernel.step().segment(PathSegment.BOOT_AP_ENTRY);
        int eip = cpu.registers().get(Reg.EIP);
        if (eip != startupAddress()) {
            throw new IllegalStateException(String.format("invariant violated: cpu%d entered the kernel at 0x%x, not at "
                    + "the startup routine 0x%x", cpu.id(), eip, startupAddress()));
        }
        cpu.charge(PathCosts.STARTUP_ROUTINE);
        if (number(cpu)) {
            phase[cpu.id()] = Phase.AP_ARRIVE;
        }
    }

    /**
     * §8.8.1: "the processors spin on a processor field in memory with an atomic exchange and add
     * instruction, increasing the processor field and storing the old value as processor number";
     * the number goes into the Task Register, and (§8.2) "the local APIC chip is programmed such,
     * that the address of the local APIC [...] matches the processor number": its id becomes the
     * number minus one, the kernel's name for the CPU. The id it had goes into the processor table,
     * where the bootstrap processor sees who replied. A processor that finds the barrier opened
     * without it is too late: it stops.
     *
     * @return whether the CPU took part (false: too late)
     */
    private boolean number(Cpu cpu) {
        kernel.step().segment(PathSegment.BOOT_NUMBER);
        int number = cpu.xadd(frame + PROCESSOR_FIELD, 1);
        if (cpu.loadPhysical(frame + RELEASE) != 0) {
            kernel.step().segment(PathSegment.BOOT_TOO_LATE);
            cpu.apic().softwareDisable();
            cpu.halt();
            phase[cpu.id()] = Phase.MASKED_OUT;
            return false;
        }
        cpu.ltr(number);
        cpu.storePhysical(frame + APIC_IDS + 4L * number, cpu.apic().readId());
        cpu.apic().setId(number - 1);
        ProcessorData local = kernel.processor(number - 1);
        local.bind(cpu);
        byCpu[cpu.id()] = local;
        return true;
    }

    /** Local tables and the dispatcher set up: the CPU reaches the barrier. */
    private void arrive(Cpu cpu) {
        kernel.step().segment(PathSegment.BOOT_ARRIVE);
        cpu.charge(PathCosts.LOCAL_INIT);
        cpu.xadd(frame + ARRIVED, 1);
    }

    /** "the other processors wait until being released explicitly". */
    private void awaitRelease(Cpu cpu) {
        if (cpu.loadPhysical(frame + RELEASE) == 0) {
            kernel.step().segment(PathSegment.BOOT_SPIN);
            cpu.charge(PathCosts.BARRIER_POLL);
            return;
        }
        kernel.step().segment(PathSegment.BOOT_LEAVE);
        phase[cpu.id()] = Phase.UP;
    }

    // ---- observers: free ----

    /** Whether {@code cpu} has finished booting and runs its dispatcher. */
    public boolean isUp(Cpu cpu) {
        return phase[cpu.id()] == Phase.UP;
    }

    /** The data of the processor number {@code cpu} took, or null. */
    public ProcessorData processorOf(Cpu cpu) {
        return byCpu[cpu.id()];
    }

    /** The number of processors, k, once the barrier is open; 0 before. */
    public int processors() {
        return processors;
    }

    /** When the bootstrap processor opened the barrier (its clock, millicycles), or -1. */
    public long releasedAt() {
        return releasedAt;
    }

    /** The power-on APIC ids (the machine's CPU indexes) of the CPUs masked out because they did not reply. */
    public List<Integer> maskedOut() {
        return List.copyOf(maskedOut);
    }

    /** The power-on APIC id of the CPU that took processor number {@code number}, or -1 if none did. */
    public int apicIdOf(int number) {
        if (number < 1 || number > processors) {
            return -1;
        }
        return machine.memory().readWord(frame + APIC_IDS + 4L * number);
    }

    /** Physical address of the startup routine, where STARTUP starts the application processors. */
    public long startupAddress() {
        return frame;
    }
}
