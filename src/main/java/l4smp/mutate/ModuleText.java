package l4smp.mutate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TLA+ module's text cut into its top-level operator definitions. A definition starts with its
 * name at column 0 followed by {@code ==} (with parameters in between) and ends before the next
 * unit at column 0 (another definition, a declaration, a separator line); comments are not units.
 * This is all the structure mutation needs, and it holds for the l4smp specs, whose continuation
 * lines are always indented.
 */
final class ModuleText {

    /** A top-level definition: its name, its tokens from the name to its end, its body's first token. */
    record Definition(String name, List<TlaToken> tokens, int bodyIndex) {
        List<TlaToken> body() {
            return tokens.subList(bodyIndex, tokens.size());
        }

        int line() {
            return tokens.get(0).line();
        }

        int startOffset() {
            return tokens.get(0).start();
        }

        int endOffset() {
            return tokens.get(tokens.size() - 1).end();
        }
    }

    private final String name;
    private final String text;
    private final Map<String, Definition> definitions;

    private ModuleText(String name, String text, Map<String, Definition> definitions) {
        this.name = name;
        this.text = text;
        this.definitions = definitions;
    }

    static ModuleText parse(String text) {
        List<TlaToken> tokens = TlaToken.scan(text);
        String module = null;
        for (int i = 0; i + 1 < tokens.size() && module == null; i++) {
            if (tokens.get(i).is("MODULE")) module = tokens.get(i + 1).text();
        }
        Map<String, Definition> defs = new LinkedHashMap<>();
        int i = 0;
        while (i < tokens.size()) {
            TlaToken t = tokens.get(i);
            int end = nextUnit(tokens, i + 1);
            int eq = t.column() == 0 && t.kind() == TlaToken.Kind.IDENT ? definitionSign(tokens, i, end) : -1;
            if (eq > 0 && eq + 1 < end) {
                defs.put(t.text(), new Definition(t.text(), List.copyOf(tokens.subList(i, end)), eq + 1 - i));
            }
            i = end;
        }
        if (module == null) throw new IllegalArgumentException("no 'MODULE name' header");
        return new ModuleText(module, text, defs);
    }

    /** The index of the first token after {@code from} that starts a new unit at column 0. */
    private static int nextUnit(List<TlaToken> tokens, int from) {
        int j = from;
        while (j < tokens.size()) {
            TlaToken t = tokens.get(j);
            boolean firstOnLine = tokens.get(j - 1).line() != t.line();
            if (firstOnLine && t.column() == 0) break;
            j++;
        }
        return j;
    }

    /** The index of the {@code ==} of a definition starting at {@code i} ({@code Name ==} or {@code Name(p, q) ==}), else -1. */
    private static int definitionSign(List<TlaToken> tokens, int i, int end) {
        if (TlaToken.KEYWORDS.contains(tokens.get(i).text())) return -1;
        int j = i + 1;
        if (j < end && tokens.get(j).is("(")) {
            int depth = 0;
            for (; j < end; j++) {
                if (tokens.get(j).is("(")) depth++;
                if (tokens.get(j).is(")") && --depth == 0) break;
            }
            j++;
        }
        return j < end && tokens.get(j).is("==") ? j : -1;
    }

    String name() {
        return name;
    }

    String text() {
        return text;
    }

    Map<String, Definition> definitions() {
        return definitions;
    }

    /** The definitions {@code root} uses, directly or through others, itself included, in module order. */
    List<Definition> reachableFrom(String root) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            Definition d = definitions.get(n);
            if (d == null || !seen.add(n)) continue;
            for (TlaToken t : d.body()) if (t.isIdentifier() && definitions.containsKey(t.text())) todo.push(t.text());
        }
        List<Definition> out = new ArrayList<>();
        for (Definition d : definitions.values()) if (seen.contains(d.name())) out.add(d);
        return out;
    }

    /** The module's text with its name replaced, for a copy that sits beside the original. */
    String renamed(String newName) {
        int at = text.indexOf("MODULE " + name);
        if (at < 0) throw new IllegalStateException("module header of " + name + " not found");
        return text.substring(0, at) + "MODULE " + newName + text.substring(at + 7 + name.length());
    }
}
