package l4smp.tlc.engine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.tlc.SpecProblem;
import l4smp.tlc.Statistics;
import l4smp.trace.Trace;
import tlc2.TLCGlobals;
import tlc2.output.EC;
import tlc2.tool.ITool;
import util.FilenameToStream;

import java.util.ArrayList;
import java.util.List;

/** Classifies a finished TLC run from its recorded messages and assembles the result. */
final class ResultBuilder {
    private final CheckRequest request;
    private final Recorder recorder;
    private final String output;
    private final FilenameToStream resolver;
    private final long wallMillis;
    /** The tool of a run that has no checker in TLCGlobals (a distributed server's), or {@code null}. */
    private final ITool serverTool;

    ResultBuilder(CheckRequest request, Recorder recorder, String output, FilenameToStream resolver, long wallMillis) {
        this(request, recorder, output, resolver, wallMillis, null);
    }

    ResultBuilder(CheckRequest request, Recorder recorder, String output, FilenameToStream resolver, long wallMillis,
                  ITool serverTool) {
        this.request = request;
        this.recorder = recorder;
        this.output = output;
        this.resolver = resolver;
        this.wallMillis = wallMillis;
        this.serverTool = serverTool;
    }

    /**
     * The code {@code TLC.process()} returned decides the outcome; the recorded messages give the
     * details. (TLC also records codes for errors it recovers from, e.g. while splitting actions,
     * so the first recorded error is not necessarily the one that ended the run.)
     */
    CheckResult build(int code) {
        // A worker thread that dies (a stack overflow in Next) reports an error, but process() may
        // still return success, depending on which thread gets there first: trust the report. Not
        // for a distributed server, which reports remote workers leaving (RMI's "object not
        // exported") as such errors after a run that ended well.
        if (code == 0 && serverTool == null && output.lines().anyMatch(l -> l.startsWith("Error:"))) code = EC.GENERAL;
        ITool tool = tool();
        Statistics stats = statistics();
        List<String> warnings = tool == null ? List.of() : SanyProblems.warnings(tool);

        List<String> undeclared = code == EC.TLC_PARSING_FAILED || code == EC.TLC_PARSING_FAILED2 ? List.of()
                : recorder.undeclared(tool);
        if (!undeclared.isEmpty()) {
            String message = ConfigNames.undeclaredMessage(undeclared);
            return result(Outcome.CONFIG_ERROR, null, List.of(), Statistics.NONE, null,
                    List.of(ProblemLocator.nameInConfig(request.config(), undeclared.get(0), message)), warnings, message);
        }
        if (code == EC.TLC_PARSING_FAILED || code == EC.TLC_PARSING_FAILED2) {
            List<SpecProblem> problems = SanyProblems.of(request.spec(), resolver);
            String msg = problems.isEmpty() ? firstErrorText() : problems.get(0).toString();
            return result(Outcome.PARSE_ERROR, null, List.of(), stats, null, problems, warnings, msg);
        }
        for (int v : ErrorCodes.VIOLATIONS) {
            if (code == v) return violation(recorder.last(code), tool, stats, warnings);
        }
        if (code != 0) return error(recorder.last(code), code, stats, warnings);
        return result(Outcome.HOLDS, null, List.of(), stats, null, List.of(), warnings,
                request.simulation() == null ? "no error has been found" : "no error has been found in "
                        + stats.traces() + " simulated behaviours");
    }

    private CheckResult violation(Recorder.Message m, ITool tool, Statistics stats, List<String> warnings) {
        Trace trace = withShape(new TraceAssembler(recorder, tool).assemble(), tool);
        int c = m.code();
        if (c == EC.TLC_DEADLOCK_REACHED) {
            return result(Outcome.DEADLOCK, null, List.of(), stats, trace, List.of(), warnings,
                    "deadlock reached after " + (trace == null ? "?" : trace.size()) + " states");
        }
        if (c == EC.TLC_INVARIANT_VIOLATED_INITIAL || c == EC.TLC_INVARIANT_VIOLATED_BEHAVIOR) {
            String name = m.text(0);
            return result(Outcome.INVARIANT_VIOLATED, name, List.of(), stats, trace, List.of(), warnings,
                    "invariant " + name + " is violated" + (c == EC.TLC_INVARIANT_VIOLATED_INITIAL ? " by an initial state" : ""));
        }
        if (c == EC.TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR || c == EC.TLC_PROPERTY_VIOLATED_INITIAL) {
            String name = m.text(0);
            return result(Outcome.PROPERTY_VIOLATED, name, List.of(), stats, trace, List.of(), warnings,
                    "property " + name + " is violated");
        }
        // A temporal property: TLC checks all PROPERTIES together and does not say which one failed.
        List<String> properties = tool == null ? List.of() : ConfigNames.properties(tool);
        String name = properties.size() == 1 ? properties.get(0) : null;
        return result(Outcome.PROPERTY_VIOLATED, name, name == null ? properties : List.of(), stats, trace, List.of(),
                warnings, "temporal property " + (name != null ? name : "(one of " + properties + ")") + " is violated");
    }

