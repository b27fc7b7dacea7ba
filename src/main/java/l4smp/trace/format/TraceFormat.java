package l4smp.trace.format;

import l4smp.trace.Trace;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The formats a trace can be written in, and which files each writes. */
public enum TraceFormat {
    ITF, TLA, DOT, HTML, TEXT;

    /** The format a file name asks for by its extension, or {@code null}. */
    public static TraceFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) return ITF;
        if (n.endsWith(".tla")) return TLA;
        if (n.endsWith(".dot") || n.endsWith(".gv")) return DOT;
        if (n.endsWith(".html") || n.endsWith(".htm")) return HTML;
        if (n.endsWith(".txt")) return TEXT;
        return null;
    }

    /**
     * The files to write for {@code trace} at {@code out}: one file, except TLA, which writes the
     * module and a cfg beside it ({@code X.tla}, {@code X.cfg}).
     *
     * @param originalCfg the text of the cfg the trace was found with (TLA only; may be null otherwise)
     */
    public Map<Path, String> render(Trace trace, Path out, String originalCfg) {
        Map<Path, String> files = new LinkedHashMap<>();
        switch (this) {
            case ITF -> files.put(out, Itf.write(trace));
            case DOT -> files.put(out, DotFormat.write(trace));
            case HTML -> files.put(out, HtmlFormat.write(trace));
            case TEXT -> files.put(out, TextFormat.write(trace));
            case TLA -> {
                String fileName = out.getFileName().toString();
                if (!fileName.endsWith(".tla")) {
                    throw new IllegalArgumentException("a TLA+ module's file name ends in .tla, not " + fileName);
                }
                String module = fileName.substring(0, fileName.length() - 4);
                TlaTraceModule.Files f = TlaTraceModule.write(trace, module, originalCfg == null ? "" : originalCfg);
                files.put(out, f.tla());
                files.put(out.resolveSibling(module + ".cfg"), f.cfg());
            }
        }
        return files;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
