package l4smp.hw;

import l4smp.hw.bench.PerCpuSoftware;
import l4smp.hw.cache.CacheGeometry;
import l4smp.hw.mem.PageTables;
import l4smp.hw.sched.Scheduler;

/** A small machine for tests: 16 MB, Pentium III costs and caches, page tables from frame 0x100 up. */
final class Rig {
    final Machine machine;
    final PerCpuSoftware software;
    final PageTables tables;
    private int nextFrame = 0x100;

    Rig(int cpus) {
        this(cpus, Scheduler.earliestClockFirst(), EventLog.off());
    }

    Rig(int cpus, Scheduler scheduler, EventLog log) {
        this(MachineConfig.pentium3(cpus).withMemoryFrames(4096), scheduler, log);
    }

    private Rig(MachineConfig config, Scheduler scheduler, EventLog log) {
        machine = new Machine(config, scheduler, log);
        software = new PerCpuSoftware(config.cpus());
        machine.install(software);
        tables = new PageTables(machine.memory(), () -> nextFrame++);
    }

    /**
     * A machine that powers on as a Pentium SMP does: cpu0 runs, the others wait in reset; the CPUs
     * of bit mask {@code failing} never start. Every event is logged.
     */
    static Rig bootstrapProcessorOnly(int cpus, int failing) {
        return new Rig(MachineConfig.pentium3(cpus).withMemoryFrames(4096)
                .withPowerOn(MachineConfig.PowerOn.BOOTSTRAP_PROCESSOR_ONLY).withFailingCpus(failing),
                Scheduler.earliestClockFirst(), EventLog.keepingAll());
    }

    /** Tiny caches and memory, for tests that build hundreds of machines to explore interleavings. */
    static Rig small(int cpus, Scheduler scheduler) {
        MachineConfig base = MachineConfig.pentium3(cpus);
        return new Rig(new MachineConfig(cpus, 1024, base.costs(), CacheGeometry.ofBytes(1024, 2),
                CacheGeometry.ofBytes(4096, 2), base.tlb(), base.powerOn(), 0), scheduler, EventLog.off());
    }

    Cpu cpu(int id) {
        return machine.cpu(id);
    }

    /** A fresh zeroed frame's physical address. */
    long frame() {
        return (long) nextFrame++ << 12;
    }
}
