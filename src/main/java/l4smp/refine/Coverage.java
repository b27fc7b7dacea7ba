package l4smp.refine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.PathSegment;

/**
 * What checked kernel runs exercised: per spec, how often each action was taken in an accepted
 * step, split by the variant of its enabling condition the kernel took (the branch of the spec's
 * IF, told by the kernel path segments of the step: {@link SpecActions}); and how often each
 * kernel path segment ran. Counts add up over runs ({@link #add}).
 */
public final class Coverage {
    /** spec -> action -> variant -> steps. */
    private final Map<String, Map<String, Map<String, Long>>> actions = new TreeMap<>();
    private final Map<PathSegment, Long> segments = new EnumMap<>(PathSegment.class);

    /** Counts the path segments of a kernel step. */
    void segments(KernelStep step) {
        for (PathSegment s : step.segments()) {
            segments.merge(s, 1L, Long::sum);
        }
    }

    /** Counts an accepted step of {@code spec} labelled {@code action}, taken by kernel step {@code step} (or null). */
    void action(String spec, String action, KernelStep step) {
        String variant = step == null ? SpecActions.ANY : SpecActions.variant(spec, action, step);
        actions.computeIfAbsent(spec, k -> new TreeMap<>()).computeIfAbsent(action, k -> new TreeMap<>())
                .merge(variant, 1L, Long::sum);
    }

    /** Adds the counts of {@code other} to this. */
    public void add(Coverage other) {
        other.segments.forEach((s, n) -> segments.merge(s, n, Long::sum));
        other.actions.forEach((spec, byAction) -> byAction.forEach((action, byVariant) -> byVariant.forEach((variant, n) ->
                actions.computeIfAbsent(spec, k -> new TreeMap<>()).computeIfAbsent(action, k -> new TreeMap<>())
                        .merge(variant, n, Long::sum))));
    }

    /** How often {@code spec}'s {@code action} was taken (all variants). */
    public long count(String spec, String action) {
        return actions.getOrDefault(spec, Map.of()).getOrDefault(action, Map.of()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** How often {@code spec}'s {@code action} was taken in {@code variant}. */
    public long count(String spec, String action, String variant) {
        return actions.getOrDefault(spec, Map.of()).getOrDefault(action, Map.of()).getOrDefault(variant, 0L);
    }

    public long count(PathSegment segment) {
        return segments.getOrDefault(segment, 0L);
    }

    /**
     * {@code spec}'s actions and their variants the runs never took, as {@code Action} or
     * {@code Action[variant]}; actions the kernel cannot take ({@link SpecActions.Action#unreachable})
     * are left out unless they were taken.
     */
    public List<String> neverReached(String spec) {
        List<String> out = new ArrayList<>();
        for (SpecActions.Action a : SpecActions.of(spec)) {
            if (count(spec, a.name()) == 0) {
                if (a.unreachable() != null) {
                    continue;
                }
                out.add(a.name());
                continue;
            }
            for (String v : a.variants().keySet()) {
                if (count(spec, a.name(), v) == 0) {
                    out.add(a.name() + "[" + v + "]");
                }
            }
        }
        return out;
    }

    /** The kernel path segments that never ran. */
    public List<PathSegment> segmentsNeverRun() {
        List<PathSegment> out = new ArrayList<>();
        for (PathSegment s : PathSegment.values()) {
            if (count(s) == 0) {
                out.add(s);
            }
        }
        return out;
    }

    /** The counts, for reports: spec -> action -> variant -> steps. */
    public Map<String, Map<String, Map<String, Long>>> actions() {
        return actions;
    }

    public Map<PathSegment, Long> segments() {
        return segments;
    }
}
