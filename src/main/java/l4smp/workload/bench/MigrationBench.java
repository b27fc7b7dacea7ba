package l4smp.workload.bench;

import java.util.Map;
import l4smp.hw.Cycles;
import l4smp.hw.Machine;
import l4smp.hw.RunResult;
import l4smp.kernel.KernelConfig;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.Simulation;

/**
 * What a thread migration costs on the simulated machine (§8.7.2), on each CPU it involves, and
 * what the migrated thread then pays to refetch its working set on the new CPU (§6.1.1). Each
 * figure is the difference of two runs on fresh machines, so that the boot and the threads' own
 * work cancel out: for the migration, n calls against none; for the refetch, a worker moved
 * between its two passes over its working set against one left where it is (its thread_schedule
 * then changes nothing: processor field 0).
 */
public final class MigrationBench {
    /** §6.1.1's estimate for refetching 50 dirty and 50 clean cache lines after a migration, in cycles. */
    public static final long THESIS_REFETCH_LOW = 4_500;
    public static final long THESIS_REFETCH_HIGH = 7_750;
    /** Lines of the working set written, and lines read, between the two passes (§6.1.1's example). */
    public static final int DIRTY_LINES = 50;
    public static final int CLEAN_LINES = 50;

    private static final int CALLER_CPU = 0;
    private static final int SOURCE_CPU = 1;
    private static final int TARGET_CPU = 2;
    private static final int MIGRANT_TASK = 6;
    private static final long DIRTY_AREA = 0x0080_0000L;
    private static final long CLEAN_AREA = 0x0081_0000L;

    /**
     * The cycles of one migration of a waiting thread, per CPU: A (the caller's CPU: the whole
     * thread_schedule, entry and exit included), B (the source) and C (the destination).
     */
    public record Cost(double caller, double source, double destination) {
    }

    /**
     * The migrated thread's second pass over its working set, beyond the same pass on the CPU
     * where the first pass warmed the caches and the TLB.
     */
    public record Refetch(double cycles, int dirtyLines, int cleanLines) {
    }

    private MigrationBench() {
    }

    /** {@code n} migrations (1..60) of as many waiting threads from cpu1 to cpu2, called on cpu0. */
    public static Cost cost(int n) throws ScenarioException {
        if (n < 1 || n > 60) {
            throw new IllegalArgumentException("migrations per run must be 1..60 (threads of one task), not " + n);
        }
        double[] moved = busy(n, true);
        double[] stayed = busy(n, false);
        return new Cost((moved[CALLER_CPU] - stayed[CALLER_CPU]) / n, (moved[SOURCE_CPU] - stayed[SOURCE_CPU]) / n,
                (moved[TARGET_CPU] - stayed[TARGET_CPU]) / n);
    }

    /** Busy cycles of cpu0..cpu2 with n waiting threads on cpu1, moved to cpu2 one after the other, or not. */
    private static double[] busy(int n, boolean move) throws ScenarioException {
        StringBuilder caller = new StringBuilder("        sleep 100us\n");
        for (int k = 0; move && k < n; k++) {
            caller.append("        li   esi, tid(").append(MIGRANT_TASK).append(", ").append(k).append(")\n")
                    .append("        li   eax, ").append(((TARGET_CPU + 1) << 16) | 100).append('\n')
                    .append("        syscall thread_schedule\n");
        }
        caller.append("        halt\n");
        Scenario s = Scenario.builder("bench-migration").cpus(3).memoryMB(16).steps(10_000_000L)
                .kernel(KernelConfig.defaults())
                .program("caller", caller.toString())
                .program("waiter", "        sleep never\n")
                .task("s", 5, t -> t.thread("main", 0, 200, CALLER_CPU, "sigma0", "caller", Map.of()))
                .task("m", MIGRANT_TASK, t -> {
                    for (int k = 0; k < n; k++) {
                        t.thread("w" + k, k, 100, SOURCE_CPU, "sigma0", "waiter", Map.of());
                    }
                })
                .build();
        Simulation sim = rest(s);
        Machine m = sim.machine();
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            out[c] = cycles(m.cpu(c).clock().now() - m.cpu(c).clock().idle());
        }
        return out;
    }

    /** The refetch after a migration: a worker's pass over its working set, once moved, once not. */
    public static Refetch refetch() throws ScenarioException {
        return new Refetch(workerCycles(TARGET_CPU + 1) - workerCycles(0), DIRTY_LINES, CLEAN_LINES);
    }

    private static double workerCycles(int processor) throws ScenarioException {
        String worker = pass(1) + "        sleep 100us\n" + pass(2) + "        halt\n";
        String caller = """
                        sleep 50us
                        li   esi, tid(%d, 0)
                        li   eax, %d
                        syscall thread_schedule
                        halt
                """.formatted(MIGRANT_TASK, (processor << 16) | 100);
        Scenario s = Scenario.builder("bench-refetch").cpus(3).memoryMB(16).steps(10_000_000L)
                .kernel(KernelConfig.defaults())
                .program("caller", caller)
                .program("worker", worker)
                .task("s", 5, t -> t.thread("main", 0, 200, CALLER_CPU, "sigma0", "caller", Map.of()))
                .task("m", MIGRANT_TASK, t -> t.thread("main", 0, 100, SOURCE_CPU, "sigma0", "worker", Map.of())
                        .map(DIRTY_AREA, 1, true).map(CLEAN_AREA, 1, true))
                .build();
        Simulation sim = rest(s);
        return sim.report().row("m.main").cycles();
    }

    /** One pass over the working set: write the dirty lines, read the clean ones (labels numbered {@code k}). */
    private static String pass(int k) {
        return """
                        li   ebx, %1$d
                dirty%5$d: st   [ebx], 1
                        add  ebx, 32
                        bne  ebx, %2$d, dirty%5$d
                        li   ebx, %3$d
                clean%5$d: ld   ecx, [ebx]
                        add  ebx, 32
                        bne  ebx, %4$d, clean%5$d
                """.formatted(DIRTY_AREA, DIRTY_AREA + 32L * DIRTY_LINES, CLEAN_AREA, CLEAN_AREA + 32L * CLEAN_LINES, k);
    }

    private static Simulation rest(Scenario s) throws ScenarioException {
        Simulation sim = Simulation.build(s);
        RunResult result = sim.run();
        if (result.reason() != RunResult.Reason.QUIESCENT) {
            throw new IllegalStateException("the migration benchmark did not come to rest: " + result);
        }
        return sim;
    }

    private static double cycles(long millicycles) {
        return millicycles / (double) Cycles.ofWhole(1);
    }
}
