package l4smp.specs;

import l4smp.trace.TlaValue;
import l4smp.trace.TraceState;

import java.util.List;

/** Reading TLA+ values of a trace state in assertions: {@code at(s, "st", t1)} is {@code st[t1]}. */
final class TraceValues {
    private TraceValues() {
    }

    static TlaValue at(TraceState s, String variable, TlaValue... args) {
        TlaValue v = s.get(variable);
        for (TlaValue a : args) v = apply(v, a);
        return v;
    }

    static TlaValue apply(TlaValue f, TlaValue arg) {
        if (f instanceof TlaValue.Fun fun) return require(fun.mapping().get(arg), f, arg);
        if (f instanceof TlaValue.Rec rec && arg instanceof TlaValue.Str s) return require(rec.fields().get(s.value()), f, arg);
        if (f instanceof TlaValue.Seq seq && arg instanceof TlaValue.Int i) return seq.elements().get(i.value().intValueExact() - 1);
        throw new AssertionError(f + " cannot be applied to " + arg);
    }

    static TlaValue field(TlaValue record, String name) {
        return apply(record, TlaValue.str(name));
    }

    static List<TlaValue> elements(TlaValue seqOrSet) {
        if (seqOrSet instanceof TlaValue.Seq s) return s.elements();
        if (seqOrSet instanceof TlaValue.Set s) return s.elements();
        throw new AssertionError(seqOrSet + " is not a sequence or set");
    }

    private static TlaValue require(TlaValue v, TlaValue f, TlaValue arg) {
        if (v == null) throw new AssertionError(arg + " is not in the domain of " + f);
        return v;
    }
}
