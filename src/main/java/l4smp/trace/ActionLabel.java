package l4smp.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The action that produced a state: the operator's name, the values its parameters were bound to
 * (for {@code \E t \in Thread : Send(t)}, {@code t |-> t1}), and where it is defined.
 *
 * @param name       the action's operator name, e.g. {@code ProxySendDeliver}
 * @param parameters bound parameters in declaration order; empty for a parameterless action
 * @param location   the action's definition in the source, or {@code null} when unknown (e.g. a
 *                   recorded kernel step)
 */
public record ActionLabel(String name, Map<String, TlaValue> parameters, SourceLocation location) {

    public ActionLabel {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("an action label needs a name");
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static ActionLabel named(String name) {
        return new ActionLabel(name, Map.of(), null);
    }

    /** {@code Name(p1 = v1, p2 = v2)}, or just {@code Name}. */
    @Override
    public String toString() {
        if (parameters.isEmpty()) return name;
        StringBuilder sb = new StringBuilder(name).append('(');
        parameters.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(k).append(" = ").append(v));
        return sb.append(')').toString();
    }
}