    private CheckResult error(Recorder.Message m, int code, Statistics stats, List<String> warnings) {
        Outcome outcome = ErrorCodes.outcomeOf(code);
        String message = firstErrorText();
        if (code == EC.SYSTEM_STACK_OVERFLOW || RecursionLocator.isStackOverflow(message)) {
            SpecProblem p = RecursionLocator.locate(tool(), request.spec(), output,
                    recorder.last(EC.TLC_INIT_GENERATED1) != null, (l4smp.tlc.EvaluationStack.BYTES >> 20) + " MB");
            return result(Outcome.EVALUATION_ERROR, null, List.of(), stats, null, List.of(p), warnings, p.message());
        }
        SpecProblem problem = outcome == Outcome.CONFIG_ERROR
                ? ProblemLocator.inConfig(request.config(), message)
                : ProblemLocator.inSpec(request.spec(), output, message);
        Trace upToError = withShape(new TraceAssembler(recorder, tool()).assemble(), tool());
        return result(outcome, null, List.of(), stats, upToError, List.of(problem), warnings, message);
    }

    /** Records in the trace what a TLA+ replay of it needs: the spec, cfg, Init and Next. */
    private Trace withShape(Trace trace, ITool tool) {
        if (trace == null) return null;
        return trace.withMeta(SpecShape.of(tool, request.spec(), request.config()));
    }

    private CheckResult result(Outcome o, String violated, List<String> candidates, Statistics s, Trace t,
                               List<SpecProblem> problems, List<String> warnings, String message) {
        return new CheckResult(o, violated, candidates, s, t, problems, warnings, message);
    }

    private ITool tool() {
        return serverTool != null ? serverTool : localTool();
    }

    /** The tool of the model checker or simulator running in this JVM, if any. */
    static ITool localTool() {
        if (TLCGlobals.mainChecker != null) return TLCGlobals.mainChecker.tool;
        if (TLCGlobals.simulator != null) return SimulatorAccess.tool(TLCGlobals.simulator);
        return null;
    }

    private Statistics statistics() {
        long generated = 0, distinct = 0, queue = 0, depth = Statistics.UNKNOWN, traces = 0;
        Recorder.Message stats = recorder.last(EC.TLC_STATS);
        if (stats != null) {
            generated = number(stats.text(0));
            distinct = number(stats.text(1));
            queue = number(stats.text(2));
        }
        if (TLCGlobals.simulator != null) {
            long[] st = SimulatorAccess.statesAndTraces(TLCGlobals.simulator);
            generated = st[0];
            distinct = st[0];
            traces = st[1];
        }
        Recorder.Message d = recorder.last(EC.TLC_SEARCH_DEPTH);
        if (d != null) depth = number(d.text(0));
        return new Statistics(generated, distinct, queue, depth, traces, wallMillis);
    }

    private static long number(String s) {
        if (s == null) return 0;
        try {
            return Long.parseLong(s.replace(",", "").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** TLC's own words for the first error, as it printed them (the lines after "Error:"). */
    private String firstErrorText() {
        List<String> lines = new ArrayList<>();
        boolean inError = false;
        for (String line : output.split("\\R")) {
            if (!inError && line.startsWith("Error:")) {
                inError = true;
                line = line.substring("Error:".length()).trim();
            } else if (inError && (line.isBlank() || line.startsWith("Error:") || line.startsWith("Finished"))) {
                break;
            }
            if (inError && !line.isBlank()) lines.add(line.trim());
            if (lines.size() >= 12) break;
        }
        if (lines.isEmpty()) {
            String[] all = output.strip().split("\\R");
            return all.length == 0 ? "TLC failed without a message" : all[all.length - 1];
        }
        return String.join("\n", lines);
    }
}
