package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.refine.SpecLoadException;
import l4smp.refine.TraceChecker;
import l4smp.tlc.TextFiles;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import l4smp.trace.format.HtmlFormat;
import l4smp.trace.format.Itf;
import l4smp.trace.format.ItfStream;
import l4smp.trace.format.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code l4smp refine TRACE [--spec SPEC]}: is a recorded trace a behaviour of the spec? The trace
 * is read and checked a window at a time, so a trace of any length fits in a small heap.
 */
@Command(name = "refine", mixinStandardHelpOptions = true,
        description = {"Check that a trace (ITF JSON) is a behaviour of a TLA+ spec: its first state satisfies Init, "
                + "each step Next (or changes no variable), every state the cfg's invariants; a step that names an action "
                + "must be a step of that action.",
                "On a rejection, prints the first bad step: the states before and after, the action the trace claims, "
                        + "and the variables in which the state differs from every successor the spec allows.",
                "The trace is checked as it is read: memory does not grow with its length."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the trace is a behaviour of the spec", "30:the trace is not a behaviour of the spec",
                "14:the spec or cfg does not load", " 2:usage or I/O error (a malformed trace among them)"})
final class RefineCommand implements Callable<Integer> {
    /** States shown before and after the bad step on the HTML page. */
    static final int CONTEXT = 10;

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
            description = "on a rejection, write a page explaining it, with the states around the bad step")
    Path out;

    @Option(names = "--json", description = "print the verdict as JSON on stdout")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (out != null) OutputFiles.checkWritable(out);
        ItfStream trace = open(input);
        Path[] files = specAndConfig(trace.meta());
        TraceChecker.StreamedVerdict result;
        try (TraceChecker checker = TraceChecker.load(files[0], files[1], target.libraryPath())) {
            result = checker.check(trace, CONTEXT);
        } catch (SpecLoadException e) {
            throw new UserError(ExitCodes.PARSE, e.getMessage(), "fix the spec or cfg; l4smp check " + files[0] + " shows more");
        } catch (ItfStream.UncheckedTraceFormatException e) {
            throw malformed(input, e.getCause());
        }
        TraceVerdict verdict = result.verdict();
        if (json) {
            terminal.out().println(toJson(verdict, trace.size(), files).toPrettyString());
        } else if (verdict.accepted()) {
            terminal.out().printf("accepted: %d states, %d steps checked against %s with %s%n", trace.size(),
                    verdict.stepsChecked(), files[0].getFileName(), files[1].getFileName());
        } else {
            print(terminal.out(), verdict.failure());
        }
        if (!verdict.accepted() && out != null) {
            OutputFiles.write(Map.of(out, HtmlFormat.write(window(trace, result), focus(trace, result))));
        }
        return verdict.accepted() ? ExitCodes.OK : ExitCodes.REJECTED;
    }

    /** --spec and --config, or what the trace's #meta names (files beside the trace, or a module of the project). */
    private Path[] specAndConfig(Map<String, String> meta) {
        if (spec != null) return target.specAndConfig(spec);
        String named = meta.get("spec");
        if (named == null) {
            throw UserError.usage("the trace does not name its spec", "give --spec SPEC (a module under spec-tla/ or a .tla file)");
        }
        Path dir = input.toAbsolutePath().getParent();
        Path specFile = named.endsWith(".tla") ? dir.resolve(named) : target.specFile(named);
        if (!Files.isRegularFile(specFile)) {
            throw UserError.usage("the module the trace names, " + specFile + ", is not there", "give --spec SPEC");
        }
        String cfg = meta.get("config");
        if (target.config == null && cfg != null) target.config = dir.resolve(cfg);
        return new Path[]{specFile, target.configFile(specFile)};
    }

    /** The trace's header, read without its states; a file that is no ITF trace is a usage error. */
    private static ItfStream open(Path file) {
        if (!Files.exists(file)) throw UserError.usage("trace file not found: " + file, "give the path of an ITF JSON trace");
        String notText = TextFiles.problem(file);
        if (notText != null) throw UserError.usage(file + " " + notText, "expected an ITF JSON trace (" + Itf.FORMAT_DESCRIPTION + ")");
        try {
            return ItfStream.open(file);
        } catch (IOException e) {
            throw UserError.usage("cannot read " + file + ": " + e.getMessage(), null);
        } catch (TraceFormatException e) {
            throw malformed(file, e);
        }
    }

    private static UserError malformed(Path file, TraceFormatException e) {
        return UserError.usage(file + " is not an ITF trace: " + e.getMessage(),
                "see " + Itf.FORMAT_DESCRIPTION + " for the format");
    }

    private static void print(PrintWriter o, TraceVerdict.Failure f) {
        o.println("rejected at state " + f.index() + ": " + f.message());
        for (String line : explanation(f)) o.println("  " + line);
        if (f.before() != null) {
            o.println("  before (state " + (f.index() - 1) + "):");
            state(o, f.before(), f.diverging());
        }
        o.println("  " + (f.before() == null ? "state 0" : "after (state " + f.index() + ")") + ":");
        state(o, f.after(), f.diverging());
        o.flush();
    }

    /** The lines that explain a rejection, the same on the terminal and on the page. */
    private static List<String> explanation(TraceVerdict.Failure f) {
        List<String> lines = new ArrayList<>();
        if (f.claimed() != null) lines.add("claimed action: " + f.claimed());
        if (f.claimed() != null && f.kind() == TraceVerdict.Kind.NOT_A_STEP) {
            boolean enabled = f.enabled().stream().anyMatch(a -> a.name().equals(f.claimed().name()));
            lines.add("claimed action " + (enabled ? "was enabled in state " + (f.index() - 1) + ", but does not lead to state "
                    + f.index() : "was not enabled in state " + (f.index() - 1)));
        }
        if (!f.diverging().isEmpty()) lines.add("diverging variables: " + String.join(", ", f.diverging()));
        if (f.kind() == TraceVerdict.Kind.NOT_A_STEP || f.kind() == TraceVerdict.Kind.WRONG_ACTION) {
            lines.add("actions " + (f.kind() == TraceVerdict.Kind.WRONG_ACTION ? "taking this step" : "enabled before it") + ": "
                    + (f.enabled().isEmpty() ? "none" : String.join(", ", f.enabled().stream().map(ActionLabel::toString).toList())));
        }
        return lines;
    }

    private static void state(PrintWriter o, TraceState s, List<String> diverging) {
        s.values().forEach((k, v) -> o.println((diverging.contains(k) ? "  ! " : "    ") + k + " = " + v));
    }

    /** The states around the bad step, titled with the verdict (for a lasso's loop step, the state looped back to last). */
    private static Trace window(ItfStream trace, TraceChecker.StreamedVerdict r) {
        TraceVerdict.Failure f = r.verdict().failure();
        Map<String, String> meta = new LinkedHashMap<>(trace.meta());
        meta.put("title", "Rejected at state " + f.index() + ": " + f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        return new Trace(trace.variables(), r.context(), null, null, meta);
    }

    private static HtmlFormat.Focus focus(ItfStream trace, TraceChecker.StreamedVerdict r) {
        TraceVerdict.Failure f = r.verdict().failure();
        return new HtmlFormat.Focus(r.firstContextIndex(), trace.size() + (f.index() >= trace.size() ? 1 : 0), f.index(),
                "State " + f.index() + ": " + f.message(), explanation(f), f.diverging());
    }

    private static ObjectNode toJson(TraceVerdict v, int states, Path[] files) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("accepted", v.accepted()).put("states", states).put("stepsChecked", v.stepsChecked())
                .put("spec", files[0].toString()).put("config", files[1].toString())
                .put("exitCode", v.accepted() ? ExitCodes.OK : ExitCodes.REJECTED);
        TraceVerdict.Failure f = v.failure();
        if (f == null) return o;
        ObjectNode failure = o.putObject("failure");
        failure.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT)).put("index", f.index()).put("message", f.message());
        if (f.claimed() != null) failure.put("claimed", f.claimed().toString());
        if (f.invariant() != null) failure.put("invariant", f.invariant());
        ArrayNode diverging = failure.putArray("diverging");
        f.diverging().forEach(diverging::add);
        ArrayNode enabled = failure.putArray("enabled");
        f.enabled().forEach(a -> enabled.add(a.toString()));
        return o;
    }
}
