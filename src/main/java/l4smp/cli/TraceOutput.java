package l4smp.cli;

import l4smp.tlc.Project;
import l4smp.trace.Trace;
import l4smp.trace.format.TraceFormat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writing a trace to {@code --out FILE} (or {@code -}, standard output) in {@code --format}, the same way for every command. */
final class TraceOutput {
    private TraceOutput() {
    }

    /**
     * The format to write {@code out} in: {@code format} if given, else by the file's extension;
     * fails early if it cannot be told or the file(s) cannot be written.
     */
    static TraceFormat formatFor(Path out, TraceFormat format) {
        if (OutputFiles.isStdout(out)) {
            if (format == null) throw UserError.usage("--out - needs --format", "give --format itf|dot|html|text");
            if (format == TraceFormat.TLA) {
                throw UserError.usage("the tla format writes two files (X.tla and X.cfg), so it cannot go to standard output",
                        "give --out X.tla");
            }
            return format;
        }
        TraceFormat f = format != null ? format : TraceFormat.fromFileName(out.getFileName().toString());
        if (f == null) {
            throw UserError.usage("cannot tell the format of " + out,
                    "give --format itf|tla|dot|html|text, or a file ending in .itf.json, .tla, .dot, .html or .txt");
        }
        OutputFiles.checkWritable(out);
        if (f == TraceFormat.TLA) OutputFiles.checkWritable(out.resolveSibling(Project.moduleName(out) + ".cfg"));
        return f;
    }

    /**
     * Renders and writes the trace (all files or none); {@code -} writes it to {@code stdout}.
     *
     * @param originalCfg the cfg's text, for the tla format
     * @return the files written (none for standard output)
     */
    static List<Path> write(Trace trace, Path out, TraceFormat f, String originalCfg, PrintWriter stdout) {
        Map<Path, String> files;
        try {
            files = f.render(trace, out, originalCfg);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("cannot write " + out + " as " + f.label() + ": " + e.getMessage(), null);
        }
        if (OutputFiles.isStdout(out)) {
            stdout.print(files.get(out));
            stdout.flush();
            return List.of();
        }
        OutputFiles.write(files);
        return List.copyOf(files.keySet());
    }

    static String written(List<Path> files) {
        return "written: " + String.join(", ", files.stream().map(Path::toString).toList());
    }
}
