package l4smp.tlc.engine;

import l4smp.trace.TlaValue;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.IntervalValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts TLC's values to l4smp's {@link TlaValue}s. */
final class Values {
    /** Larger sets (e.g. an interval 1..10^9) are kept as text rather than enumerated. */
    private static final int MAX_ENUMERATED = 1_000_000;

    private Values() {
    }

    static TlaValue toTla(Object o) {
        if (!(o instanceof Value v)) return new TlaValue.Opaque(String.valueOf(o));
        if (v instanceof BoolValue b) return TlaValue.of(b.val);
        if (v instanceof IntValue i) return TlaValue.of(i.val);
        if (v instanceof StringValue s) return TlaValue.str(s.val.toString());
        if (v instanceof ModelValue m) return TlaValue.model(m.val.toString());
        if (v instanceof TupleValue t) return TlaValue.seq(convertAll(t.elems));
        if (v instanceof RecordValue r) {
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            for (int i = 0; i < r.names.length; i++) fields.put(r.names[i].toString(), toTla(r.values[i]));
            return fields.isEmpty() ? TlaValue.seq() : new TlaValue.Rec(fields);
        }
        if (v instanceof FcnRcdValue f) return function(f);
        if (v instanceof SetEnumValue s) return TlaValue.set(convertAll(s.elems.toArray()));
        if (v instanceof IntervalValue iv) {
            if (iv.size() > MAX_ENUMERATED) return new TlaValue.Opaque(iv.toString());
            List<TlaValue> elements = new ArrayList<>();
            for (int i = iv.low; i <= iv.high; i++) elements.add(TlaValue.of(i));
            return TlaValue.set(elements);
        }
        return enumerated(v);
    }

    private static TlaValue function(FcnRcdValue f) {
        Map<TlaValue, TlaValue> graph = new LinkedHashMap<>();
        for (int i = 0; i < f.values.length; i++) {
            TlaValue arg = f.intv != null ? TlaValue.of(f.intv.low + i) : toTla(f.domain[i]);
            graph.put(arg, toTla(f.values[i]));
        }
        return TlaValue.fun(graph);
    }

    /** Lazy values (set comprehensions, SUBSET, lambdas over finite domains...): enumerate if TLC can. */
    private static TlaValue enumerated(Value v) {
        // A lazy function ([x \in S |-> e]) knows toFcnRcd; asking it isFinite() would fail, as that is about sets.
        try {
            if (v.toFcnRcd() instanceof FcnRcdValue f) return function(f);
        } catch (RuntimeException notAFunction) {
            // try it as a set
        }
        // A lazy set (SUBSET S, {x \in S : p}, S \X T, ...), if it is finite and small enough.
        try {
            if (v.isFinite() && v.size() <= MAX_ENUMERATED && v.toSetEnum() instanceof SetEnumValue s) return toTla(s);
        } catch (RuntimeException notEnumerable) {
            // keep TLC's text
        }
        return new TlaValue.Opaque(v.toString());
    }

    private static List<TlaValue> convertAll(Value[] values) {
        List<TlaValue> out = new ArrayList<>(values.length);
        for (Value e : values) out.add(toTla(e));
        return out;
    }
}
