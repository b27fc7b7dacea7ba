package l4smp.refine;

import l4smp.tlc.TempDirs;
import l4smp.tlc.TraceVerdict;
import l4smp.tlc.worker.IsolatedLoader;
import l4smp.tlc.worker.TraceEngine;
import l4smp.trace.Trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import l4smp.trace.TraceState;
import l4smp.trace.format.ItfStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decides whether recorded traces are behaviours of a TLA+ spec: the first state satisfies
 * {@code Init}, each step satisfies {@code Next} or leaves the variables unchanged, every state
 * satisfies the cfg's invariants. The spec is parsed once, then any number of traces are checked
 * in process, a few microseconds per step.
 *
 * <p>Each checker has TLC to itself: its own class loader (so several specs can be checked in one
 * JVM, beside model checking in the TLC worker) and its own thread (TLC's thread-locals stay
 * there and go when the checker is closed). Only plain values cross: {@link Trace} in,
 * {@link TraceVerdict} out.
 */
public final class TraceChecker implements AutoCloseable {
    private final IsolatedLoader loader;
    private final ExecutorService thread;
    private final TraceEngine engine;
    private static final java.lang.management.ThreadMXBean THREAD_CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** The CPU time the parse of the spec took on the checker's thread. */
    private long loadCpuNanos;
    /** Set when the loader and thread went on to the checker {@link #reload} made: closing this one leaves them. */
    private boolean handedOn;

    private TraceChecker(IsolatedLoader loader, ExecutorService thread, TraceEngine engine) {
        this.loader = loader;
        this.thread = thread;
        this.engine = engine;
    }

