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
 */
public record MachineConfig(int cpus, int memoryFrames, CostModel costs, CacheGeometry l1, CacheGeometry l2,
                            TlbGeometry tlb) {
    /** §7.1: four bits of processor number, numbered 1..k. */
    public static final int MAX_CPUS = 15;
    /** §3.2: the measured machine had 64 MB of RAM. */
    public static final int PIII_MEMORY_FRAMES = 64 * 1024 * 1024 / PhysicalMemory.FRAME_BYTES;

    public MachineConfig {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("a machine has 1 to " + MAX_CPUS
                    + " CPUs (the processor number is 4 bits, §7), not " + cpus);
        }
        if (memoryFrames < 1 || memoryFrames > PhysicalMemory.MAX_FRAMES) {
            throw new IllegalArgumentException("physical memory must have 1 to " + PhysicalMemory.MAX_FRAMES
                    + " frames of 4 KB, not " + memoryFrames);
        }
        if (costs == null || l1 == null || l2 == null || tlb == null) {
            throw new IllegalArgumentException("costs, caches and TLB must all be given");
        }
    }

    /**
     * {@code cpus} Pentium III 450 MHz CPUs as measured in §3.2 and §3.3: 16 KB 4-way L1, 512 KB
     * L2, 64 MB of memory.
     */
    public static MachineConfig pentium3(int cpus) {
        return new MachineConfig(cpus, PIII_MEMORY_FRAMES, CostModel.pentium3At450MHz(),
                CacheGeometry.PIII_L1, CacheGeometry.PIII_L2, TlbGeometry.PIII);
    }

    public MachineConfig withMemoryFrames(int frames) {
        return new MachineConfig(cpus, frames, costs, l1, l2, tlb);
    }

    public MachineConfig withCosts(CostModel newCosts) {
        return new MachineConfig(cpus, memoryFrames, newCosts, l1, l2, tlb);
    }
}
