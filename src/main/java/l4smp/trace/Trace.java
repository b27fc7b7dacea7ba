package l4smp.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finite behaviour, or a lasso: the counterexample TLC returns, or the steps a kernel run
 * recorded. This is the one trace model of l4smp; every exporter reads it, the ITF reader writes
 * it, and nothing about TLC leaks into it.
 *
 * @param variables  the spec's variables, in declaration order
 * @param states     the states, the initial one first; each later state names the action that
 *                   produced it
 * @param loopIndex  for a lasso (a liveness counterexample), the index of the state that follows
 *                   the last one: the behaviour is {@code s0..sk} and then forever
 *                   {@code s[loop]..sk}. A behaviour that ends by stuttering forever in its last
 *                   state has {@code loopIndex == states.size() - 1}. {@code null} for a finite
 *                   behaviour.
 * @param loopAction the action that leads from the last state back to {@code states[loopIndex]},
 *                   or {@code null} (finite trace, stuttering, or unknown)
 * @param meta       free-form descriptive fields (spec, config, outcome, ...), kept in order
 */
public record Trace(List<String> variables, List<TraceState> states, Integer loopIndex, ActionLabel loopAction,
                    Map<String, String> meta) {

    public Trace {
        variables = List.copyOf(variables);
        states = List.copyOf(states);
        meta = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        if (states.isEmpty()) throw new IllegalArgumentException("a trace has at least one state");
        for (int i = 0; i < states.size(); i++) {
            TraceState s = states.get(i);
            if (!s.values().keySet().equals(new java.util.LinkedHashSet<>(variables))) {
                throw new IllegalArgumentException("state " + i + " has variables " + s.values().keySet()
                        + " but the trace declares " + variables);
            }
        }
        if (loopIndex != null && (loopIndex < 0 || loopIndex >= states.size())) {
            throw new IllegalArgumentException("loop index " + loopIndex + " is outside 0.." + (states.size() - 1));
        }
        if (loopIndex == null && loopAction != null) {
            throw new IllegalArgumentException("a loop action needs a loop index");
        }
    }

    /** A finite trace without metadata. */
    public static Trace of(List<String> variables, List<TraceState> states) {
        return new Trace(variables, states, null, null, Map.of());
    }

    public boolean isLasso() {
        return loopIndex != null;
    }

    /** Whether the lasso ends by stuttering forever in its last state. */
    public boolean endsStuttering() {
        return loopIndex != null && loopIndex == states.size() - 1 && loopAction == null;
    }

    public int size() {
        return states.size();
    }

    public TraceState state(int index) {
        return states.get(index);
    }

    public TraceState last() {
        return states.get(states.size() - 1);
    }

    /** The names of the actions, in order (one less than the states). */
    public List<String> actionNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < states.size(); i++) {
            ActionLabel a = states.get(i).action();
            names.add(a == null ? null : a.name());
        }
        return names;
    }

    /** The variables whose values differ between state {@code index - 1} and {@code index}. */
    public List<String> changedAt(int index) {
        List<String> changed = new ArrayList<>();
        if (index == 0) return changed;
        TraceState before = states.get(index - 1);
        TraceState after = states.get(index);
        for (String v : variables) {
            if (!Objects.equals(before.values().get(v), after.values().get(v))) changed.add(v);
        }
        return changed;
    }

    public Trace withMeta(Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.putAll(more);
        return new Trace(variables, states, loopIndex, loopAction, m);
    }
}
