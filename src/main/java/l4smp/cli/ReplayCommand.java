package l4smp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import l4smp.kernel.RemovedFix;
import l4smp.refine.CounterexampleReplay;
import l4smp.refine.ReplayException;
import l4smp.refine.SpecLoadException;
import l4smp.tlc.Project;
import l4smp.tlc.TextFiles;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.Trace;
import l4smp.trace.format.Itf;
import l4smp.trace.format.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code l4smp replay TRACE --spec SPEC}: a TLC counterexample of a bug configuration, driven on
 * the kernel with the matching fault-injection switches through the same interleaving, printed
 * beside the kernel's run (docs/refine.md, "Replaying a counterexample on the kernel").
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Drive the kernel through a TLC counterexample (ITF JSON, as `l4smp check CFG --out X.itf.json` "
                + "writes it) of a bug configuration: the kernel gets the switches that leave out the fixes the cfg leaves "
                + "out, a thread per spec thread on its CPU, a thread_schedule call per SchedulerIssue (MigrationBarriers) or "
                + "the thread's sends and receives (ProxyWakeup, XpIpc), and the trace's "
                + "actions in its order on its CPUs. Prints per step: the spec's action | the kernel step (cpu, path "
                + "segments, threads) | verdict, then whether the kernel's run, abstracted to the spec, violates the "
                + "counterexample's invariant, or (a deadlock) is stuck after the trace's last action.",
                "Supported: MigrationBarriers (NoBarrier1, NoBarrier2, NoBarrier2A, NoBarrier3, NoBarrier3Cpu, NoLock, Crossing), "
                        + "ProxyWakeup (NoSenderCheck), XpIpc (SenderTimeout)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the kernel's run ends in the counterexample's violation (or is stuck as its deadlock)",
                "31:the kernel left the trace, or followed it without the same violation",
                "32:the counterexample is one replay cannot drive (no kernel switch for its cfg, an action it does not map, liveness)",
                " 2:usage or I/O error: not an ITF trace, no counterexample, a cfg that leaves no fix out, unknown spec"})
final class ReplayCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Terminal terminal;

    @Parameters(index = "0", paramLabel = "TRACE", description = "a counterexample as ITF JSON")
    Path input;

    @Option(names = {"-s", "--spec"}, paramLabel = "SPEC", required = true,
            description = "the spec the counterexample is of: MigrationBarriers, ProxyWakeup or XpIpc")
    String spec;

    @Option(names = {"-c", "--config"}, paramLabel = "CFG",
            description = "the counterexample's cfg (default: the one its title names, under model-configs/SPEC/)")
    Path config;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "write the derived scenario.json and schedule.txt there: "
                    + "`l4smp simulate DIR/scenario.json --schedule DIR/schedule.txt --check SPEC` runs them again")
    Path out;

    @Option(names = "--root", paramLabel = "DIR", description = "project root with spec-tla/ and model-configs/ (default: found from here)")
    Path root;

    @Override
    public Integer call() throws IOException {
        Trace trace = read(input);
        if (out != null) {
            OutputFiles.createDirectory(out);
        }
        PrintWriter o = terminal.out();
        CounterexampleReplay.Result result;
        try {
            CounterexampleReplay replay = CounterexampleReplay.of(Project.locate(root), trace, spec, config);
            o.println("replay of " + trace.meta().getOrDefault("title", input.toString()));
            o.println("kernel: removedFixes [" + replay.removed().stream().map(RemovedFix::scenarioName)
                    .collect(Collectors.joining(", ")) + "]; spec CPUs in name order are cpu0, cpu1, ...");
            result = replay.run();
        } catch (ReplayException e) {
            int code = switch (e.kind()) {
                case INPUT -> ExitCodes.USAGE;
                case UNSUPPORTED -> ExitCodes.REPLAY_UNSUPPORTED;
                case NOT_REPRODUCED -> ExitCodes.NOT_REPRODUCED;
            };
            throw new UserError(code, input + ": " + e.getMessage(), e.hint());
        } catch (SpecLoadException e) {
            throw new UserError(ExitCodes.PARSE, e.getMessage(), "l4smp check " + spec + " shows more");
        }
        print(o, result);
        if (out != null) {
            Path scenario = out.resolve("scenario.json");
            Path schedule = out.resolve("schedule.txt");
            OutputFiles.write(Map.of(scenario, result.scenario() + "\n", schedule, result.schedule().toText()));
            o.println("written: " + scenario + ", " + schedule);
        }
        return result.reproduced() ? ExitCodes.OK : ExitCodes.NOT_REPRODUCED;
    }

    private static void print(PrintWriter o, CounterexampleReplay.Result r) {
        TraceVerdict.Failure f = r.verdict().accepted() ? null : r.verdict().failure();
        List<CounterexampleReplay.Row> rows = r.rows();
        int width = rows.stream().mapToInt(x -> x.action().length() + x.by().length() + 2).max().orElse(20);
        int kernelWidth = rows.stream().mapToInt(x -> x.step().length()).max().orElse(20);
        String format = "%5s  %-" + width + "s | %-" + kernelWidth + "s | %s%n";
        o.printf(Locale.ROOT, format, "state", "spec action @ cpu", "kernel step", "verdict");
        for (int i = 0; i < rows.size(); i++) {
            CounterexampleReplay.Row x = rows.get(i);
            boolean last = i == rows.size() - 1;
            String verdict = (x.differs() == null ? "same action" : "same action, but " + x.differs())
                    + (last && f != null && f.kind() == TraceVerdict.Kind.INVARIANT ? "; violates " + f.invariant() : "")
                    + (last && r.invariant() == null && r.reproduced() ? "; stuck from here" : "");
            o.printf(Locale.ROOT, format, x.state(), x.action() + " @" + x.by(), x.step(), verdict);
        }
        if (r.invariant() == null) {
            CounterexampleReplay.Stuck s = r.stuck();
            if (r.reproduced()) {
                o.printf("reproduced: stuck, as the counterexample's deadlock: after its last action the kernel ran %d more "
                        + "kernel steps (earliest clock first) and took none of the spec's actions; "
                        + "spinning: %s%n", s.steps(),
                        s.describe());
            } else {
                o.printf("not reproduced: %s%n", f != null ? "the kernel's run is not a behaviour of the spec: " + f.message()
                        : "the kernel went on after the trace's end: " + s.progress().get(0));
            }
            return;
        }
        if (r.reproduced()) {
            o.printf("reproduced: the kernel's run, abstracted to the spec, violates %s at its state %d (%s), as the "
                    + "counterexample does at its last state%n", r.invariant(), f.index(), f.claimed());
        } else {
            o.printf("not reproduced: the kernel took the trace's actions, but its run, abstracted to the spec, %s%n",
                    f == null ? "violates no invariant" : "fails otherwise: " + f.message());
        }
    }

    /** The counterexample; a file that is no ITF trace is a usage error. */
    private static Trace read(Path file) {
        if (!Files.exists(file)) throw UserError.usage("trace file not found: " + file, "give the path of an ITF JSON trace");
        String notText = TextFiles.problem(file);
        if (notText != null) throw UserError.usage(file + " " + notText, "expected an ITF JSON trace (" + Itf.FORMAT_DESCRIPTION + ")");
        try {
            return Itf.read(Files.readString(file));
        } catch (IOException e) {
            throw UserError.usage("cannot read " + file + ": " + e.getMessage(), null);
        } catch (TraceFormatException e) {
            throw UserError.usage(file + " is not an ITF trace: " + e.getMessage(), "give a counterexample `l4smp check CFG --out X.itf.json` wrote");
        }
    }
}
