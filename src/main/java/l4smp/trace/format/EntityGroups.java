package l4smp.trace.format;

import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The variables of a trace that are functions over one domain in every state (threads, CPUs,
 * proxies...), grouped by that domain: the per-entity view shows each group as a table with a row
 * per entity and a column per variable, so that one thread's state, partner, proxy and queue read
 * across one line. A domain needs at least two variables over it to make a table.
 *
 * @param domain    the keys, in TLA+'s order (for a sequence, 1..n)
 * @param variables the variables over it, in declaration order
 */
record EntityGroups(List<TlaValue> domain, List<String> variables) {

    /** The groups of {@code trace}, largest first; variables in no group are shown one by one. */
    static List<EntityGroups> of(Trace trace) {
        Map<List<TlaValue>, List<String>> byDomain = new LinkedHashMap<>();
        for (String v : trace.variables()) {
            List<TlaValue> domain = constantDomain(trace, v);
            if (domain != null) byDomain.computeIfAbsent(domain, d -> new ArrayList<>()).add(v);
        }
        List<EntityGroups> groups = new ArrayList<>();
        byDomain.forEach((d, vars) -> {
            if (vars.size() >= 2) groups.add(new EntityGroups(d, vars));
        });
        groups.sort((a, b) -> Integer.compare(b.variables.size(), a.variables.size()));
        return groups;
    }

    /** The variable's domain if it is a function (or record, or sequence) with the same domain in every state. */
    private static List<TlaValue> constantDomain(Trace trace, String variable) {
        List<TlaValue> domain = null;
        for (TraceState s : trace.states()) {
            List<TlaValue> d = domainOf(s.values().get(variable));
            if (d == null || d.isEmpty() || (domain != null && !domain.equals(d))) return null;
            domain = d;
        }
        return domain;
    }

    static List<TlaValue> domainOf(TlaValue v) {
        if (v instanceof TlaValue.Fun f) return List.copyOf(f.mapping().keySet());
        if (v instanceof TlaValue.Rec r) return r.fields().keySet().stream().map(TlaValue::str).toList();
        if (v instanceof TlaValue.Seq s) {
            List<TlaValue> d = new ArrayList<>();
            for (int i = 1; i <= s.elements().size(); i++) d.add(TlaValue.of(i));
            return d;
        }
        return null;
    }

    /** {@code v[key]}, for a value of this group's domain. */
    static TlaValue apply(TlaValue v, TlaValue key) {
        if (v instanceof TlaValue.Fun f) return f.mapping().get(key);
        if (v instanceof TlaValue.Rec r) return r.fields().get(((TlaValue.Str) key).value());
        if (v instanceof TlaValue.Seq s) return s.elements().get(((TlaValue.Int) key).value().intValueExact() - 1);
        throw new IllegalArgumentException(v + " is not a function");
    }

    /** How a key is shown in the first column: a record's field name without quotes. */
    static String label(TlaValue key) {
        return key instanceof TlaValue.Str s ? s.value() : String.valueOf(key);
    }

    boolean changedAt(TraceState before, TraceState after, String variable, TlaValue key) {
        return before != null && !Objects.equals(apply(before.values().get(variable), key), apply(after.values().get(variable), key));
    }
}
