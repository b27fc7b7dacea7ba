package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.hw.RunResult;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.workload.Report;
import l4smp.workload.ScenarioException;
import l4smp.workload.ScenarioReader;
import l4smp.workload.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code l4smp bench ipc}: how many IPCs the simulated kernel performs per host second. A client
 * calls a server that answers with reply_and_wait and does no work (the thesis's short IPC, §2.3);
 * every call and every reply_and_wait counts as one IPC. Measured twice: client and server on one
 * CPU (local IPC), then on two CPUs (cross-processor IPC through a proxy, §8.3.5).
 *
 * <p>The figure is the steady state of the simulator: the JIT compiles it during warm-up runs
 * (at least one, until they have taken a CPU second or five runs), then three runs are measured
 * and the median reported. One untimed run of a tenth of the calls is not enough for C2 on a
 * loaded machine; it gave a third of the steady-state rate.
 */
@Command(name = "ipc", mixinStandardHelpOptions = true,
        description = {"Run the kernel on the simulated Pentium: a client calls a server, which answers with "
                + "reply_and_wait and no work, first on one CPU (local IPC), then from another CPU (cross-CPU IPC). "
                + "Prints simulated IPCs (calls and reply_and_waits) per CPU second of the host thread (one core): "
                + "the median of three runs after warm-up runs (at least one, until a CPU second or five runs).",
                "Simulated cycles per IPC operation, local and cross-CPU, are measured by 'l4smp bench kernel'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:measured", " 2:usage error"})
final class BenchIpcCommand implements Callable<Integer> {
    private static final int MEASURED_RUNS = 3;
    private static final int MAX_WARMUP_RUNS = 5;
    private static final long WARMUP_CPU_NANOS = 1_000_000_000L;

    @picocli.CommandLine.Mixin
    Terminal terminal;

    @Option(names = "--calls", defaultValue = "100000", description = "calls the client makes per run, local "
            + "(default: ${DEFAULT-VALUE}); cross-CPU runs make a tenth of them")
    int calls;

    @Option(names = "--json", description = "print the figures as JSON")
    boolean json;

    /** A measured run: IPCs, simulated cycles, host CPU and wall time. */
    record Run(long ipcs, long cycles, long cpuNanos, long wallNanos) {
        double ipcsPerSecond() {
            return ipcs / (cpuNanos / 1e9);
        }
    }

    /** Where the server runs: on the client's CPU, or on the other of two. */
    enum Placement {
        LOCAL("local", 1, 0), CROSS_CPU("cross-CPU", 2, 1);

        final String label;
        final int cpus;
        final int serverCpu;

        Placement(String label, int cpus, int serverCpu) {
            this.label = label;
            this.cpus = cpus;
            this.serverCpu = serverCpu;
        }
    }

    /** The median run of a placement, and how many warm-up runs preceded it. */
    record Measured(Placement placement, int calls, Run median, int warmupRuns) {
    }

    @Override
    public Integer call() throws ScenarioException {
        if (calls < 1 || calls > 10_000_000) {
            throw new picocli.CommandLine.ParameterException(terminal.command.commandLine(),
                    "--calls must be between 1 and 10000000, not " + calls);
        }
        int crossCalls = Math.max(1, calls / 10);
        terminal.err().printf("bench ipc: %d local calls, then %d cross-CPU calls, %d measured runs each after "
                + "warm-up runs%n", calls, crossCalls, MEASURED_RUNS).flush();
        Measured local = measure(Placement.LOCAL, calls);
        terminal.err().printf("bench ipc: local done, %.0f k IPCs/s; measuring cross-CPU%n",
                local.median().ipcsPerSecond() / 1e3).flush();
        Measured cross = measure(Placement.CROSS_CPU, crossCalls);
        PrintWriter out = terminal.out();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            put(o, local);
            put(o.putObject("crossCpu"), cross);
            out.println(o.toPrettyString());
        } else {
            print(out, local);
            print(out, cross);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void put(ObjectNode o, Measured m) {
        Run r = m.median();
        o.put("calls", m.calls()).put("ipcs", r.ipcs()).put("simulatedCycles", r.cycles()).put("cpuSeconds", r.cpuNanos() / 1e9)
                .put("wallSeconds", r.wallNanos() / 1e9).put("ipcsPerSecond", r.ipcsPerSecond())
                .put("warmupRuns", m.warmupRuns())
                .put("rateUnit", "per host CPU second of the simulating thread, median of " + MEASURED_RUNS
                        + " runs after warm-up runs");
    }

    private static void print(PrintWriter out, Measured m) {
        Run r = m.median();
        out.printf(Locale.ROOT, "%s short IPC: %.0f k simulated IPCs per host CPU second (one core; median of %d runs after "
                + "%d warm-up runs; %d IPCs, %d simulated cycles, %.0f cycles per call and reply, in %.2f s CPU, %.2f s wall)%n",
                m.placement().label, r.ipcsPerSecond() / 1e3, MEASURED_RUNS, m.warmupRuns(), r.ipcs(), r.cycles(),
                (double) r.cycles() / m.calls(), r.cpuNanos() / 1e9, r.wallNanos() / 1e9);
    }

    /** Warm-up runs until a CPU second or five runs (at least one), then the median of three. */
    private static Measured measure(Placement placement, int calls) throws ScenarioException {
        long warm = 0;
        int warmupRuns = 0;
        while (warmupRuns == 0 || (warm < WARMUP_CPU_NANOS && warmupRuns < MAX_WARMUP_RUNS)) {
            warm += run(placement, calls).cpuNanos();
            warmupRuns++;
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < MEASURED_RUNS; i++) {
            runs.add(run(placement, calls));
        }
        runs.sort(Comparator.comparingDouble(Run::ipcsPerSecond));
        return new Measured(placement, calls, runs.get(MEASURED_RUNS / 2), warmupRuns);
    }

    private static Run run(Placement placement, int calls) throws ScenarioException {
        Simulation simulation = ScenarioReader.load(scenario(placement, calls));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long wall = System.nanoTime();
        long start = cpu.getCurrentThreadCpuTime();
        RunResult result = simulation.run();
        long cpuNanos = Math.max(1, cpu.getCurrentThreadCpuTime() - start);
        wall = System.nanoTime() - wall;
        long ipcs = 0;
        for (Report.Row row : simulation.report().rows()) {
            ipcs += row.ipcs(IpcOp.CALL, CompletionCode.OK) + row.ipcs(IpcOp.REPLY_AND_WAIT, CompletionCode.OK);
        }
        if (result.reason() != RunResult.Reason.QUIESCENT || ipcs < 2L * calls - 1) {
            throw new IllegalStateException("the " + placement.label + " IPC benchmark did not run to its end: " + result
                    + ", " + ipcs + " IPCs");
        }
        return new Run(ipcs, l4smp.hw.Cycles.wholeCycles(simulation.machine().elapsedMillicycles()), cpuNanos, wall);
    }

    /** The local scenario is the one this benchmark always ran; the cross-CPU one places the server on cpu1. */
    private static String scenario(Placement placement, int calls) {
        boolean local = placement == Placement.LOCAL;
        return """
                {
                  "name": "bench-%s-ipc",
                  "machine": { "cpus": %d, "memoryMB": 16 },
                  "run": { "steps": %d },
                  "tasks": [
                    { "name": "server", "number": 5,
                      "threads": [ { "name": "main", "priority": 100,%s "program": "server", "args": { "work": "0" } } ] },
                    { "name": "client", "number": 6,
                      "threads": [ { "name": "main", "priority": 100,%s "program": "client",
                                     "args": { "server": "@server.main", "calls": "%d" } } ] }
                  ]
                }
                """.formatted(local ? "local" : "cross-cpu", placement.cpus, (local ? 20L : 200L) * calls + 1000,
                local ? "" : " \"cpu\": " + placement.serverCpu + ",", local ? "" : " \"cpu\": 0,", calls);
    }
}
