package l4smp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import l4smp.hw.Cycles;
import l4smp.hw.RunResult;
import l4smp.refine.Abstractions;
import l4smp.refine.KernelRefinement;
import l4smp.refine.KernelRun;
import l4smp.refine.KernelTraceFiles;
import l4smp.refine.ProxyWakeupAbstraction;
import l4smp.refine.SpecLoadException;
import l4smp.refine.TlaNames;
import l4smp.trace.format.Itf;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.ScenarioReader;
import l4smp.workload.Simulation;
import l4smp.workload.TraceRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code l4smp simulate SCENARIO}: boots the L4 kernel with a scenario's tasks on the simulated
 * Pentium SMP, runs it, and prints per-thread statistics; optionally writes the kernel's step
 * trace as ITF JSON.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a scenario (a JSON file: CPUs, tasks, threads with priority, pager and program, initial mappings, "
                    + "device interrupts, run length; see scenarios/README.md) on the L4 kernel and the simulated "
                    + "Pentium SMP, and prints per thread its cycles, page faults and IPCs by kind and completion code.",
            "The same scenario, seed and steps give the same run, cycle for cycle."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the scenario ran (and every --check accepted it)",
            "1:internal error (a bug in l4smp)",
            "30:a spec of --check rejected the run",
            "2:usage or I/O error, or a malformed scenario (the message names its line and field)"})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (JSON).")
    private Path scenarioFile;

    @Option(names = "--steps", paramLabel = "N",
            description = "Machine steps to run at most (default: the scenario's run.steps). The run also ends when "
                    + "nothing can happen any more.")
    private Long steps;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the random scheduler, which then picks the interleaving of CPU steps and hardware "
                    + "events (default: the scenario's run.seed and run.scheduler).")
    private Long seed;

    @Option(names = "--scheduler", paramLabel = "NAME",
            description = "earliest-clock-first (timing-realistic) or random (seeded interleavings); default: the "
                    + "scenario's, or random when --seed is given.")
    private String scheduler;

    @Option(names = "--trace-out", paramLabel = "FILE",
            description = "Write the kernel's step trace to FILE as ITF JSON: the kernel state after every atomic "
                    + "step (thread states, partners, send queues, ready lists, wakeup queues, current threads), each "
                    + "step labelled with its path segments.")
    private Path traceOut;

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "With --trace-out: write the run abstracted to SPEC's variables (XpIpc or ProxyWakeup), each step "
                    + "labelled with the action it implements, and beside it the trace-checking cfg made from the run "
                    + "(and a module with ProxyWakeup's programs); `l4smp refine FILE` then checks it.")
    private String traceSpec;

    @Option(names = "--check", paramLabel = "SPEC", split = ",",
            description = "After the run, check it against these specs (XpIpc, ProxyWakeup, MigrationBarriers, XpMigration; comma-separated): abstract each "
                    + "step to the spec's variables and check the steps against the spec's Next and invariants. Exit 30 if "
                    + "one rejects the run. A run a spec does not describe (ProxyWakeup: calls, local IPC) is reported as such.")
    private java.util.List<String> check = new java.util.ArrayList<>();

    @Option(names = "--trace-limit", paramLabel = "N", defaultValue = "20000",
            description = "Record at most N steps in the trace (default: ${DEFAULT-VALUE}); the trace says when it was cut.")
    private int traceLimit;

    @Option(names = "--schedule", paramLabel = "FILE",
            description = "Replay the scheduler choices recorded in FILE (l4smp-choices, as `l4smp pbt` writes them beside "
                    + "a failing input's scenario): the run is the recorded one, step for step, and ends where the choices end.")
    private Path schedule;

    @Option(names = "--json", description = "Print the run's summary and per-thread statistics as JSON on stdout.")
    private boolean json;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The project directory, for the specs of --check and --spec (default: the one around the working directory, else the one l4smp runs from).")
    private Path root;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        try {
            if (traceOut != null) {
                OutputFiles.checkWritable(traceOut);
            }
            l4smp.hw.sched.ChoiceList choices = schedule == null ? null : choices(schedule);
            Simulation simulation = choices == null ? ScenarioReader.load(read(scenarioFile), this::adjust)
                    : Simulation.build(adjust(ScenarioReader.read(read(scenarioFile))), new l4smp.hw.sched.ReplayScheduler(choices));
            boolean abstracted = traceSpec != null || !check.isEmpty();
            TraceRecorder recorder = traceOut == null || traceSpec != null ? null : new TraceRecorder(simulation, traceLimit);
            KernelRun run = abstracted ? new KernelRun(simulation.kernel().view(),
                    id -> TlaNames.identifier(simulation.name(id)), traceLimit) : null;
            simulation.listener(recorder != null ? recorder : run);
            RunResult result;
            try {
                result = choices == null ? simulation.run()
                        : simulation.run(Math.min(simulation.scenario().run().steps(), choices.size()));
            } catch (l4smp.hw.sched.ReplayDivergence e) {
                throw UserError.usage(schedule + " does not replay on " + scenarioFile + ": " + e.getMessage(),
                        "replay a schedule with the scenario it was recorded with");
            }
            // With --json, the summary is printed last, with the checks' verdicts in it.
            com.fasterxml.jackson.databind.node.ObjectNode summary = json ? toJson(simulation, result) : null;
            if (!json) {
                printSummary(out, simulation, result);
                simulation.report().print(out);
            }
            if (recorder != null) {
                OutputFiles.write(Map.of(traceOut, Itf.write(recorder.trace())));
                (json ? err : out).println("trace: " + traceOut + (recorder.dropped() > 0
                        ? " (first " + traceLimit + " kernel steps; " + recorder.dropped() + " more not recorded)" : ""));
            }
            int exit = ExitCodes.OK;
            if (abstracted && run.truncated()) {
                throw UserError.usage("the run has more than " + traceLimit + " kernel steps, more than --trace-limit lets "
                        + "l4smp record for " + (traceSpec != null ? traceSpec : String.join(", ", check)),
                        "give a larger --trace-limit, or fewer --steps");
            }
            if (traceSpec != null) {
                Map<Path, String> files = KernelTraceFiles.of(l4smp.tlc.Project.locate(root), abstraction(traceSpec, run), traceOut);
                OutputFiles.write(files);
                (json ? err : out).println("trace: " + String.join(", ", files.keySet().stream().map(Path::toString).toList())
                        + "; check it with: l4smp refine " + traceOut);
            }
            for (String s : check) {
                java.io.StringWriter report = new java.io.StringWriter();
                int verdict = check(json ? new PrintWriter(report) : out, s, run);
                exit = Math.max(exit, verdict);
                if (json) {
                    com.fasterxml.jackson.databind.node.ObjectNode c = summary.withArray("checks").addObject();
                    c.put("spec", s).put("exitCode", verdict);
                    com.fasterxml.jackson.databind.node.ArrayNode lines = c.putArray("report");
                    report.toString().lines().forEach(lines::add);
                }
            }
            if (json) out.println(summary.toPrettyString());
            out.flush();
            return exit;
        } catch (ScenarioException e) {
            throw UserError.usage(scenarioFile + ": " + e.getMessage(), null);
        }
    }

    private static KernelRefinement.Abstraction abstraction(String spec, KernelRun run) {
        try {
            return Abstractions.of(spec, run);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage(), null);
        }
    }

    /** Checks the run against {@code spec}; prints the verdict; returns the exit code it calls for. */
    private int check(PrintWriter out, String spec, KernelRun run) {
        KernelRefinement r;
        KernelRefinement.Abstraction abstraction;
        try {
            abstraction = abstraction(spec, run);
            r = KernelRefinement.check(l4smp.tlc.Project.locate(root), abstraction);
        } catch (l4smp.refine.NotApplicable e) {
            out.println(spec + ": not one of its behaviours at all: " + e.getMessage());
            return ExitCodes.OK;
        } catch (SpecLoadException e) {
            throw new UserError(ExitCodes.PARSE, spec + " does not load: " + e.getMessage(), "l4smp check " + spec + " shows more");
        }
        if (r.verdict().accepted()) {
            out.printf(Locale.ROOT, "%s: accepted: %d kernel steps, %d of them %s actions%n", spec, run.steps().size(),
                    r.trace().states().stream().filter(st -> st.action() != null).count(), spec);
            return ExitCodes.OK;
        }
        var f = r.verdict().failure();
        int kernelStep = abstraction.kernelStep(f.index());
        out.println(spec + ": rejected at kernel step " + kernelStep
                + (kernelStep != f.index() ? " (the spec trace's state " + f.index() + ")" : "") + ": " + f.message());
        if (f.claimed() != null) out.println("  claimed action: " + f.claimed());
        if (!f.diverging().isEmpty()) out.println("  diverging variables: " + String.join(", ", f.diverging()));
        KernelRun.Step bad = kernelStep >= 1 && kernelStep <= run.steps().size() ? run.steps().get(kernelStep - 1) : null;
        if (bad != null) {
            out.println("  kernel step: cpu" + bad.step().cpu() + " " + bad.step().label() + " for " + bad.step().subjects());
        }
        out.println("  (write the trace with --trace-out FILE --spec " + spec + " and run l4smp refine FILE for the states)");
        return ExitCodes.REJECTED;
    }

    private void checkOptions() {
        if (traceSpec != null && traceOut == null) {
            throw new ParameterException(spec.commandLine(), "--spec needs --trace-out FILE (the trace to write for the spec)");
        }
        if (steps != null && steps < 1) {
            throw new ParameterException(spec.commandLine(), "--steps must be at least 1, not " + steps);
        }
        if (scheduler != null && !scheduler.equals("earliest-clock-first") && !scheduler.equals("random")) {
            throw new ParameterException(spec.commandLine(), "--scheduler must be earliest-clock-first or random, not '"
                    + scheduler + "'");
        }
        if (traceLimit < 1) {
            throw new ParameterException(spec.commandLine(), "--trace-limit must be at least 1, not " + traceLimit);
        }
    }

    private Scenario adjust(Scenario scenario) {
        Scenario.RunSpec run = scenario.run();
        String chosen = scheduler != null ? scheduler : seed != null ? "random" : run.scheduler();
        return scenario.withRun(new Scenario.RunSpec(steps != null ? steps : run.steps(), chosen,
                seed != null ? seed : run.seed()));
    }

    private static l4smp.hw.sched.ChoiceList choices(Path file) {
        try {
            return l4smp.hw.sched.ChoiceList.read(file);
        } catch (NoSuchFileException e) {
            throw UserError.usage("no schedule file " + file, "give the schedule.txt l4smp pbt wrote beside the scenario");
        } catch (IOException | IllegalArgumentException e) {
            throw UserError.usage("cannot read the schedule " + file + ": " + e.getMessage(), null);
        }
    }

    private static String read(Path file) {
        String notText = l4smp.tlc.TextFiles.problem(file);
        if (notText != null && Files.exists(file)) {
            throw UserError.usage(file + " " + notText, "expected a scenario: a JSON file as described in scenarios/README.md");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw UserError.usage("no scenario file " + file, "give the path of a scenario, e.g. scenarios/call-reply.json");
        } catch (IOException e) {
            throw UserError.usage("cannot read " + file + ": " + e.getMessage(), null);
        }
    }

    /** What the table says, as JSON: the run, then per thread its state, cycles, page faults and IPCs by kind and code. */
    private static com.fasterxml.jackson.databind.node.ObjectNode toJson(Simulation simulation, RunResult result) {
        Scenario s = simulation.scenario();
        com.fasterxml.jackson.databind.node.ObjectNode o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("scenario", s.name()).put("cpus", s.machine().cpus()).put("memoryMB", s.machine().memoryMB())
                .put("scheduler", s.run().scheduler()).put("seed", s.run().seed()).put("steps", result.steps())
                .put("cycles", Cycles.wholeCycles(simulation.machine().elapsedMillicycles()))
                .put("ending", result.reason().name().toLowerCase(Locale.ROOT));
        com.fasterxml.jackson.databind.node.ArrayNode threads = o.putArray("threads");
        for (l4smp.workload.Report.Row row : simulation.report().rows()) {
            com.fasterxml.jackson.databind.node.ObjectNode t = threads.addObject();
            t.put("name", row.name()).put("id", row.id().toString()).put("state", row.state()).put("cycles", row.cycles())
                    .put("pageFaults", row.pageFaults());
            if (row.stats().killed() != null) t.put("killed", String.valueOf(row.stats().killed()));
            com.fasterxml.jackson.databind.node.ObjectNode ipcs = t.putObject("ipcs");
            row.stats().ipcs().forEach((op, codes) -> {
                com.fasterxml.jackson.databind.node.ObjectNode byCode = ipcs.putObject(op.label());
                codes.forEach((code, n) -> byCode.put(code.label(), n));
            });
        }
        return o;
    }

    private static void printSummary(PrintWriter out, Simulation simulation, RunResult result) {
        Scenario s = simulation.scenario();
        String ending = switch (result.reason()) {
            case QUIESCENT -> "came to rest: every thread waits and nothing can happen any more";
            case STEP_LIMIT -> "stopped at the step limit";
            case CONDITION -> "stopped";
        };
        out.printf(Locale.ROOT, "scenario %s: %d cpu%s%s, %d MB, %s scheduler%s%n", s.name(), s.machine().cpus(),
                s.machine().cpus() == 1 ? "" : "s",
                s.machine().failingCpus().isEmpty() ? "" : " (failing to start: " + s.machine().failingCpus() + ")",
                s.machine().memoryMB(), s.run().scheduler(),
                s.run().scheduler().equals("random") ? " (seed " + s.run().seed() + ")" : "");
        out.printf(Locale.ROOT, "ran %d steps, %d simulated cycles (%.1f µs at 450 MHz); %s%n", result.steps(),
                Cycles.wholeCycles(simulation.machine().elapsedMillicycles()),
                simulation.machine().elapsedMillicycles() / 1000.0 / 450, ending);
    }
}
