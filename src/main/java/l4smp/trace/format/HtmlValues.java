package l4smp.trace.format;

import l4smp.trace.TlaValue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * TLA+ values as HTML, with what a step changed marked inside the value: the changed keys of a
 * function or record, the changed positions of a sequence, the new elements of a set. A reader
 * then sees which thread's entry changed in a 16-thread function, not just that the function did.
 */
final class HtmlValues {
    private HtmlValues() {
    }

    /** {@code value} in TLA+ syntax, its parts that differ from {@code before} marked; {@code before} may be null. */
    static String diff(TlaValue value, TlaValue before) {
        if (before == null || value.equals(before)) return text(value);
        if (value instanceof TlaValue.Fun f && before instanceof TlaValue.Fun b) return function(f.mapping(), b.mapping());
        if (value instanceof TlaValue.Rec r && before instanceof TlaValue.Rec b) return record(r.fields(), b.fields());
        if (value instanceof TlaValue.Seq s && before instanceof TlaValue.Seq b) return sequence(s.elements(), b.elements());
        if (value instanceof TlaValue.Set s && before instanceof TlaValue.Set b) return set(s.elements(), b.elements());
        return mark(text(value));
    }

    /** {@code value} in TLA+ syntax, escaped, breakable after {@code +} (kernel step labels) and separators. */
    static String text(TlaValue value) {
        return breakable(String.valueOf(value));
    }

    /** HTML-escaped text with break opportunities after {@code +}, so long composite labels wrap. */
    static String breakable(String s) {
        return DotFormat.html(s).replace("+", "+<wbr>").replace("_", "_<wbr>");
    }

    private static String function(Map<TlaValue, TlaValue> now, Map<TlaValue, TlaValue> before) {
        return entries(now, before, HtmlValues::text, "(", " :&gt; ", " @@ ", ")");
    }

    private static String record(Map<String, TlaValue> now, Map<String, TlaValue> before) {
        return entries(now, before, HtmlValues::breakable, "[", " |-&gt; ", ", ", "]");
    }

    /** A function's or record's entries, those whose value changed (or that are new) marked. */
    private static <K> String entries(Map<K, TlaValue> now, Map<K, TlaValue> before, java.util.function.Function<K, String> key,
                                      String open, String arrow, String separator, String close) {
        StringBuilder sb = new StringBuilder(open);
        now.forEach((k, v) -> {
            if (sb.length() > open.length()) sb.append(separator);
            String entry = key.apply(k) + arrow + diff(v, before.get(k));
            sb.append(Objects.equals(v, before.get(k)) ? entry : markKey(entry, !before.containsKey(k)));
        });
        return sb.append(close).toString();
    }

    private static String sequence(List<TlaValue> now, List<TlaValue> before) {
        StringBuilder sb = new StringBuilder("&lt;&lt;");
        for (int i = 0; i < now.size(); i++) {
            if (i > 0) sb.append(", ");
            TlaValue b = i < before.size() ? before.get(i) : null;
            String element = diff(now.get(i), b);
            sb.append(Objects.equals(now.get(i), b) ? element : markKey(element, b == null));
        }
        return sb.append("&gt;&gt;").toString();
    }

    private static String set(List<TlaValue> now, List<TlaValue> before) {
        Set<TlaValue> old = new HashSet<>(before);
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < now.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(old.contains(now.get(i)) ? text(now.get(i)) : markKey(text(now.get(i)), true));
        }
        sb.append('}');
        int removed = before.size() - (int) now.stream().filter(old::contains).count();
        if (removed > 0) sb.append(" <span class=\"removed\">(").append(removed).append(" removed)</span>");
        return sb.toString();
    }

    private static String markKey(String html, boolean added) {
        return "<mark class=\"key" + (added ? " added" : "") + "\">" + html + "</mark>";
    }

    private static String mark(String html) {
        return "<mark>" + html + "</mark>";
    }
}
