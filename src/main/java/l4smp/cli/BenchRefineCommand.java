package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.refine.RefineBenchmark;
import l4smp.refine.SpecTarget;
import l4smp.tlc.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code l4smp bench refine}: the trace checker's speed beside the classic trace-spec method. */
@Command(name = "refine", mixinStandardHelpOptions = true,
        description = {"Check behaviours of each spec simulated with TLC's successor function (every cfg that expects holds) with the in-process "
                + "TraceChecker and, for a few of them, the classic way (a generated trace module model-checked by TLC "
                + "in a fresh JVM), all measured in this run.",
                "steps/s and traces/s: fresh behaviours, each checked once, the checker's memory of good states and "
                + "steps off, per CPU second of the checker's thread (one core). remember: the same behaviours again "
                + "with the memory on, from empty; repeat: once more, every state and step remembered (repetitive "
                + "traces). classic s/tr: wall seconds per trace of the classic way; ratio: classic time per trace "
                + "over the checker's. The default run takes about a minute; --long measures longer."})
final class BenchRefineCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    Terminal terminal;

    @Parameters(paramLabel = "CONFIG", arity = "0..*",
            description = "only these configurations: a spec module (MCXpIpc), a cfg name (XpIpc) or both (MCXpIpc/XpIpc)")
    List<String> only = new ArrayList<>();

    @Option(names = "--traces", description = "behaviours simulated per spec, a quarter for warming up (default: 300; --long: 1000)")
    Integer traces;

    @Option(names = "--depth", defaultValue = "50", description = "states per behaviour at most (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--seconds", description = "CPU seconds of measuring per spec at least (default: 0.5; --long: 3)")
    Double seconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "CPU seconds of checking before measuring at least, "
            + "then until the rate settles (default: 1; --long: 3)")
    Double warmup;

    @Option(names = "--classic", description = "behaviours per spec checked the classic way (default: 1; --long: 3)")
    Integer classic;

    @Option(names = "--long", description = "the long run: more behaviours, longer warm-up, more classic checks (several minutes)")
    boolean longRun;

    @Option(names = "--baseline", hidden = true,
            description = "also measure the checker with every invariant evaluated whole on every state (as before issue 14)")
    boolean baseline;

    @Option(names = "--root", paramLabel = "DIR", description = "the project directory")
    Path root;

    @Option(names = "--json", description = "print the rows as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RefineBenchmark.Settings settings = settings();
        Project project = Project.locate(root);
        List<SpecTarget> targets = SpecTarget.discover(project).stream().filter(this::selected).toList();
        if (targets.isEmpty()) {
            throw UserError.usage("no configuration expecting `holds` under " + project.configDir()
                    + (only.isEmpty() ? "" : " matches " + only), null);
        }
        RefineBenchmark bench = new RefineBenchmark(List.of(project.specDir()), settings);
        PrintWriter out = terminal.out();
        if (!json) out.printf(Locale.ROOT, "%-40s %6s %7s %9s %8s %9s %9s %s%8s %7s %s%n", "spec", "traces", "steps",
                "steps/s", "traces/s", "remember", "repeat", baseline ? "  before " : "", "classic", "ratio", "verdicts");
        List<RefineBenchmark.Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            SpecTarget t = targets.get(i);
            String prefix = String.format(Locale.ROOT, "bench refine [%d/%d] %s: ", i + 1, targets.size(), t.name());
            RefineBenchmark.Row r = bench.run(t, what -> terminal.err().printf("%s%s%n", prefix, what).flush());
            rows.add(r);
            if (!json) {
                out.printf(Locale.ROOT, "%-40s %6d %7d %9.0f %8.0f %9.0f %9.0f %s%7.2fs %6.0fx %s%n", r.spec(), r.traces(),
                        r.steps(), r.stepsPerSecond(), r.tracesPerSecond(), r.rememberStepsPerSecond(),
                        r.repeatStepsPerSecond(), baseline ? String.format(Locale.ROOT, "%9.0f ", r.baselineStepsPerSecond()) : "",
                        r.classicSecondsPerTrace(), r.ratio(), r.verdictsAgree() ? "agree" : "DIFFER");
                out.flush();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            printJson(out, rows);
        } else {
            out.printf(Locale.ROOT, "%d configurations in %.0f s wall; rates are per CPU second of the checker's thread "
                    + "(one core); the machine's load does not enter them, the classic column's wall time it does%n",
                    rows.size(), seconds);
        }
        return rows.stream().allMatch(RefineBenchmark.Row::verdictsAgree) ? ExitCodes.OK : ExitCodes.INTERNAL;
    }

    private RefineBenchmark.Settings settings() {
        RefineBenchmark.Settings s = new RefineBenchmark.Settings(or(traces, longRun ? 1000 : 300), depth,
                or(seconds, longRun ? 3.0 : 0.5), or(warmup, longRun ? 3.0 : 1.0), or(classic, longRun ? 3 : 1), baseline);
        if (s.traces() < 2 || depth < 2 || s.seconds() < 0 || s.classicTraces() < 0 || s.warmupSeconds() < 0) {
            throw UserError.usage("need --traces >= 2, --depth >= 2, --seconds >= 0, --classic >= 0, --warmup >= 0", null);
        }
        return s;
    }

    private static <T> T or(T given, T otherwise) {
        return given != null ? given : otherwise;
    }

    private boolean selected(SpecTarget t) {
        if (only.isEmpty()) return true;
        String module = t.name().substring(0, t.name().indexOf('/'));
        String cfg = t.name().substring(t.name().indexOf('/') + 1);
        return only.contains(t.name()) || only.contains(module) || only.contains(cfg);
    }

    private static void printJson(PrintWriter out, List<RefineBenchmark.Row> rows) {
        ObjectMapper m = new ObjectMapper();
        ArrayNode a = m.createArrayNode();
        for (RefineBenchmark.Row r : rows) {
            ObjectNode o = a.addObject();
            o.put("spec", r.spec()).put("traces", r.traces()).put("steps", r.steps()).put("stepsPerSecond", r.stepsPerSecond())
                    .put("tracesPerSecond", r.tracesPerSecond()).put("rememberStepsPerSecond", r.rememberStepsPerSecond())
                    .put("repeatStepsPerSecond", r.repeatStepsPerSecond());
            if (!Double.isNaN(r.baselineStepsPerSecond())) o.put("baselineStepsPerSecond", r.baselineStepsPerSecond());
            o.put("classicTraces", r.classicTraces()).put("classicSecondsPerTrace", r.classicSecondsPerTrace())
                    .put("ratio", r.ratio()).put("verdictsAgree", r.verdictsAgree()).put("rateUnit", "per CPU second of one core");
        }
        out.println(a.toPrettyString());
    }
}
