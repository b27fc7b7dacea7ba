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

    /** Counts the path segments of every step of a recorded run (one checked after it ran). */
    public void segments(KernelRun run) {
        run.steps().forEach(s -> segments(s.step()));
    }

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

    /** Counts the labelled steps of an accepted whole-run check ({@link KernelRefinement}), a spec checked after the run. */
    public void accepted(KernelRefinement checked) {
        if (!checked.verdict().accepted()) {
            throw new IllegalArgumentException("a rejected run covers nothing");
        }
        String spec = Abstractions.canonical(checked.module().endsWith("KernelRun")
                ? checked.module().substring(0, checked.module().length() - "KernelRun".length()) : checked.module());
        for (l4smp.trace.TraceState s : checked.trace().states()) {
            if (s.action() != null) {
                actions.computeIfAbsent(spec, k -> new TreeMap<>()).computeIfAbsent(s.action().name(), k -> new TreeMap<>())
                        .merge(SpecActions.variant(spec, s.action(), s), 1L, Long::sum);
            }
        }
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

    /** The coverage as text: per spec each action and variant with its count, then what was never reached; the segments. */
    public String render(List<String> specs) {
        StringBuilder out = new StringBuilder();
        for (String spec : specs) {
            out.append(spec).append(":\n");
            for (SpecActions.Action a : SpecActions.of(spec)) {
                if (a.variants().isEmpty() || count(spec, a.name()) == 0) {
                    out.append(String.format(java.util.Locale.ROOT, "  %8d  %s%s%n", count(spec, a.name()), a.name(),
                            a.unreachable() != null && count(spec, a.name()) == 0 ? "  (the kernel cannot: " + a.unreachable() + ")" : ""));
                    continue;
                }
                for (String v : a.variants().keySet()) {
                    out.append(String.format(java.util.Locale.ROOT, "  %8d  %s[%s]%n", count(spec, a.name(), v), a.name(), v));
                }
            }
            List<String> never = neverReached(spec);
            out.append("  never reached: ").append(never.isEmpty() ? "none" : String.join(", ", never)).append('\n');
        }
        out.append("kernel path segments:\n");
        for (PathSegment seg : PathSegment.values()) {
            if (count(seg) > 0) {
                out.append(String.format(java.util.Locale.ROOT, "  %8d  %s%n", count(seg), seg.label()));
            }
        }
        out.append("  never run: ").append(segmentsNeverRun().isEmpty() ? "none"
                : String.join(", ", segmentsNeverRun().stream().map(PathSegment::label).toList())).append('\n');
        return out.toString();
    }

    /** The coverage as JSON: {"specs": {spec: {"actions": {action: {variant: n}}, "neverReached": [...]}}, "segments": ..., "segmentsNeverRun": [...]}. */
    public String json(List<String> specs) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        com.fasterxml.jackson.databind.node.ObjectNode root = mapper.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode bySpec = root.putObject("specs");
        for (String spec : specs) {
            com.fasterxml.jackson.databind.node.ObjectNode node = bySpec.putObject(spec);
            com.fasterxml.jackson.databind.node.ObjectNode acts = node.putObject("actions");
            for (SpecActions.Action a : SpecActions.of(spec)) {
                com.fasterxml.jackson.databind.node.ObjectNode variants = acts.putObject(a.name());
                if (a.variants().isEmpty()) {
                    variants.put(SpecActions.ANY, count(spec, a.name()));
                }
                for (String v : a.variants().keySet()) {
                    variants.put(v, count(spec, a.name(), v));
                }
            }
            neverReached(spec).forEach(node.putArray("neverReached")::add);
        }
        com.fasterxml.jackson.databind.node.ObjectNode segs = root.putObject("segments");
        for (PathSegment seg : PathSegment.values()) {
            segs.put(seg.label(), count(seg));
        }
        segmentsNeverRun().forEach(seg -> root.withArray("segmentsNeverRun").add(seg.label()));
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the coverage as JSON", e);
        }
    }
}
