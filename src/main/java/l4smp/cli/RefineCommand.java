package l4smp.cli;

import l4smp.refine.SpecLoadException;
import l4smp.refine.TraceChecker;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import l4smp.trace.format.HtmlFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code l4smp refine TRACE --spec SPEC}: is a recorded trace a behaviour of the spec? */
@Command(name = "refine", mixinStandardHelpOptions = true,
        description = {"Check that a trace (ITF JSON) is a behaviour of a TLA+ spec: its first state satisfies Init, "
                + "each step Next (or changes no variable), every state the cfg's invariants; a step that names an action "
                + "must be a step of that action.",
                "On a rejection, prints the first bad step: the states before and after, the action the trace claims, "
                        + "and the variables in which the state differs from every successor the spec allows."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the trace is a behaviour of the spec", "30:the trace is not a behaviour of the spec",
                "14:the spec or cfg does not load", " 2:usage or I/O error"})
final class RefineCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    Terminal terminal;

    @picocli.CommandLine.Mixin
    SpecArguments target;

    @Option(names = {"-s", "--spec"}, paramLabel = "SPEC",
            description = "module name under spec-tla/, or a .tla file (default: the one the trace names, as a kernel "
                    + "trace written by `simulate --trace-out FILE --spec SPEC` does, with its cfg)")
    String spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "an ITF JSON trace file")
    Path input;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE.html",
            description = "on a rejection, write the accepted prefix and the bad step as an HTML page")
    Path out;

    @Override
    public Integer call() {
        if (out != null) OutputFiles.checkWritable(out);
        Trace trace = ExportCommand.read(input);
        Path[] files = specAndConfig(trace);
        Path specFile = files[0];
        Path cfg = files[1];
        List<Path> path = target.libraryPath();
        TraceVerdict verdict;
        try (TraceChecker checker = TraceChecker.load(specFile, cfg, path)) {
            verdict = checker.check(trace);
        } catch (SpecLoadException e) {
            throw new UserError(ExitCodes.PARSE, e.getMessage(), "fix the spec or cfg; l4smp check " + spec + " shows more");
        }
        PrintWriter o = terminal.out();
        if (verdict.accepted()) {
            o.printf("accepted: %d states, %d steps checked against %s with %s%n", trace.size(), verdict.stepsChecked(),
                    specFile.getFileName(), cfg.getFileName());
            return ExitCodes.OK;
        }
        print(o, trace, verdict.failure());
        if (out != null) OutputFiles.write(Map.of(out, HtmlFormat.write(prefix(trace, verdict.failure()))));
        return ExitCodes.REJECTED;
    }

    /** --spec and --config, or what the trace's #meta names (files beside the trace, or a module of the project). */
    private Path[] specAndConfig(Trace trace) {
        if (spec != null) return target.specAndConfig(spec);
        String named = trace.meta().get("spec");
        if (named == null) {
            throw UserError.usage("the trace does not name its spec", "give --spec SPEC (a module under spec-tla/ or a .tla file)");
        }
        Path dir = input.toAbsolutePath().getParent();
        Path specFile = named.endsWith(".tla") ? dir.resolve(named) : target.specFile(named);
        if (!java.nio.file.Files.isRegularFile(specFile)) {
            throw UserError.usage("the module the trace names, " + specFile + ", is not there", "give --spec SPEC");
        }
        String cfg = trace.meta().get("config");
        if (target.config == null && cfg != null) target.config = dir.resolve(cfg);
        return new Path[]{specFile, target.configFile(specFile)};
    }

    private static void print(PrintWriter o, Trace trace, TraceVerdict.Failure f) {
        o.println("rejected at state " + f.index() + ": " + f.message());
        if (f.claimed() != null) o.println("  claimed action: " + f.claimed());
        if (!f.diverging().isEmpty()) o.println("  diverging variables: " + String.join(", ", f.diverging()));
        if (f.kind() == TraceVerdict.Kind.NOT_A_STEP || f.kind() == TraceVerdict.Kind.WRONG_ACTION) {
            o.println("  actions " + (f.kind() == TraceVerdict.Kind.WRONG_ACTION ? "taking this step" : "enabled before it") + ": "
                    + (f.enabled().isEmpty() ? "none" : String.join(", ", f.enabled().stream().map(ActionLabel::toString).toList())));
        }
        if (f.before() != null) {
            o.println("  before (state " + (f.index() - 1) + "):");
            state(o, f.before(), f.diverging());
        }
        o.println("  " + (f.before() == null ? "state 0" : "after (state " + f.index() + ")") + ":");
        state(o, f.after(), f.diverging());
        o.flush();
    }

    private static void state(PrintWriter o, TraceState s, List<String> diverging) {
        s.values().forEach((k, v) -> o.println((diverging.contains(k) ? "  ! " : "    ") + k + " = " + v));
    }

    /** The states up to and including the bad one, titled with the verdict. */
    private static Trace prefix(Trace trace, TraceVerdict.Failure f) {
        List<TraceState> states = new ArrayList<>(trace.states().subList(0, Math.min(f.index() + 1, trace.size())));
        if (f.index() >= trace.size()) states.add(f.after());
        Map<String, String> meta = new LinkedHashMap<>(trace.meta());
        meta.put("title", "Rejected at state " + f.index() + ": " + f.kind().name().toLowerCase(java.util.Locale.ROOT));
        meta.put("verdict", f.message());
        return new Trace(trace.variables(), states, null, null, meta);
    }
}
