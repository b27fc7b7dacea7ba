package l4smp.hw.bench;

import java.util.SplittableRandom;
import l4smp.hw.Cpu;
import l4smp.hw.Machine;
import l4smp.hw.MachineConfig;
import l4smp.hw.MachineStats;
import l4smp.hw.Mode;
import l4smp.hw.Software;
import l4smp.hw.mem.PageTables;
import l4smp.hw.mem.Pte;
import l4smp.hw.sched.Scheduler;

/**
 * How fast the simulator runs on the host: four CPUs in user mode, each step a burst of
 * {@value #ACCESSES_PER_STEP} loads and stores through 4 KB page tables (a private 512 KB per CPU
 * and a shared 128 KB, so TLB misses, page walks and MESI traffic all happen), with a timer tick
 * every {@value #TICK_CYCLES} cycles on each CPU taken as an interrupt. Scheduled earliest clock
 * first. The workload runs once untimed on a machine of its own (the JIT compiles the simulator),
 * then is measured on a fresh machine: the rates are per second of the measuring thread's CPU
 * time (one host core, whatever else the host runs); the wall time is reported beside them.
 *
 * @param steps          atomic steps taken
 * @param memoryAccesses accesses priced by the caches, page walks included
 * @param hostNanos      host CPU time of the measured run (the thread's)
 * @param simulatedCycles cycles of the longest-running CPU
 * @param wallNanos      host wall-clock time of the measured run
 */
public record Throughput(long steps, long memoryAccesses, long hostNanos, double simulatedCycles, long wallNanos) {
    private static final int CPUS = 4;
    private static final int ACCESSES_PER_STEP = 8;
    private static final long TICK_CYCLES = 100_000;
    private static final int TIMER_VECTOR = 0x20;
    private static final long USER_BASE = 0x10000000L;
    private static final int PRIVATE_PAGES = 128;
    private static final int SHARED_PAGES = 32;
    private static final long FRAMES_BASE = 16L << 20;

    public double accessesPerSecond() {
        return memoryAccesses / (hostNanos / 1e9);
    }

    public double stepsPerSecond() {
        return steps / (hostNanos / 1e9);
    }

    /** Runs the workload for {@code steps} steps, after as many untimed on another machine. */
    public static Throughput measure(long steps) {
        workload().run(steps);
        Machine machine = workload();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = cpu.getCurrentThreadCpuTime();
        machine.run(steps);
        long cpuNanos = Math.max(1, cpu.getCurrentThreadCpuTime() - cpuStart);
        long wall = Math.max(1, System.nanoTime() - start);
        MachineStats stats = machine.stats();
        return new Throughput(stats.steps(), stats.memoryAccesses(), cpuNanos,
                l4smp.hw.Cycles.toCycles(machine.elapsedMillicycles()), wall);
    }

    private static Machine workload() {
        Machine machine = new Machine(MachineConfig.pentium3(CPUS), Scheduler.earliestClockFirst());
        machine.install(new RandomAccesses(buildAddressSpace(machine)));
        return machine;
    }

    /** One page directory: per CPU a private window, then one window shared by all. */
    private static long buildAddressSpace(Machine machine) {
        int[] nextFrame = {0x100};
        PageTables tables = new PageTables(machine.memory(), () -> nextFrame[0]++);
        long directory = tables.newDirectory();
        int pages = CPUS * PRIVATE_PAGES + SHARED_PAGES;
        for (int page = 0; page < pages; page++) {
            tables.map(directory, USER_BASE + page * 4096L, FRAMES_BASE + page * 4096L, Pte.WRITABLE | Pte.USER);
        }
        return directory;
    }

    private static final class RandomAccesses implements Software {
        private final long directory;
        private final SplittableRandom[] random = new SplittableRandom[CPUS];
        private final boolean[] started = new boolean[CPUS];

        RandomAccesses(long directory) {
            this.directory = directory;
            for (int cpu = 0; cpu < CPUS; cpu++) {
                random[cpu] = new SplittableRandom(cpu);
            }
        }

        @Override
        public void step(Cpu cpu) {
            int id = cpu.id();
            if (!started[id]) {
                started[id] = true;
                cpu.loadCr3(directory);
                cpu.apic().startTimer(TICK_CYCLES, TIMER_VECTOR);
                cpu.iret(Mode.USER);
                return;
            }
            SplittableRandom rng = random[id];
            for (int i = 0; i < ACCESSES_PER_STEP; i++) {
                boolean shared = rng.nextInt(10) == 0;
                int page = shared ? CPUS * PRIVATE_PAGES + rng.nextInt(SHARED_PAGES)
                        : id * PRIVATE_PAGES + rng.nextInt(PRIVATE_PAGES);
                long va = USER_BASE + page * 4096L + 4L * rng.nextInt(1024);
                if (rng.nextInt(10) < 3) {
                    cpu.store(va, i);
                } else {
                    cpu.load(va);
                }
            }
            cpu.charge(10);
        }

        @Override
        public void interrupt(Cpu cpu, int vector) {
            cpu.apic().eoi();
            cpu.iret(Mode.USER);
        }
    }
}
