package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.refine.RefineBenchmark;
import l4smp.refine.SpecTarget;
import l4smp.tlc.Project;
import l4smp.tlc.TlcDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code l4smp bench refine}: the trace checker's speed beside the classic trace-spec method. */
@Command(name = "refine", mixinStandardHelpOptions = true,
        description = {"Check TLC-simulated behaviours of each spec (every cfg that expects holds) with the in-process "
                + "TraceChecker and, for a few of them, the classic way (a generated trace module model-checked by TLC "
                + "in a fresh JVM); print steps/s and traces/s of the first, seconds per trace of the second, and the "
                + "ratio per trace, all measured in this run."})
final class BenchRefineCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    Terminal terminal;

    @Option(names = "--traces", defaultValue = "200", description = "behaviours per batch (default: ${DEFAULT-VALUE})")
    int traces;

    @Option(names = "--depth", defaultValue = "50", description = "states per behaviour at most (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--classic", defaultValue = "3", description = "behaviours per spec checked the classic way (default: ${DEFAULT-VALUE})")
    int classic;

    @Option(names = "--seconds", defaultValue = "3", description = "measuring time per spec: fresh batches of --traces behaviours are checked until it is used up (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--root", paramLabel = "DIR", description = "the project directory")
    Path root;

    @Option(names = "--json", description = "print the rows as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (traces < 1 || depth < 2 || classic < 0 || seconds <= 0) {
            throw UserError.usage("need --traces >= 1, --depth >= 2, --classic >= 0, --seconds > 0", null);
        }
        Project project = Project.locate(root);
        List<SpecTarget> targets = SpecTarget.discover(project);
        if (targets.isEmpty()) throw UserError.usage("no configuration expecting `holds` under " + project.configDir(), null);
        RefineBenchmark bench = new RefineBenchmark(TlcDriver.shared(), List.of(project.specDir()), traces, depth, classic, seconds);
        PrintWriter out = terminal.out();
        if (!json) {
            out.printf("%-36s %7s %8s %12s %10s %12s %10s %s%n", "spec", "traces", "steps", "steps/s", "traces/s",
                    "classic s/tr", "ratio", "verdicts");
        }
        List<RefineBenchmark.Row> rows = new ArrayList<>();
        for (SpecTarget t : targets) {
            RefineBenchmark.Row r = bench.run(t);
            rows.add(r);
            if (!json) {
                out.printf("%-36s %7d %8d %12.0f %10.0f %12.2f %9.0fx %s%n", r.spec(), r.traces(), r.steps(), r.stepsPerSecond(),
                        r.tracesPerSecond(), r.classicSecondsPerTrace(), r.ratio(), r.verdictsAgree() ? "agree" : "DIFFER");
                out.flush();
            }
        }
        if (json) printJson(out, rows);
        return rows.stream().allMatch(RefineBenchmark.Row::verdictsAgree) ? ExitCodes.OK : ExitCodes.INTERNAL;
    }

    private static void printJson(PrintWriter out, List<RefineBenchmark.Row> rows) {
        ObjectMapper m = new ObjectMapper();
        ArrayNode a = m.createArrayNode();
        for (RefineBenchmark.Row r : rows) {
            ObjectNode o = a.addObject();
            o.put("spec", r.spec()).put("traces", r.traces()).put("steps", r.steps()).put("stepsPerSecond", r.stepsPerSecond())
                    .put("tracesPerSecond", r.tracesPerSecond()).put("classicTraces", r.classicTraces())
                    .put("classicSecondsPerTrace", r.classicSecondsPerTrace()).put("ratio", r.ratio())
                    .put("verdictsAgree", r.verdictsAgree());
        }
        out.println(a.toPrettyString());
    }
}
