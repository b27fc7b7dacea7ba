package l4smp.tlc.engine;

import l4smp.trace.TlaValue;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

import java.util.List;
import java.util.Map;

/** Converts l4smp's {@link TlaValue}s to TLC's values, normalised as TLC expects them. */
final class ToTlc {
    private ToTlc() {
    }

    /** @throws IllegalArgumentException for a value TLC cannot represent (an integer beyond 32 bits, text) */
    static Value value(TlaValue v) {
        if (v instanceof TlaValue.Bool b) return b.value() ? BoolValue.ValTrue : BoolValue.ValFalse;
        if (v instanceof TlaValue.Int i) {
            if (i.value().bitLength() > 31) throw new IllegalArgumentException(i + " is outside TLC's 32-bit integers");
            return IntValue.gen(i.value().intValue());
        }
        if (v instanceof TlaValue.Str s) return new StringValue(s.value());
        if (v instanceof TlaValue.ModelValue m) return ModelValue.make(m.name());
        if (v instanceof TlaValue.Seq s) return new TupleValue(all(s.elements()));
        if (v instanceof TlaValue.Set s) return (Value) new SetEnumValue(all(s.elements()), false).normalize();
        if (v instanceof TlaValue.Rec r) {
            UniqueString[] names = new UniqueString[r.fields().size()];
            Value[] values = new Value[names.length];
            int k = 0;
            for (Map.Entry<String, TlaValue> e : r.fields().entrySet()) {
                names[k] = UniqueString.uniqueStringOf(e.getKey());
                values[k++] = value(e.getValue());
            }
            return (Value) new RecordValue(names, values, false).normalize();
        }
        if (v instanceof TlaValue.Fun f) {
            Value[] domain = new Value[f.mapping().size()];
            Value[] values = new Value[domain.length];
            int k = 0;
            for (Map.Entry<TlaValue, TlaValue> e : f.mapping().entrySet()) {
                domain[k] = value(e.getKey());
                values[k++] = value(e.getValue());
            }
            return (Value) new FcnRcdValue(domain, values, false).normalize();
        }
        throw new IllegalArgumentException("the value " + v + " has no finite form TLC could compare");
    }

    private static Value[] all(List<TlaValue> elements) {
        Value[] out = new Value[elements.size()];
        for (int i = 0; i < out.length; i++) out[i] = value(elements.get(i));
        return out;
    }
}
