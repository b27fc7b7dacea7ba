package l4smp.refine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.tlc.Project;

/**
 * Trace checkers of the specs, parsed once per configuration and kept for the next run with the
 * same one. One checker per spec is kept (at most {@code capacity} in all): a new configuration of
 * a spec is parsed in the class loader of the spec's checker, which it replaces
 * ({@link TraceChecker#reload}, decision 0007: TLC's code is loaded and compiled by the JIT there
 * already). Why not several per spec: generated runs seldom repeat a configuration (38 of 60 (run,
 * spec) pairs were new in 20 runs), while each further class loader holds a copy of TLC's classes
 * that is parsed with cold and compiled again; measured side by side, one per spec took 25-35 %
 * less CPU than four. Not thread-safe: one pool per thread that runs kernels.
 */
public final class SpecCheckers implements AutoCloseable {
    private record Key(String spec, String module, String config) {
    }

    private final Project project;
    private final int capacity;
    private final Map<Key, TraceChecker> checkers = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, List<String>> invariants = new LinkedHashMap<>();
    private int loads;
    private int reloads;
    private long loadCpuNanos;
    private boolean remember = true;

    public SpecCheckers(Project project, int capacity) {
        this.project = project;
        this.capacity = capacity;
    }

    public Project project() {
        return project;
    }

    /** The invariants of the spec's standard configuration (without Debug witnesses). */
    public List<String> invariants(String spec) {
        return invariants.computeIfAbsent(spec, s -> KernelRefinement.standardInvariants(project, s));
    }

    /** A checker of {@code spec} with {@code config} (and the module {@code moduleText} named {@code name}, if not null). */
    public TraceChecker get(String spec, String name, String moduleText, String config) throws SpecLoadException {
        Key key = new Key(spec, moduleText, config);
        TraceChecker c = checkers.get(key);
        if (c != null) {
            return c;
        }
        Key previous = null;
        for (Key k : checkers.keySet()) {
            if (k.spec().equals(spec)) {
                previous = k;
            }
        }
        if (previous != null) {
            c = KernelRefinement.load(project, spec, name, moduleText, config, checkers.remove(previous));
            reloads++;
        } else {
            c = KernelRefinement.load(project, spec, name, moduleText, config);
            if (checkers.size() >= capacity) {
                var eldest = checkers.entrySet().iterator().next();
                eldest.getValue().close();
                checkers.remove(eldest.getKey());
            }
        }
        loads++;
        loadCpuNanos += c.loadCpuNanos();
        if (!remember) {
            c.remember(false);
        }
        checkers.put(key, c);
        return c;
    }

    /**
     * Whether the checkers remember the states and steps they found good ({@link TraceChecker#remember}; on
     * by default): off, every step of every run is decided afresh, as on a run unlike any before.
     */
    public void remember(boolean on) {
        remember = on;
        checkers.values().forEach(c -> c.remember(on));
    }

    /** How many times a spec was parsed. */
    public int loads() {
        return loads;
    }

    /** The CPU time the checkers' threads spent on the {@link #loads}. */
    public long loadCpuNanos() {
        return loadCpuNanos;
    }

    /** How many of the {@link #loads} were in the class loader of a checker they replaced. */
    public int reloads() {
        return reloads;
    }

    @Override
    public void close() {
        checkers.values().forEach(TraceChecker::close);
        checkers.clear();
    }
}
