package l4smp.cli;

import l4smp.trace.Trace;
import l4smp.trace.format.Itf;
import l4smp.trace.format.TraceFormat;
import l4smp.trace.format.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code l4smp export TRACE --out FILE}: convert a trace file (ITF JSON) to another format. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Convert a trace (ITF JSON, as written by check --out or by a kernel run) to another format.",
                "The tla format needs the cfg the trace was found with: it is taken from the trace's "
                        + "metadata, or from --config."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:written", " 2:usage or I/O error (unreadable or malformed trace, unwritable output)"})
final class ExportCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    Terminal terminal;

    @Parameters(index = "0", paramLabel = "TRACE", description = "an ITF JSON trace file")
    Path input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "the file to write (- for standard output, with --format)")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "itf, tla, dot, html, text (default: from FILE's extension)")
    TraceFormat format;

    @Option(names = {"-c", "--config"}, paramLabel = "CFG", description = "tla format: the cfg the trace was found with")
    Path config;

    @Override
    public Integer call() throws IOException {
        Trace trace = read(input);
        TraceFormat f = TraceOutput.formatFor(out, format);
        List<Path> files = TraceOutput.write(trace, out, f, f == TraceFormat.TLA ? configText(trace) : null, terminal.out());
        if (!files.isEmpty()) terminal.out().println(TraceOutput.written(files));
        return ExitCodes.OK;
    }

    static Trace read(Path file) {
        String notText = l4smp.tlc.TextFiles.problem(file);
        if (notText != null && Files.exists(file)) {
            throw UserError.usage(file + " " + notText, "expected an ITF JSON trace (" + Itf.FORMAT_DESCRIPTION + ")");
        }
        try {
            return Itf.read(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw UserError.usage("trace file not found: " + file, "give the path of an ITF JSON trace");
        } catch (IOException e) {
            throw UserError.usage("cannot read " + file + ": " + e.getMessage(), null);
        } catch (TraceFormatException e) {
            throw UserError.usage(file + " is not an ITF trace: " + e.getMessage(),
                    "see https://apalache-mc.org/docs/adr/015adr-trace.html for the format");
        }
    }

    private String configText(Trace trace) throws IOException {
        Path cfg = config != null ? config : trace.meta().containsKey("config") ? Path.of(trace.meta().get("config")) : null;
        if (cfg == null || !Files.isRegularFile(cfg)) {
            throw UserError.usage("the tla format needs the cfg the trace was found with" + (cfg == null ? "" : "; " + cfg + " does not exist"),
                    "give it with --config FILE");
        }
        return Files.readString(cfg);
    }
}
