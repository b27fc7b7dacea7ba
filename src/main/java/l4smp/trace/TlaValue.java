package l4smp.trace;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A TLA+ value as it appears in a trace: the plain-Java twin of TLC's values, so that nothing
 * downstream of {@code l4smp.tlc} ever sees a TLC class.
 *
 * <p>Values are kept in one canonical form, so that two values are {@code equals} exactly when
 * TLA+ says they are equal: a function whose domain is {@code 1..n} is a {@link Seq} (TLA+
 * sequences are such functions), a function whose domain is a non-empty set of strings is a
 * {@link Rec}, the empty function is the empty sequence, set elements are sorted and distinct.
 * The factories {@link #fun(Map)}, {@link #set(Collection)} apply these rules; use them rather
 * than the record constructors when the shape of a value is not known in advance.
 *
 * <p>The order of {@link #compareTo} is total and deterministic (kinds first, then contents); it
 * is l4smp's own order for printing and sorting, not TLC's.
 */
public sealed interface TlaValue extends Comparable<TlaValue> {

    /** Rank of the kind in the canonical order; also used by the exporters to name kinds. */
    int kindRank();

    /**
     * This value as a TLA+ expression, model values written as {@code modelValue} names them (a
     * TLA+ module cannot mention a model value itself, only a constant the cfg sets to it).
     */
    default String toTla(java.util.function.UnaryOperator<String> modelValue) {
        return Ordering.print(this, modelValue);
    }

    @Override
    default int compareTo(TlaValue o) {
        int byKind = Integer.compare(kindRank(), o.kindRank());
        return byKind != 0 ? byKind : Ordering.compareSameKind(this, o);
    }

    record Bool(boolean value) implements TlaValue {
        public int kindRank() { return 0; }
        @Override public String toString() { return value ? "TRUE" : "FALSE"; }
    }

    record Int(BigInteger value) implements TlaValue {
        public Int {
            if (value == null) throw new IllegalArgumentException("integer value is null");
        }
        public int kindRank() { return 1; }
        @Override public String toString() { return value.toString(); }
    }

    record Str(String value) implements TlaValue {
        public Str {
            if (value == null) throw new IllegalArgumentException("string value is null");
        }
        public int kindRank() { return 2; }
        @Override public String toString() { return Ordering.quote(value); }
    }

    /** A TLC model value: an uninterpreted constant equal only to itself. */
    record ModelValue(String name) implements TlaValue {
        public ModelValue {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("model value needs a name");
        }
        public int kindRank() { return 3; }
        @Override public String toString() { return name; }
    }

    /** A sequence (tuple): a function with domain 1..n. */
    record Seq(List<TlaValue> elements) implements TlaValue {
        public Seq {
            elements = List.copyOf(elements);
        }
        public int kindRank() { return 4; }
        @Override public String toString() { return toTla(n -> n); }
    }

    /** A finite set, elements sorted and distinct. */
    record Set(List<TlaValue> elements) implements TlaValue {
        public Set {
            elements = List.copyOf(new TreeSet<>(elements));
        }
        public int kindRank() { return 5; }
        @Override public String toString() { return toTla(n -> n); }
    }

    /** A record: a function from a non-empty set of field names (strings). */
    record Rec(Map<String, TlaValue> fields) implements TlaValue {
        public Rec {
            if (fields.isEmpty()) throw new IllegalArgumentException("a record has at least one field; use the empty sequence");
            fields = java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
        }
        public int kindRank() { return 6; }
        @Override public String toString() { return toTla(n -> n); }
    }

    /** Any other finite function, as its graph sorted by argument. */
    record Fun(Map<TlaValue, TlaValue> mapping) implements TlaValue {
        public Fun {
            mapping = java.util.Collections.unmodifiableMap(new TreeMap<>(mapping));
        }
        public int kindRank() { return 7; }
        @Override public String toString() { return toTla(n -> n); }
    }

    /** A value that has no finite representation here (e.g. {@code Nat}), kept as TLC printed it. */
    record Opaque(String text) implements TlaValue {
        public int kindRank() { return 8; }
        @Override public String toString() { return text; }
    }

    static TlaValue of(boolean b) { return new Bool(b); }

    static TlaValue of(long i) { return new Int(BigInteger.valueOf(i)); }

    static TlaValue of(BigInteger i) { return new Int(i); }

    static TlaValue str(String s) { return new Str(s); }

    static TlaValue model(String name) { return new ModelValue(name); }

    static TlaValue seq(TlaValue... elements) { return new Seq(List.of(elements)); }

    static TlaValue seq(List<? extends TlaValue> elements) { return new Seq(new ArrayList<>(elements)); }

    static TlaValue set(TlaValue... elements) { return new Set(List.of(elements)); }

    static TlaValue set(Collection<? extends TlaValue> elements) { return new Set(new ArrayList<>(elements)); }

    /** A record with fields in the given order (name, value, name, value, ...). */
    static TlaValue rec(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("rec needs name/value pairs");
        Map<String, TlaValue> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], (TlaValue) namesAndValues[i + 1]);
        }
        return new Rec(fields);
    }

    /** The function with the given graph, in canonical form (sequence, record or general function). */
    static TlaValue fun(Map<? extends TlaValue, ? extends TlaValue> graph) {
        if (graph.isEmpty()) return new Seq(List.of());
        if (Ordering.isOneToN(graph.keySet())) {
            TlaValue[] elements = new TlaValue[graph.size()];
            graph.forEach((k, v) -> elements[((Int) k).value().intValueExact() - 1] = v);
            return new Seq(List.of(elements));
        }
        if (graph.keySet().stream().allMatch(k -> k instanceof Str)) {
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            graph.forEach((k, v) -> fields.put(((Str) k).value(), v));
            return new Rec(fields);
        }
        return new Fun(new LinkedHashMap<>(graph));
    }

    /** Helpers for the canonical order and printing; not part of the API. */
    final class Ordering {
        private Ordering() {
        }

        static boolean isOneToN(java.util.Set<? extends TlaValue> domain) {
            int n = domain.size();
            for (TlaValue k : domain) {
                if (!(k instanceof Int i)) return false;
                BigInteger v = i.value();
                if (v.signum() <= 0 || v.compareTo(BigInteger.valueOf(n)) > 0) return false;
            }
            return true; // n distinct integers all in 1..n
        }

        static int compareSameKind(TlaValue a, TlaValue b) {
            if (a instanceof Bool x) return Boolean.compare(x.value(), ((Bool) b).value());
            if (a instanceof Int x) return x.value().compareTo(((Int) b).value());
            if (a instanceof Str x) return x.value().compareTo(((Str) b).value());
            if (a instanceof ModelValue x) return x.name().compareTo(((ModelValue) b).name());
            if (a instanceof Seq x) return compareLists(x.elements(), ((Seq) b).elements());
            if (a instanceof Set x) return compareLists(x.elements(), ((Set) b).elements());
            if (a instanceof Rec x) return compareEntries(x.fields().entrySet(), ((Rec) b).fields().entrySet());
            if (a instanceof Fun x) return compareEntries(x.mapping().entrySet(), ((Fun) b).mapping().entrySet());
            return ((Opaque) a).text().compareTo(((Opaque) b).text());
        }

        private static int compareLists(List<TlaValue> a, List<TlaValue> b) {
            int bySize = Integer.compare(a.size(), b.size());
            if (bySize != 0) return bySize;
            for (int i = 0; i < a.size(); i++) {
                int c = a.get(i).compareTo(b.get(i));
                if (c != 0) return c;
            }
            return 0;
        }

        @SuppressWarnings("unchecked")
        private static <K extends Comparable<? super K>> int compareEntries(
                java.util.Set<? extends Map.Entry<K, TlaValue>> a, java.util.Set<? extends Map.Entry<K, TlaValue>> b) {
            int bySize = Integer.compare(a.size(), b.size());
            if (bySize != 0) return bySize;
            Iterator<? extends Map.Entry<K, TlaValue>> ia = a.iterator();
            Iterator<? extends Map.Entry<K, TlaValue>> ib = b.iterator();
            while (ia.hasNext()) {
                Map.Entry<K, TlaValue> ea = ia.next();
                Map.Entry<K, TlaValue> eb = ib.next();
                int c = ea.getKey().compareTo(eb.getKey());
                if (c != 0) return c;
                c = ea.getValue().compareTo(eb.getValue());
                if (c != 0) return c;
            }
            return 0;
        }

        static String print(TlaValue v, java.util.function.UnaryOperator<String> mv) {
            if (v instanceof ModelValue m) return mv.apply(m.name());
            if (v instanceof Seq s) return join("<<", s.elements(), ">>", mv);
            if (v instanceof Set s) return join("{", s.elements(), "}", mv);
            if (v instanceof Rec r) {
                StringBuilder sb = new StringBuilder("[");
                r.fields().forEach((k, e) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(" |-> ").append(print(e, mv)));
                return sb.append(']').toString();
            }
            if (v instanceof Fun f) {
                StringBuilder sb = new StringBuilder("(");
                f.mapping().forEach((k, e) -> sb.append(sb.length() > 1 ? " @@ " : "").append(print(k, mv)).append(" :> ").append(print(e, mv)));
                return sb.append(')').toString();
            }
            return v.toString();
        }

        private static String join(String open, List<TlaValue> elements, String close, java.util.function.UnaryOperator<String> mv) {
            StringBuilder sb = new StringBuilder(open);
            for (int i = 0; i < elements.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(print(elements.get(i), mv));
            }
            return sb.append(close).toString();
        }

        static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    case '\f' -> sb.append("\\f");
                    default -> sb.append(c);
                }
            }
            return sb.append('"').toString();
        }
    }
}
