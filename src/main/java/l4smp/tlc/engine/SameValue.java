package l4smp.tlc.engine;

import l4smp.trace.TlaValue;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Equality of two {@link TlaValue}s, as {@code equals} decides it, but walking functions and
 * records entry by entry in their canonical order rather than looking each key of one up in the
 * other (a tree lookup per entry). Deciding whether a variable kept its value is most of what
 * converting a recorded state costs, so it is worth a walk of its own.
 */
final class SameValue {
    private SameValue() {
    }

    static boolean of(TlaValue a, TlaValue b) {
        if (a == b) return true;
        if (a == null || b == null || a.getClass() != b.getClass()) return false;
        if (a instanceof TlaValue.Fun f) return entries(f.mapping(), ((TlaValue.Fun) b).mapping());
        if (a instanceof TlaValue.Rec r) return entries(r.fields(), ((TlaValue.Rec) b).fields());
        if (a instanceof TlaValue.Seq s) return elements(s.elements(), ((TlaValue.Seq) b).elements());
        if (a instanceof TlaValue.Set s) return elements(s.elements(), ((TlaValue.Set) b).elements());
        return a.equals(b);
    }

    /** Both maps are sorted by their keys (the canonical form), so equal maps list equal entries in step. */
    private static <K> boolean entries(Map<K, TlaValue> a, Map<K, TlaValue> b) {
        if (a.size() != b.size()) return false;
        Iterator<Map.Entry<K, TlaValue>> i = a.entrySet().iterator();
        Iterator<Map.Entry<K, TlaValue>> j = b.entrySet().iterator();
        while (i.hasNext()) {
            Map.Entry<K, TlaValue> x = i.next();
            Map.Entry<K, TlaValue> y = j.next();
            if (!key(x.getKey(), y.getKey()) || !of(x.getValue(), y.getValue())) return false;
        }
        return true;
    }

    private static boolean key(Object a, Object b) {
        return a instanceof TlaValue x && b instanceof TlaValue y ? of(x, y) : a.equals(b);
    }

    private static boolean elements(List<TlaValue> a, List<TlaValue> b) {
        if (a.size() != b.size()) return false;
        for (int k = 0; k < a.size(); k++) {
            if (!of(a.get(k), b.get(k))) return false;
        }
        return true;
    }
}
