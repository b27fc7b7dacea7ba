package l4smp.cli;

import l4smp.tlc.Project;
import l4smp.trace.Trace;
import l4smp.trace.format.TraceFormat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writing a trace to {@code --out FILE} in {@code --format}, the same way for every command. */
final class TraceOutput {
    private TraceOutput() {
    }

    /**
     * The format to write {@code out} in: {@code format} if given, else by the file's extension;
     * fails early if it cannot be told or the file(s) cannot be written.
     */
    static TraceFormat formatFor(Path out, TraceFormat format) {
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
     * Renders and writes the trace (all files or none).
     *
     * @param originalCfg the cfg's text, for the tla format
     * @return the files written
     */
    static List<Path> write(Trace trace, Path out, TraceFormat f, String originalCfg) {
        Map<Path, String> files;
        try {
            files = f.render(trace, out, originalCfg);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("cannot write " + out + " as " + f.label() + ": " + e.getMessage(), null);
        }
        OutputFiles.write(files);
        return List.copyOf(files.keySet());
    }

    static String written(List<Path> files) {
        return "written: " + String.join(", ", files.stream().map(Path::toString).toList());
    }
}