    /**
     * Parses {@code spec} with the constants and invariants of {@code config}.
     *
     * @throws SpecLoadException when the spec or cfg does not load (the message says why)
     */
    public static TraceChecker load(Path spec, Path config, List<Path> libraryPath) throws SpecLoadException {
        IsolatedLoader loader = new IsolatedLoader(TraceChecker.class.getClassLoader());
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "l4smp-trace-checker", l4smp.tlc.EvaluationStack.BYTES);
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
        return load(spec, config, libraryPath, loader, thread);
    }

    /**
     * Closes this checker and parses {@code spec} with {@code config} in its class loader and on
     * its thread: TLC's classes are loaded and compiled by the JIT there already, so the parse
     * takes a fraction of a fresh checker's (a spec in a fresh class loader is parsed and checked
     * by interpreted code for its first second or so). Only for another configuration of the
     * spec this checker was loaded with: TLC's static state (its model values, the variables'
     * numbering, {@code TLCState.Empty}) is then set up again by the parse for the new one alone,
     * and no other checker uses it, since this one is closed.
     *
     * @throws SpecLoadException when the spec or cfg does not load; the class loader is closed too
     */
    public TraceChecker reload(Path spec, Path config, List<Path> libraryPath) throws SpecLoadException {
        if (handedOn) {
            throw new IllegalStateException("this checker's class loader went on to another checker already");
        }
        handedOn = true;
        return load(spec, config, libraryPath, loader, thread);
    }

    private static TraceChecker load(Path spec, Path config, List<Path> libraryPath, IsolatedLoader loader,
                                     ExecutorService thread) throws SpecLoadException {
        Path scratch = null;
        try {
            scratch = l4smp.tlc.TempDirs.create("refine");
            TraceEngine engine = (TraceEngine) loader.loadClass("l4smp.tlc.engine.TlcTraceEngine")
                    .getDeclaredConstructor().newInstance();
            Path dir = scratch;
            long[] cpu = new long[1];
            String problem = thread.submit(() -> {
                long start = THREAD_CPU.getCurrentThreadCpuTime();
                try {
                    return engine.load(spec.toAbsolutePath().normalize(), config.toAbsolutePath().normalize(), libraryPath, dir);
                } finally {
                    cpu[0] = THREAD_CPU.getCurrentThreadCpuTime() - start;
                }
            }).get();
            if (problem != null) throw new SpecLoadException(problem);
            TempDirs.deleteTree(scratch); // the copies of the standard modules are needed only while parsing
            TraceChecker checker = new TraceChecker(loader, thread, engine);
            checker.loadCpuNanos = cpu[0];
            return checker;
        } catch (SpecLoadException e) {
            cleanUp(loader, thread, scratch);
            throw e;
        } catch (IOException | ReflectiveOperationException | ExecutionException e) {
            cleanUp(loader, thread, scratch);
            throw new SpecLoadException("cannot load " + spec + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cleanUp(loader, thread, scratch);
            throw new SpecLoadException("interrupted while loading " + spec);
        }
    }

    /** The CPU time the checker's thread took to parse the spec and its cfg. */
    public long loadCpuNanos() {
        return loadCpuNanos;
    }

    /** The spec's variables, in declaration order. */
    public List<String> variables() {
        return call(engine::variables);
    }

    /** The spec's module, files, Init and Next, as a TLA+ replay of a trace needs them. */
    public java.util.Map<String, String> shape() {
        return call(engine::shape);
    }

    /** The formal parameters of the spec's operator {@code name} (e.g. an action), or {@code null}. */
    public List<String> formalParameters(String name) {
        return call(() -> engine.formalParameters(name));
    }

    public TraceVerdict check(Trace trace) {
        return call(() -> engine.check(trace));
    }

    /** See {@link TraceEngine#checkContinuation}: the steps of a trace that goes on from one checked before. */
    public TraceVerdict checkContinuation(Trace trace) {
        return call(() -> engine.checkContinuation(trace));
    }

    /** States checked at a time when a trace is streamed: the engine's arrays for them are all that is held. */
    static final int WINDOW = 1024;

    /**
     * A verdict on a trace read from a file a window at a time, and the states around the first bad
     * step (at most {@code context} before it and after it) for the report.
     *
     * @param firstContextIndex the index of {@code context}'s first state in the trace
     */
    public record StreamedVerdict(TraceVerdict verdict, int firstContextIndex, List<TraceState> context) {
    }

    /**
     * Checks a trace as it is read, so that memory does not grow with its length: windows of
     * {@value #WINDOW} states overlapping by one, the first checked from Init, the others as
     * continuations; a lasso's loop step last, with the state it loops back to read again. The
     * checker stops remembering good states and steps (see {@link #remember}): that memory would
     * grow with the trace.
     *
     * @throws ItfStream.UncheckedTraceFormatException when the file turns out malformed part-way
     */
    public StreamedVerdict check(ItfStream source, int context) throws IOException {
        remember(false);
        Deque<TraceState> recent = new ArrayDeque<>();
        List<TraceState> window = new ArrayList<>();
        int start = 0;
        int steps = 0;
        TraceState last = null;
        try (ItfStream.States states = source.states()) {
            while (states.hasNext()) {
                window.add(states.next());
                if (window.size() < WINDOW && states.hasNext()) continue;
                Trace piece = new Trace(source.variables(), window, null, null, source.meta());
                TraceVerdict v = start == 0 ? check(piece) : call(() -> engine.checkContinuation(piece));
                steps += v.stepsChecked();
                if (!v.accepted()) return rejected(steps, v.failure(), start, recent, window, states, context);
                last = window.get(window.size() - 1);
                for (TraceState s : window.subList(start == 0 ? 0 : 1, window.size())) remember(recent, s, context);
                start += window.size() - 1;
                window = new ArrayList<>(List.of(last));
            }
        }
        if (source.isLasso() && !source.endsStuttering()) {
            TraceState back = source.read(source.loopIndex(), source.loopIndex()).get(0);
            Trace loop = new Trace(source.variables(), List.of(last, new TraceState(back.values(), source.loopAction())), null,
                    null, source.meta());
            TraceVerdict v = call(() -> engine.checkContinuation(loop));
            steps += v.stepsChecked();
            if (!v.accepted()) {
                List<TraceState> shown = new ArrayList<>(recent);
                shown.add(loop.state(1));
                return new StreamedVerdict(TraceVerdict.rejected(steps, shifted(v.failure(), start)),
                        source.size() - recent.size(), shown);
            }
        }
        return new StreamedVerdict(TraceVerdict.accepted(steps), 0, List.of());
    }

    private static void remember(Deque<TraceState> recent, TraceState s, int context) {
        recent.addLast(s);
        while (recent.size() > context) recent.removeFirst();
    }

    /** The failure with the trace's indices, and the states around it (read on from {@code more} for those after it). */
    private static StreamedVerdict rejected(int steps, TraceVerdict.Failure f, int start, Deque<TraceState> recent,
                                            List<TraceState> window, ItfStream.States more, int context) {
        List<TraceState> all = new ArrayList<>(recent);
        if (start > 0) all.remove(all.size() - 1); // the window's first state ended the previous window
        int base = start - all.size(); // the index of all's first state
        all.addAll(window);
        int bad = start + f.index();
        int lo = Math.max(base, bad - context);
        int hi = bad + context;
        List<TraceState> shown = new ArrayList<>(all.subList(lo - base, Math.min(all.size(), hi - base + 1)));
        while (lo + shown.size() <= hi && more.hasNext()) shown.add(more.next());
        return new StreamedVerdict(TraceVerdict.rejected(steps, shifted(f, start)), lo, shown);
    }

    private static final Pattern STATE_NUMBER = Pattern.compile("\\bstate (\\d+)");

    /** A window's failure with the trace's indices (in its message too). */
    private static TraceVerdict.Failure shifted(TraceVerdict.Failure f, int offset) {
        if (offset == 0) return f;
        Matcher m = STATE_NUMBER.matcher(f.message());
        StringBuilder message = new StringBuilder();
        while (m.find()) m.appendReplacement(message, "state " + (Integer.parseInt(m.group(1)) + offset));
        m.appendTail(message);
        return new TraceVerdict.Failure(f.kind(), f.index() + offset, f.before(), f.after(), f.claimed(), f.invariant(),
                f.diverging(), f.enabled(), message.toString());
    }

    /**
     * {@code count} random behaviours of at most {@code depth} states from {@code seed}, chosen as
     * TLC's simulator chooses them, with TLC's successor function in this process.
     */
    public List<Trace> simulate(long seed, int depth, int count) {
        return call(() -> engine.simulate(seed, depth, count));
    }

    /**
     * The replay of the trace by TLC's successor function (as TLC model-checks a trace module):
     * -1 if it reaches the end, else the index of the first state not reached or violating an
     * invariant.
     */
    public int replay(Trace trace) {
        return call(() -> engine.replay(trace));
    }

    /** See {@link TraceEngine#replayLabelled}. */
    public Boolean replayLabelled(l4smp.trace.TraceState before, l4smp.trace.TraceState after, l4smp.trace.ActionLabel label) {
        return call(() -> engine.replayLabelled(before, after, label));
    }

    /** The verdicts on {@code traces}, and the CPU time the checker's thread spent on them. */
    public record Batch(List<TraceVerdict> verdicts, long cpuNanos) {
    }

    /** Checks the traces one after the other on the checker's thread (one hand-over for all). */
    public Batch checkAll(List<Trace> traces) {
        return call(() -> {
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = cpu.getCurrentThreadCpuTime();
            List<TraceVerdict> verdicts = new java.util.ArrayList<>(traces.size());
            for (Trace t : traces) verdicts.add(engine.check(t));
            return new Batch(verdicts, cpu.getCurrentThreadCpuTime() - start);
        });
    }

    /**
     * Whether the checker remembers states and steps it found good and skips them when they recur
     * (on by default: behaviours of one system revisit the same states). Off, every trace is
     * checked in full; turning it off forgets what was remembered.
     */
    public void remember(boolean on) {
        call(() -> {
            engine.remember(on);
            return null;
        });
    }

    /** See {@link TraceEngine#incremental}: off only to measure the checker as it was. */
    void incremental(boolean on) {
        call(() -> {
            engine.incremental(on);
            return null;
        });
    }

    private <T> T call(java.util.concurrent.Callable<T> task) {
        if (handedOn) {
            throw new IllegalStateException("this checker was closed by reload(): its class loader holds another spec now");
        }
        Future<T> f = thread.submit(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the trace checker failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking a trace", e);
        }
    }

    @Override
    public void close() {
        if (!handedOn) {
            cleanUp(loader, thread, null);
        }
    }

    private static void cleanUp(IsolatedLoader loader, ExecutorService thread, Path scratch) {
        thread.shutdownNow();
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
        TempDirs.deleteTree(scratch);
    }


}
