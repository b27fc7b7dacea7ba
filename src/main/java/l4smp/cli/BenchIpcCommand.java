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
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code l4smp bench ipc}: how many IPCs the simulated kernel performs per host second. A client
 * calls a server on the same CPU, which answers with reply_and_wait and does no work (the thesis's
 * short IPC, §2.3); every call and every reply_and_wait counts as one IPC.
 */
@Command(name = "ipc", mixinStandardHelpOptions = true,
        description = {"Run the kernel on the simulated Pentium: a client calls a server on its own CPU, the server "
                + "answers with reply_and_wait and no work. Prints simulated IPCs (calls and reply_and_waits) per CPU "
                + "second of the host thread (one core), after a warm-up run of a tenth of the calls.",
                "Cross-CPU IPC is measured in simulated cycles by 'l4smp bench kernel'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:measured", " 2:usage error"})
final class BenchIpcCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Terminal terminal;

    @Option(names = "--calls", defaultValue = "100000", description = "calls the client makes (default: ${DEFAULT-VALUE})")
    int calls;

    @Option(names = "--json", description = "print the figures as JSON")
    boolean json;

    /** A measured run: IPCs, simulated cycles, host CPU and wall time. */
    record Run(long ipcs, long cycles, long cpuNanos, long wallNanos) {
        double ipcsPerSecond() {
            return ipcs / (cpuNanos / 1e9);
        }
    }

    @Override
    public Integer call() throws ScenarioException {
        if (calls < 1 || calls > 10_000_000) {
            throw new picocli.CommandLine.ParameterException(terminal.command.commandLine(),
                    "--calls must be between 1 and 10000000, not " + calls);
        }
        terminal.err().printf("bench ipc: %d local calls after a warm-up of %d%n", calls, Math.max(1, calls / 10)).flush();
        run(Math.max(1, calls / 10));
        Run r = run(calls);
        PrintWriter out = terminal.out();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("calls", calls).put("ipcs", r.ipcs()).put("simulatedCycles", r.cycles()).put("cpuSeconds", r.cpuNanos() / 1e9)
                    .put("wallSeconds", r.wallNanos() / 1e9).put("ipcsPerSecond", r.ipcsPerSecond())
                    .put("rateUnit", "per host CPU second of the simulating thread, after a warm-up run");
            out.println(o.toPrettyString());
        } else {
            out.printf(Locale.ROOT, "local short IPC: %.0f k simulated IPCs per host CPU second (one core; %d IPCs, %d simulated "
                    + "cycles, %.0f cycles per call and reply, in %.2f s CPU, %.2f s wall)%n", r.ipcsPerSecond() / 1e3, r.ipcs(),
                    r.cycles(), (double) r.cycles() / calls, r.cpuNanos() / 1e9, r.wallNanos() / 1e9);
            out.println("cross-CPU IPC: not measured (the kernel has no cross-CPU IPC yet)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Run run(int calls) throws ScenarioException {
        Simulation simulation = ScenarioReader.load(scenario(calls));
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
            throw new IllegalStateException("the IPC benchmark did not run to its end: " + result + ", " + ipcs + " IPCs");
        }
        return new Run(ipcs, l4smp.hw.Cycles.wholeCycles(simulation.machine().elapsedMillicycles()), cpuNanos, wall);
    }

    private static String scenario(int calls) {
        return """
                {
                  "name": "bench-local-ipc",
                  "machine": { "cpus": 1, "memoryMB": 16 },
                  "run": { "steps": %d },
                  "tasks": [
                    { "name": "server", "number": 5,
                      "threads": [ { "name": "main", "priority": 100, "program": "server", "args": { "work": "0" } } ] },
                    { "name": "client", "number": 6,
                      "threads": [ { "name": "main", "priority": 100, "program": "client",
                                     "args": { "server": "@server.main", "calls": "%d" } } ] }
                  ]
                }
                """.formatted(20L * calls + 1000, calls);
    }
}
