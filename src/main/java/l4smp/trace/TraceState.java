package l4smp.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One state of a behaviour: the value of every variable, and the action that led here from the
 * previous state ({@code null} for the initial state).
 */
public record TraceState(Map<String, TlaValue> values, ActionLabel action) {

    public TraceState {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public TlaValue get(String variable) {
        TlaValue v = values.get(variable);
        if (v == null) throw new IllegalArgumentException("no variable '" + variable + "' in this state; it has " + values.keySet());
        return v;
    }
}
