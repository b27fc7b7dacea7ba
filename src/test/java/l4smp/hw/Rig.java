package l4smp.hw;

import l4smp.hw.bench.PerCpuSoftware;
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
        machine = new Machine(MachineConfig.pentium3(cpus).withMemoryFrames(4096), scheduler, log);
        software = new PerCpuSoftware(cpus);
        machine.install(software);
        tables = new PageTables(machine.memory(), () -> nextFrame++);
    }

    Cpu cpu(int id) {
        return machine.cpu(id);
    }

    /** A fresh zeroed frame's physical address. */
    long frame() {
        return (long) nextFrame++ << 12;
    }
}
