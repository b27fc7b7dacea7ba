package l4smp.refine;

import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A change to a recorded behaviour, for testing that the trace checker notices it: a variable
 * given another value, a step dropped, two steps swapped, a step given another action's label.
 * Positions are taken modulo the trace's length, so any generated numbers make a valid mutation.
 */
public record Mutation(Kind kind, int position, int other) {

    public enum Kind { CHANGE_VARIABLE, DROP_STEP, SWAP_STEPS, WRONG_LABEL }

    /** The mutated trace, or empty when the trace is too short for this mutation or nothing would change. */
    public Optional<Trace> apply(Trace trace) {
        int n = trace.size();
        List<TraceState> states = new ArrayList<>(trace.states());
        switch (kind) {
            case CHANGE_VARIABLE -> {
                int i = position % n;
                String v = trace.variables().get(other % trace.variables().size());
                TlaValue replacement = otherValue(trace, v, trace.state(i).get(v));
                if (replacement == null) return Optional.empty();
                Map<String, TlaValue> values = new LinkedHashMap<>(trace.state(i).values());
                values.put(v, replacement);
                states.set(i, new TraceState(values, trace.state(i).action()));
            }
            case DROP_STEP -> {
                if (n < 3) return Optional.empty();
                states.remove(1 + position % (n - 1));
            }
            case SWAP_STEPS -> {
                if (n < 3) return Optional.empty();
                int i = 1 + position % (n - 2);
                TraceState a = states.get(i);
                states.set(i, states.get(i + 1));
                states.set(i + 1, a);
            }
            case WRONG_LABEL -> {
                if (n < 2) return Optional.empty();
                int i = 1 + position % (n - 1);
                ActionLabel label = otherLabel(trace, trace.state(i).action());
                if (label == null) return Optional.empty();
                states.set(i, new TraceState(trace.state(i).values(), label));
            }
        }
        return Optional.of(new Trace(trace.variables(), states, null, null, trace.meta()));
    }

    /** The first index at which the mutated trace differs from the original. */
    public int firstChangedIndex(Trace trace) {
        int n = trace.size();
        return switch (kind) {
            case CHANGE_VARIABLE -> position % n;
            case DROP_STEP -> 1 + position % (n - 1);
            case SWAP_STEPS -> 1 + position % (n - 2);
            case WRONG_LABEL -> 1 + position % (n - 1);
        };
    }

    /** A value the variable has elsewhere in the trace that differs from {@code current}. */
    private TlaValue otherValue(Trace trace, String v, TlaValue current) {
        for (int k = 0; k < trace.size(); k++) {
            TlaValue candidate = trace.state((other + k) % trace.size()).get(v);
            if (!candidate.equals(current)) return candidate;
        }
        if (current instanceof TlaValue.Int i) return TlaValue.of(i.value().add(java.math.BigInteger.ONE));
        if (current instanceof TlaValue.Bool b) return TlaValue.of(!b.value());
        return null;
    }

    private ActionLabel otherLabel(Trace trace, ActionLabel current) {
        for (int k = 1; k < trace.size(); k++) {
            ActionLabel l = trace.state(1 + (other + k) % (trace.size() - 1)).action();
            if (l != null && !l.equals(current)) return l;
        }
        return null;
    }
}
