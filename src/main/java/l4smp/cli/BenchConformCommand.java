package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import l4smp.pbt.conform.KernelInput;
import l4smp.pbt.conform.Workload;
import l4smp.refine.Abstractions;
import l4smp.refine.ConformanceCheck;
import l4smp.refine.ConformanceMonitor;
import l4smp.refine.SpecCheckers;
import l4smp.tlc.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code l4smp bench conform}: whether checking keeps up with the kernel (issue 12). The same
 * generated kernel runs ({@code l4smp pbt}'s conformance inputs) are simulated unchecked, checked
 * online against each spec alone and against all of them, and the kernel steps per CPU second of
 * the process (the checkers run on threads of their own; the JVM's GC counts too) are printed side by side with their ratio to the unchecked rate, measured in one
 * run. A checked run includes its survey run (the kernel runs twice, {@link ConformanceCheck}).
 */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = {"Simulate generated kernel runs unchecked, then checked step by step against each spec (XpIpc, "
                + "ProxyWakeup, UhligRace) and against all, with the checkers' memory of good steps on (all) and off "
                + "(all-fresh); print kernel steps per CPU second of the process (all its threads) and the "
                + "cost relative to the unchecked runs, side by side from one run, with the specs parsed for the runs' "
                + "constants and their CPU time, and the rate without it. A first pass over the runs, checked "
                + "against all specs, warms the JVM and the parsed specs up and is not counted."})
final class BenchConformCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Terminal terminal;

    @Option(names = "--runs", defaultValue = "20", description = "generated runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the first generated run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print the rows as JSON")
    boolean json;

    /**
     * One configuration's figures: kernel steps and CPU time over all runs, and of that time the
     * part the checkers' threads spent parsing specs ({@code parses} of them: a spec is parsed for
     * each configuration of constants a run needs that the pool does not hold).
     */
    record Row(String checked, long kernelSteps, long cpuNanos, int parses, long parseCpuNanos) {
        double stepsPerSecond() {
            return kernelSteps / (cpuNanos / 1e9);
        }

        /** Kernel steps per CPU second with the parses' CPU time left out, or NaN if nothing is left. */
        double stepsPerSecondUnparsed() {
            long rest = cpuNanos - parseCpuNanos;
            return rest <= 0 ? Double.NaN : kernelSteps / (rest / 1e9);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 10_000) {
            throw new picocli.CommandLine.ParameterException(terminal.command.commandLine(),
                    "--runs must be between 1 and 10000, not " + runs);
        }
        Project project = Project.locate(null);
        if (!java.nio.file.Files.isDirectory(project.configDir())) {
            throw UserError.usage("no " + project.configDir() + ": the specs to check against are not here",
                    "run l4smp bench conform in the project's directory");
        }
        List<KernelInput> inputs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            inputs.add(KernelInput.gen(false).example(seed + i));
        }
        SpecCheckers checkers = new SpecCheckers(project, 16);
        terminal.err().printf("bench conform: %d generated runs; warm-up pass checked against all specs%n", runs).flush();
        measure("warm-up", inputs, Abstractions.specs(), checkers);
        List<Row> rows = new ArrayList<>();
        rows.add(measure("unchecked", inputs, null, checkers));
        for (String spec : Abstractions.specs()) {
            terminal.err().printf("bench conform: checked against %s%n", spec).flush();
            rows.add(measure(spec, inputs, List.of(spec), checkers));
        }
        terminal.err().println("bench conform: checked against all specs");
        rows.add(measure("all", inputs, Abstractions.specs(), checkers));
        terminal.err().println("bench conform: checked against all specs, every step decided afresh (the checkers' memory off)");
        checkers.remember(false);
        rows.add(measure("all-fresh", inputs, Abstractions.specs(), checkers));
        checkers.remember(true);
        print(terminal.out(), rows);
        return ExitCodes.OK;
    }

    private static Row measure(String name, List<KernelInput> inputs, List<String> specs, SpecCheckers checkers)
            throws Exception {
        // the checkers run on threads of their own: the process's CPU time counts them
        com.sun.management.OperatingSystemMXBean cpu =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long steps = 0;
        int loads = checkers.loads();
        long loadCpu = checkers.loadCpuNanos();
        long start = cpu.getProcessCpuTime();
        for (KernelInput in : inputs) {
            if (specs == null) {
                long[] n = new long[1];
                in.run((step, view) -> n[0]++);
                steps += n[0];
            } else {
                ConformanceCheck.Outcome out = ConformanceCheck.run(in.scenario(), in.scheduler(),
                        in.workload().steps(), specs, checkers, ConformanceMonitor.WINDOW, Workload::modelNames);
                steps += out.report().kernelSteps();
            }
        }
        return new Row(name, steps, cpu.getProcessCpuTime() - start, checkers.loads() - loads,
                checkers.loadCpuNanos() - loadCpu);
    }

    /**
     * The CPU time of {@code r} over the unchecked runs' (the same kernel steps), 1 for the
     * unchecked row itself, or null if the unchecked runs took less than the process clock resolves.
     */
    private static Double cost(Row r, Row unchecked) {
        if (r == unchecked) {
            return 1.0;
        }
        return unchecked.cpuNanos() <= 0 ? null : (double) r.cpuNanos() / unchecked.cpuNanos();
    }

    private void print(PrintWriter out, List<Row> rows) throws Exception {
        Row unchecked = rows.get(0);
        if (unchecked.cpuNanos() <= 0) {
            terminal.err().println("bench conform: the unchecked runs took less CPU time than the clock resolves; "
                    + "no cost ratios (give more --runs)");
        }
        if (json) {
            ArrayNode array = new ObjectMapper().createArrayNode();
            for (Row r : rows) {
                var row = array.addObject().put("checked", r.checked()).put("kernelSteps", r.kernelSteps())
                        .put("cpuSeconds", r.cpuNanos() / 1e9);
                if (r.cpuNanos() > 0) {
                    row.put("kernelStepsPerCpuSecond", r.stepsPerSecond());
                } else {
                    row.putNull("kernelStepsPerCpuSecond");
                }
                row.put("costRelativeToUnchecked", cost(r, unchecked));
                row.put("parses", r.parses()).put("parseCpuSeconds", r.parseCpuNanos() / 1e9);
                double unparsed = r.stepsPerSecondUnparsed();
                if (Double.isNaN(unparsed)) {
                    row.putNull("kernelStepsPerCpuSecondWithoutParses");
                } else {
                    row.put("kernelStepsPerCpuSecondWithoutParses", unparsed);
                }
            }
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
        } else {
            out.printf(Locale.ROOT, "%-12s %12s %10s %16s %10s %7s %11s %18s%n", "checked", "kernel steps", "CPU s",
                    "steps/CPU s", "cost", "parses", "parse CPU s", "steps/CPU s unparsed");
            for (Row r : rows) {
                Double cost = cost(r, unchecked);
                double unparsed = r.stepsPerSecondUnparsed();
                out.printf(Locale.ROOT, "%-12s %12d %10.2f %16s %10s %7d %11.2f %18s%n", r.checked(), r.kernelSteps(),
                        r.cpuNanos() / 1e9, r.cpuNanos() > 0 ? String.format(Locale.ROOT, "%.0f", r.stepsPerSecond()) : "-",
                        cost == null ? "-" : String.format(Locale.ROOT, "%.1fx", cost), r.parses(), r.parseCpuNanos() / 1e9,
                        Double.isNaN(unparsed) ? "-" : String.format(Locale.ROOT, "%.0f", unparsed));
            }
        }
        out.flush();
    }
}
