package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import l4smp.hw.bench.BenchRow;
import l4smp.hw.bench.FidelityBench;
import l4smp.hw.bench.Throughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code l4smp bench hw}: runs the experiments of the thesis's §3 on the simulated Pentium III SMP
 * and prints simulated against thesis cycles, then the simulator's throughput.
 */
@Command(name = "hw", mixinStandardHelpOptions = true,
        description = {
            "Run the thesis's hardware experiments (§3.2.1 Table 1, §3.2.2 Table 2, §3.3.1 IPI and "
                    + "kernel entry/exit) on the simulated Pentium III SMP and compare the cycles with the "
                    + "thesis's; then measure the simulator's speed.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every ratio simulated/thesis is within 0.95-1.05",
                "50:some ratio is outside 0.95-1.05 (marked in the table)", " 2:usage error"})
public final class BenchHwCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the rows and the throughput as JSON.")
    private boolean json;

    @Option(names = "--throughput-steps", paramLabel = "N", defaultValue = "300000",
            description = "Steps of the throughput workload (default: ${DEFAULT-VALUE}).")
    private long throughputSteps;

    @Override
    public Integer call() throws Exception {
        if (throughputSteps < 1 || throughputSteps > 20_000_000L) {
            throw new ParameterException(spec.commandLine(),
                    "--throughput-steps must be between 1 and 20000000, not " + throughputSteps);
        }
        spec.commandLine().getErr().println("bench hw: running the thesis's experiments, then " + throughputSteps
                + " throughput steps twice (a warm-up run, then the measured one)");
        spec.commandLine().getErr().flush();
        FidelityBench.Report report = FidelityBench.run(throughputSteps);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(report));
        } else {
            printTable(report, out);
        }
        out.flush();
        return report.allWithinTolerance() ? ExitCodes.OK : ExitCodes.OUT_OF_BAND;
    }

    private static void printTable(FidelityBench.Report report, PrintWriter out) {
        out.println("Simulated Pentium III SMP, 450 MHz, against Völp 2002 §3 (cycles)");
        out.printf(Locale.ROOT, "%-44s %11s %17s %7s  %s%n", "experiment", "simulated", "thesis", "ratio", "source");
        for (BenchRow row : report.rows()) {
            out.printf(Locale.ROOT, "%-44s %11.2f %17s %7.3f  %s%s%n", row.experiment(), row.simulated(),
                    row.thesis().describe(), row.ratio(), row.thesis().source(),
                    row.withinTolerance() ? "" : "   <-- outside 0.95-1.05");
        }
        Throughput speed = report.throughput();
        out.printf(Locale.ROOT, "throughput: %.2f M simulated memory accesses/s, %.0f k atomic steps/s "
                        + "(per host CPU second, one core, after a warm-up run; %d steps, %d accesses, %.0f simulated "
                        + "cycles in %.2f s CPU, %.2f s wall)%n",
                speed.accessesPerSecond() / 1e6, speed.stepsPerSecond() / 1e3, speed.steps(),
                speed.memoryAccesses(), speed.simulatedCycles(), speed.hostNanos() / 1e9, speed.wallNanos() / 1e9);
        long outside = report.rows().stream().filter(row -> !row.withinTolerance()).count();
        out.println(outside == 0
                ? "all " + report.rows().size() + " ratios within 0.95-1.05"
                : outside + " of " + report.rows().size() + " ratios outside 0.95-1.05: the model is off");
    }

    private static String toJson(FidelityBench.Report report) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode rows = root.putArray("rows");
        for (BenchRow row : report.rows()) {
            ObjectNode node = rows.addObject();
            node.put("experiment", row.experiment());
            node.put("simulated", row.simulated());
            node.put("thesis", row.thesis().value());
            node.put("ratio", row.ratio());
            node.put("thesisLow", row.thesis().low());
            node.put("thesisHigh", row.thesis().high());
            node.put("source", row.thesis().source());
            node.put("withinTolerance", row.withinTolerance());
        }
        Throughput speed = report.throughput();
        ObjectNode throughput = root.putObject("throughput");
        throughput.put("steps", speed.steps());
        throughput.put("memoryAccesses", speed.memoryAccesses());
        throughput.put("hostSeconds", speed.hostNanos() / 1e9);
        throughput.put("wallSeconds", speed.wallNanos() / 1e9);
        throughput.put("rateUnit", "per host CPU second of the measuring thread, after a warm-up run");
        throughput.put("memoryAccessesPerSecond", speed.accessesPerSecond());
        throughput.put("stepsPerSecond", speed.stepsPerSecond());
        throughput.put("simulatedCycles", speed.simulatedCycles());
        root.put("allWithinTolerance", report.allWithinTolerance());
        return mapper.writeValueAsString(root);
    }
}
