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

    /**
     * Whether to remember states and steps found good (by fingerprint) and skip them when they
     * recur; on by default. Off, every trace is checked in full: the fresh-behaviour figure.
     */
    void remember(boolean on);

    /**
     * Whether a step's invariants are evaluated only where the step changed a variable they read
     * (on by default). Off, the checker evaluates every invariant on every state, as it did before
     * issue 14: {@code l4smp bench refine --baseline} measures both in one run.
     */
    void incremental(boolean on);

    /**
     * {@code count} random behaviours of at most {@code depth} states, generated with TLC's
     * successor function as TLC's simulator chooses them, from {@code seed}.
     */
    List<Trace> simulate(long seed, int depth, int count);

    /**
     * Where a replay of the trace by TLC's successor function stops, as model-checking a trace
     * module would: -1 at its end, else the index of the first state not reached or violating an
     * invariant (the trace's length for a lasso's loop step).
     */
    int replay(Trace trace);

    /**
     * Whether TLC's successor function takes the step by the operator the label names, with the
     * label's arguments (or stutters), both states satisfying the invariants; {@code null} if
     * there is no such operator or an argument is missing.
     */
    Boolean replayLabelled(l4smp.trace.TraceState before, l4smp.trace.TraceState after, l4smp.trace.ActionLabel label);

    /** Decides whether the trace is a behaviour of the spec. */
    TraceVerdict check(Trace trace);

    /**
     * Like {@link #check}, for a window of a long trace read piece by piece: the window's first
     * state ended the previous window and was checked there, so it is not held to Init or the
     * invariants again. Indices in the verdict are the window's.
     */
    TraceVerdict checkContinuation(Trace window);
}
