package l4smp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.ClusterOptions;
import l4smp.tlc.SpecProblem;
import l4smp.tlc.TlcDriver;
import l4smp.tlc.worker.Protocol;
import l4smp.trace.Trace;
import l4smp.trace.format.TextFormat;
import l4smp.trace.format.TraceFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code l4smp check SPEC}: model-check (or simulate) one spec with TLC and report what it found. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Model-check a TLA+ spec with TLC.",
                "SPEC is a module name found under spec-tla/ (e.g. XpIpc) or a path to a .tla file. "
                        + "The cfg defaults to the one beside the spec, else model-configs/<Spec>/<Spec>.cfg."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the model holds", " 2:usage or I/O error", "10:invariant violated",
                "11:action or temporal property violated", "12:deadlock", "13:false ASSUME or evaluation error",
                "14:parse or semantic error", "15:cfg error", "16:--timeout reached",
                "60:--distributed: too few workers joined within --worker-timeout, or all left", " 1:internal error"})
final class CheckCommand implements Callable<Integer> {

    @Mixin
    Terminal terminal;

    @Mixin
    SpecArguments target;

    @Parameters(index = "0", paramLabel = "SPEC", description = "module name under spec-tla/, or a .tla file")
    String spec;

    @Option(names = "--workers", paramLabel = "N|auto", defaultValue = "auto", converter = Converters.Workers.class,
            description = "TLC worker threads (default: ${DEFAULT-VALUE}, one per core)")
    int workers;

    @Option(names = "--deadlock", negatable = true,
            description = "check for deadlock (default: as the cfg says, i.e. on unless CHECK_DEADLOCK FALSE)")
    Boolean deadlock;

    @Option(names = "--simulate", description = "random simulation instead of exhaustive model checking")
    boolean simulate;

    @Option(names = "--depth", defaultValue = "100", description = "simulation: states per behaviour (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--traces", defaultValue = "1000", description = "simulation: number of behaviours (default: ${DEFAULT-VALUE})")
    long traces;

    @Option(names = "--seed", description = "seed of TLC's random choices (simulation)")
    Long seed;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Time.class,
            description = "stop after this long, e.g. 90s, 5m (exit 16)")
    Duration timeout;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "write the counterexample to FILE (- for standard output, with --format; the report then goes to stderr)")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "format of --out: itf, tla, dot, html, text (default: from FILE's extension)")
    TraceFormat format;

    @Option(names = "--json", description = "print a machine-readable summary (with the trace as ITF) on stdout")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "print only the one-line result, and no progress")
    boolean quiet;

    @Mixin
    DistributedOptions distributed;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        CheckRequest request = request();
        TraceFormat outFormat = outputFormat();
        ClusterOptions cluster = distributed.options(request);
        CheckResult result;
        if (cluster != null) {
            result = DistributedOptions.check(request, cluster, terminal.err(), !quiet);
        } else {
            try (ProgressLine progress = new ProgressLine(terminal.err(), !quiet, "")) {
                result = TlcDriver.shared().check(request, progress);
            }
        }
        report(request, result);
        writeTrace(result, outFormat, request);
        return ExitCodes.of(result.outcome());
    }

    private void checkOptions() {
        if (depth < 1) throw UserError.usage("--depth must be at least 1, not " + depth, "a behaviour has at least its initial state");
        if (traces < 1) throw UserError.usage("--traces must be at least 1, not " + traces, null);
        if (json && OutputFiles.isStdout(out)) {
            throw UserError.usage("--json and --out - both write to standard output", "give --out FILE, or leave out --json");
        }
    }

    /** Where the human-readable report goes: stdout, unless the trace itself goes there. */
    private java.io.PrintWriter reportStream() {
        return OutputFiles.isStdout(out) ? terminal.err() : terminal.out();
    }

    private CheckRequest request() {
        Path[] files = target.specAndConfig(spec);
        return new CheckRequest(files[0], files[1], workers, deadlock,
                simulate ? new CheckRequest.Simulation(depth, traces) : null, seed, timeout, target.libraryPath());
    }

    private TraceFormat outputFormat() {
        if (out == null) {
            if (format != null) throw UserError.usage("--format needs --out FILE", "add --out FILE, e.g. --out trace.html");
            return null;
        }
        return TraceOutput.formatFor(out, format);
    }

    private void report(CheckRequest request, CheckResult result) {
        if (json) {
            ObjectNode o = Protocol.resultToJson(result);
            o.put("spec", request.spec().toString());
            o.put("config", request.config().toString());
            o.put("exitCode", ExitCodes.of(result.outcome()));
            terminal.out().println(o.toPrettyString());
            return;
        }
        for (SpecProblem p : result.problems()) terminal.err().println("l4smp: " + p);
        java.io.PrintWriter o = reportStream();
        o.println(Summary.oneLine(request, result));
        if (quiet) return;
        o.print(Summary.details(result));
        if (result.trace() != null && out == null) {
            o.println();
            o.print(TextFormat.write(result.trace()));
        }
        o.flush();
    }

    private void writeTrace(CheckResult result, TraceFormat f, CheckRequest request) throws IOException {
        if (f == null) return;
        Trace trace = result.trace();
        if (trace == null) {
            if (!json) terminal.err().println("l4smp: no counterexample, so nothing written to " + out);
            return;
        }
        String cfgText = f == TraceFormat.TLA ? Files.readString(request.config()) : null;
        List<Path> files = TraceOutput.write(trace.withMeta(Map.of("title", Summary.title(request, result))), out, f, cfgText,
                terminal.out());
        if (!json && !quiet && !files.isEmpty()) terminal.out().println(TraceOutput.written(files));
    }
}
