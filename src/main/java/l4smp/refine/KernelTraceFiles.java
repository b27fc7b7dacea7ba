package l4smp.refine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.tlc.Project;
import l4smp.trace.Trace;
import l4smp.trace.format.Itf;

/**
 * A kernel run abstracted to a spec, as files that {@code l4smp refine} checks without more
 * arguments: the trace (ITF JSON) and beside it the trace-checking cfg made from the run, plus, for
 * a spec whose constants are functions (ProxyWakeup's programs), a module extending the spec that
 * defines them. The trace's {@code #meta} names them.
 */
public final class KernelTraceFiles {
    private KernelTraceFiles() {
    }

    /** The files to write for {@code traceFile}, by path; the trace first. */
    public static Map<Path, String> of(Project project, KernelRefinement.Abstraction abstraction, Path traceFile) {
        String base = baseName(traceFile);
        Trace trace = abstraction.trace();
        String module = abstraction.module(base);
        Path cfg = traceFile.resolveSibling(base + ".cfg");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("spec", module == null ? abstraction.spec() : base + ".tla");
        meta.put("config", cfg.getFileName().toString());
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(traceFile, Itf.write(trace.withMeta(meta)));
        files.put(cfg, abstraction.config(KernelRefinement.standardInvariants(project, abstraction.spec()), base));
        if (module != null) {
            files.put(traceFile.resolveSibling(base + ".tla"), module);
        }
        return files;
    }

    /** {@code run.itf.json} gives {@code run}: the name of the cfg and module beside it (a TLA+ identifier). */
    static String baseName(Path traceFile) {
        String name = traceFile.getFileName().toString();
        for (String ext : List.of(".itf.json", ".json")) {
            if (name.endsWith(ext)) {
                name = name.substring(0, name.length() - ext.length());
                break;
            }
        }
        return TlaNames.identifier(name.isEmpty() ? "run" : name);
    }
}
