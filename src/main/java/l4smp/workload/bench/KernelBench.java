package l4smp.workload.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import l4smp.hw.CostModel;
import l4smp.hw.Cpu;
import l4smp.hw.Cycles;
import l4smp.hw.Machine;
import l4smp.hw.RunResult;
import l4smp.hw.cache.AccessOutcome;
import l4smp.hw.cache.CacheHierarchy;
import l4smp.kernel.KernelConfig;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.Simulation;

/**
 * What one IPC costs on the simulated machine, local and across CPUs. Each operation runs in a
 * loop twice, {@code n} and {@code 2n} times, on a fresh machine; the difference of the two runs,
 * divided by {@code n}, is one operation in the steady state, without boot and warm-up. Every cycle
 * comes from the simulated hardware's cost model and the kernel's path costs; the breakdown says
 * which: kernel entries and exits (§3.3.1), ICR writes and EOIs of IPIs, cache lines moved
 * between CPUs (Table 2's MESI transitions), the other memory accesses, and the rest (instructions).
 */
public final class KernelBench {
    /** Where an operation's cycles go. */
    public enum Part { ENTRY_EXIT, IPI, CACHE_TRANSFER, MEMORY, INSTRUCTIONS }

    /**
     * One operation.
     *
     * @param name      what was measured
     * @param cycles    CPU cycles per operation, on all CPUs: every cycle a CPU executed (not halted)
     * @param latency   simulated time per operation (the machine's clock), in cycles
     * @param breakdown the cycles per part
     * @param ipis      IPIs sent per operation
     */
    public record Row(String name, double cycles, double latency, Map<Part, Double> breakdown, double ipis) {
    }

    private static final String CALLER = """
            li   esp, 0
    loop:   ipc  call @srv.main
            add  esp, 1
            bne  esp, ${n}, loop
            halt
    """;
    private static final String SENDER = """
            li   esp, 0
    loop:   ipc  send @srv.main
            add  esp, 1
            bne  esp, ${n}, loop
            halt
    """;
    private static final String RECEIVER = """
    loop:   ipc  receive @cl.main
            jmp  loop
    """;

    private KernelBench() {
    }

    /** The rows: local and cross-CPU send and call/reply, {@code n} operations each. */
    public static List<Row> run(int n) throws ScenarioException {
        List<Row> rows = new ArrayList<>();
        rows.add(measure("local send (one way)", SENDER, "receiver", 0, n));
        rows.add(measure("cross-CPU send (one way)", SENDER, "receiver", 1, n));
        rows.add(measure("local call + reply (round trip)", CALLER, "server", 0, n));
        rows.add(measure("cross-CPU call + reply (round trip)", CALLER, "server", 1, n));
        return rows;
    }

    private static Row measure(String name, String client, String server, int clientCpu, int n) throws ScenarioException {
        Counts a = counts(client, server, clientCpu, n);
        Counts b = counts(client, server, clientCpu, 2 * n);
        Map<Part, Double> parts = new EnumMap<>(Part.class);
        double instructions = (b.cycles - a.cycles) / (double) n;
        for (Part p : List.of(Part.ENTRY_EXIT, Part.IPI, Part.CACHE_TRANSFER, Part.MEMORY)) {
            double v = (b.parts.get(p) - a.parts.get(p)) / (double) n;
            parts.put(p, v);
            instructions -= v;
        }
        parts.put(Part.INSTRUCTIONS, instructions);
        return new Row(name, (b.cycles - a.cycles) / (double) n, (b.latency - a.latency) / (double) n, parts,
                (b.ipis - a.ipis) / (double) n);
    }

    private record Counts(double cycles, double latency, Map<Part, Double> parts, long ipis) {
    }

    private static Counts counts(String client, String server, int clientCpu, int n) throws ScenarioException {
        Scenario s = Scenario.builder("bench").cpus(2).memoryMB(16).steps(50_000_000L)
                .kernel(KernelConfig.defaults())
                .program("client", client.replace("${n}", Integer.toString(n)))
                .program("receiver", RECEIVER)
                .task("srv", 5, t -> t.thread("main", 0, 100, 0, "sigma0", server, Map.of()))
                .task("cl", 6, t -> t.thread("main", 0, 100, clientCpu, "sigma0", "client", Map.of()))
                .build();
        Simulation sim = Simulation.build(s);
        RunResult result = sim.run();
        if (result.reason() != RunResult.Reason.QUIESCENT) {
            throw new IllegalStateException("the benchmark did not come to rest: " + result);
        }
        Machine m = sim.machine();
        CostModel costs = m.costs();
        CacheHierarchy caches = m.caches();
        long entries = 0;
        long ipis = 0;
        for (int c = 0; c < m.cpuCount(); c++) {
            Cpu cpu = m.cpu(c);
            entries += cpu.kernelEntries();
            ipis += cpu.apic().ipisSent();
        }
        Map<Part, Double> parts = new EnumMap<>(Part.class);
        parts.put(Part.ENTRY_EXIT, cycles(entries * (costs.kernelEntry() + costs.kernelExit())));
        parts.put(Part.IPI, cycles(ipis * (costs.icrWrite() + costs.apicRegisterWrite())));
        long transfer = 0;
        long memory = 0;
        for (AccessOutcome o : AccessOutcome.values()) {
            long cost = caches.count(o) * costs.of(o);
            switch (o) {
                case L1_HIT, L2_HIT, MEMORY -> memory += cost;
                default -> transfer += cost;
            }
        }
        parts.put(Part.CACHE_TRANSFER, cycles(transfer));
        parts.put(Part.MEMORY, cycles(memory));
        long busy = 0;
        for (int c = 0; c < m.cpuCount(); c++) {
            busy += m.cpu(c).clock().now() - m.cpu(c).clock().idle();
        }
        return new Counts(cycles(busy), cycles(m.elapsedMillicycles()), parts, ipis);
    }

    private static double cycles(long millicycles) {
        return millicycles / (double) Cycles.ofWhole(1);
    }
}
