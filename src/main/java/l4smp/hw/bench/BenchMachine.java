package l4smp.hw.bench;

import java.util.EnumSet;
import l4smp.hw.CostModel;
import l4smp.hw.Cpu;
import l4smp.hw.EventKind;
import l4smp.hw.EventLog;
import l4smp.hw.Machine;
import l4smp.hw.MachineConfig;
import l4smp.hw.mem.PageTables;
import l4smp.hw.mem.Pte;
import l4smp.hw.sched.Scheduler;

/**
 * A fresh Pentium III SMP as the thesis measured it, set up the way an L4 kernel maps itself: the
 * first {@value #MAPPED_MB} MB of physical memory mapped one to one with global, kernel-only 4 MB
 * pages (so the experiments' data is reached through one TLB entry per 4 MB, after one page walk),
 * CR3 loaded on every CPU, all CPUs in kernel mode with interrupts disabled.
 */
final class BenchMachine {
    static final int MAPPED_MB = 32;
    /** The page directory's frame. */
    static final long DIRECTORY = 0x1000;

    final Machine machine;
    final PerCpuSoftware software;

    BenchMachine(int cpus, CostModel costs, EventLog log) {
        this.machine = new Machine(MachineConfig.pentium3(cpus).withCosts(costs), Scheduler.earliestClockFirst(), log);
        this.software = new PerCpuSoftware(cpus);
        machine.install(software);
        PageTables tables = new PageTables(machine.memory(), () -> {
            throw new IllegalStateException("4 MB pages need no page tables");
        });
        for (long base = 0; base < MAPPED_MB << 20; base += Pte.LARGE_PAGE_BYTES) {
            tables.mapLarge(DIRECTORY, base, base, Pte.WRITABLE | Pte.GLOBAL | Pte.ACCESSED | Pte.DIRTY);
        }
        for (int id = 0; id < cpus; id++) {
            machine.cpu(id).loadCr3(DIRECTORY);
        }
    }

    BenchMachine(int cpus, CostModel costs) {
        this(cpus, costs, EventLog.off());
    }

    /** A machine whose log keeps IPI sends and arrivals, to time them. */
    static BenchMachine withIpiLog(int cpus, CostModel costs) {
        return new BenchMachine(cpus, costs, EventLog.keeping(EnumSet.of(EventKind.IPI_SEND, EventKind.IPI_ARRIVE)));
    }

    Cpu cpu(int id) {
        return machine.cpu(id);
    }

    /** Runs until every CPU is halted for good; fails if that takes more than {@code maxSteps}. */
    void runToEnd(long maxSteps) {
        var result = machine.run(maxSteps);
        if (result.reason() != l4smp.hw.RunResult.Reason.QUIESCENT) {
            throw new IllegalStateException("experiment did not finish in " + maxSteps + " steps:\n"
                    + machine.describeState());
        }
    }
}
