package l4smp.tlc.worker;

import l4smp.tlc.TraceVerdict;
import l4smp.trace.Trace;

import java.nio.file.Path;
import java.util.List;

/**
 * The boundary to TLC for checking traces in process: implemented in {@code l4smp.tlc.engine}
 * and loaded, with TLC, by an {@link IsolatedLoader} of its own, one per parsed spec.
 */
public interface TraceEngine {

    /**
     * Parses the spec and its cfg once.
     *
     * @param scratch a private directory (TLC's standard modules are put there)
     * @return {@code null} on success, else what is wrong with the spec or cfg
     */
    String load(Path spec, Path config, List<Path> libraryPath, Path scratch);

    /** The spec's variables, in declaration order. */
    List<String> variables();

    /**
     * What a TLA+ replay of a trace needs to know about the spec: {@code module}, {@code spec},
     * {@code config}, {@code init} and {@code next} (see {@link l4smp.trace.format.TlaTraceModule}).
     */
    java.util.Map<String, String> shape();

    /** The formal parameters of the spec's operator {@code name}, or {@code null} if there is none. */
    List<String> formalParameters(String name);

    /** Decides whether the trace is a behaviour of the spec. */
    TraceVerdict check(Trace trace);

    /**
     * Like {@link #check}, for a window of a long trace read piece by piece: the window's first
     * state ended the previous window and was checked there, so it is not held to Init or the
     * invariants again. Indices in the verdict are the window's.
     */
    TraceVerdict checkContinuation(Trace window);
}
