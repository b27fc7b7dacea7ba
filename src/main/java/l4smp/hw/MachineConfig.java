package l4smp.hw;

import l4smp.hw.cache.CacheGeometry;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.hw.mem.TlbGeometry;

/**
 * What machine to build. Together with the scheduler's seed (or choice list) and the software, it
 * fixes a run cycle for cycle.
 *
 * @param cpus         1 to 15: the processor number is a 4-bit field (§7.1, bits 16-19 of
 *                     thread_schedule's parameter word), 1..k with 0 meaning none
 * @param memoryFrames physical memory in 4 KB frames
 * @param costs        what each operation costs
 * @param l1           each CPU's L1 cache
 * @param l2           each CPU's L2 cache
 * @param tlb          each CPU's data TLB
 * @param powerOn      which CPUs run from the first step
 * @param failingCpus  a bit mask of the CPUs that never leave reset: they ignore INIT and STARTUP
 *                     IPIs, a processor that "does not reply" (§8.2); only with
 *                     {@link PowerOn#BOOTSTRAP_PROCESSOR_ONLY}, never cpu0
 */
public record MachineConfig(int cpus, int memoryFrames, CostModel costs, CacheGeometry l1, CacheGeometry l2,
                            TlbGeometry tlb, PowerOn powerOn, int failingCpus) {
    /** §7.1: four bits of processor number, numbered 1..k. */
    public static final int MAX_CPUS = 15;
    /** §3.2: the measured machine had 64 MB of RAM. */
    public static final int PIII_MEMORY_FRAMES = 64 * 1024 * 1024 / PhysicalMemory.FRAME_BYTES;

    /** Which CPUs run when the machine starts. */
    public enum PowerOn {
        /**
         * Every CPU runs from the first step, as if firmware had started them all: the bare machine
         * of the benchmarks and of the hardware tests.
         */
        ALL_CPUS_RUN,
        /**
         * The Pentium's own power-on (§8.2: "The Intel Pentium hardware selects one single processor
         * to be activated when starting the machine"): cpu0, the bootstrap processor, runs; every
         * other CPU waits in reset until an INIT and then a STARTUP IPI start it at the startup
         * routine. The L4 kernel boots such a machine.
         */
        BOOTSTRAP_PROCESSOR_ONLY
    }

    public MachineConfig {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("a machine has 1 to " + MAX_CPUS
                    + " CPUs (the processor number is 4 bits, §7), not " + cpus);
        }
        if (memoryFrames < 1 || memoryFrames > PhysicalMemory.MAX_FRAMES) {
            throw new IllegalArgumentException("physical memory must have 1 to " + PhysicalMemory.MAX_FRAMES
                    + " frames of 4 KB, not " + memoryFrames);
        }
        if (costs == null || l1 == null || l2 == null || tlb == null || powerOn == null) {
            throw new IllegalArgumentException("costs, caches, TLB and power-on must all be given");
        }
        if (failingCpus != 0) {
            if (powerOn != PowerOn.BOOTSTRAP_PROCESSOR_ONLY) {
                throw new IllegalArgumentException("failing CPUs fail to start, so the machine must power on with the "
                        + "bootstrap processor only (PowerOn.BOOTSTRAP_PROCESSOR_ONLY)");
            }
            if ((failingCpus & 1) != 0) {
                throw new IllegalArgumentException("cpu0 is the bootstrap processor; without it nothing starts");
            }
            if ((failingCpus & ~((1 << cpus) - 1)) != 0) {
                throw new IllegalArgumentException(String.format(
                        "failing CPUs 0x%x name a CPU this machine of %d CPUs does not have", failingCpus, cpus));
            }
        }
    }

    /**
     * {@code cpus} Pentium III 450 MHz CPUs as measured in §3.2 and §3.3: 16 KB 4-way L1, 512 KB
     * L2, 64 MB of memory; every CPU runs from the start.
     */
    public static MachineConfig pentium3(int cpus) {
        return new MachineConfig(cpus, PIII_MEMORY_FRAMES, CostModel.pentium3At450MHz(),
                CacheGeometry.PIII_L1, CacheGeometry.PIII_L2, TlbGeometry.PIII, PowerOn.ALL_CPUS_RUN, 0);
    }

    public MachineConfig withMemoryFrames(int frames) {
        return new MachineConfig(cpus, frames, costs, l1, l2, tlb, powerOn, failingCpus);
    }

    public MachineConfig withCosts(CostModel newCosts) {
        return new MachineConfig(cpus, memoryFrames, newCosts, l1, l2, tlb, powerOn, failingCpus);
    }

    public MachineConfig withPowerOn(PowerOn newPowerOn) {
        return new MachineConfig(cpus, memoryFrames, costs, l1, l2, tlb, newPowerOn, failingCpus);
    }

    /** This machine with the CPUs of bit mask {@code mask} never leaving reset. */
    public MachineConfig withFailingCpus(int mask) {
        return new MachineConfig(cpus, memoryFrames, costs, l1, l2, tlb, powerOn, mask);
    }

    /** Whether CPU {@code cpu} never leaves reset. */
    public boolean fails(int cpu) {
        return (failingCpus & (1 << cpu)) != 0;
    }
}
