package l4smp.refine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.tlc.Project;

/**
 * Trace checkers of the specs, parsed once per configuration and kept for the next run with the
 * same one (parsing a spec costs about half a CPU second; property runs check hundreds of runs
 * whose constants often repeat). At most {@code capacity} are kept, the least recently used is
 * closed first. Not thread-safe: one pool per thread that runs kernels.
 */
public final class SpecCheckers implements AutoCloseable {
    private record Key(String spec, String module, String config) {
    }

    private final Project project;
    private final int capacity;
    private final Map<Key, TraceChecker> checkers = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, List<String>> invariants = new LinkedHashMap<>();
    private int loads;

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
        if (c == null) {
            c = KernelRefinement.load(project, spec, name, moduleText, config);
            loads++;
            checkers.put(key, c);
            if (checkers.size() > capacity) {
                var eldest = checkers.entrySet().iterator().next();
                eldest.getValue().close();
                checkers.remove(eldest.getKey());
            }
        }
        return c;
    }

    /** How many times a spec was parsed. */
    public int loads() {
        return loads;
    }

    @Override
    public void close() {
        checkers.values().forEach(TraceChecker::close);
        checkers.clear();
    }
}
