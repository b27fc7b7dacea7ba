package l4smp.mutate;

import l4smp.mutate.ModuleText.Definition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the mutants of a spec's actions: of every definition the next-state relation uses
 * (directly or through helpers), with the operators of {@link MutationOperator}. Each mutant
 * changes one place; mutants that produce the same module text are made once. Conjuncts are
 * found the way TLA+ reads junction lists: a bulleted {@code /\} at column k takes everything up
 * to the next line that starts at column k or left of it; {@code a /\ b} is split where nothing
 * of lower precedence (a quantifier, IF, LET, {@code =>}, {@code \/}) is around it.
 */
final class MutantGenerator {
    private static final Set<String> BLOCKING = Set.of("=>", "<=>", "~>", "\\A", "\\E", "CHOOSE", "LET", "IF", "CASE",
            ":", "\\/", "LAMBDA", "[]");
    private static final Set<String> BOOLEAN_OPS = Set.of("=", "#", "/=", "<", ">", "<=", ">=", "=<", "\\in", "\\notin",
            "\\subseteq", "/\\", "\\/", "~", "=>", "<=>", "\\A", "\\E", "\\leq", "\\geq");
    private static final Set<String> COMPARISONS = Set.of("=", "#", "/=", "<", ">", "<=", ">=", "=<", "\\leq", "\\geq");
    private static final Set<String> EXPRESSION_START = Set.of(",", "EXCEPT", "/\\", "\\/", "==", "THEN", "ELSE", "IN",
            ":", "IF", "->", "|->", "'", "~", "=>");
    private static final Map<String, String> RELATIONS = Map.of("<", "<=", "<=", "<", "=<", "<", ">", ">=", ">=", ">",
            "\\leq", "<", "\\geq", ">");

    private final ModuleText module;
    private final Set<String> actions = new LinkedHashSet<>();
    private final Map<String, List<String>> families;
    private final Map<String, Mutant> byText = new LinkedHashMap<>();
    private Definition current;

    private MutantGenerator(ModuleText module, List<ModuleText> extended) {
        this.module = module;
        findActions();
        this.families = ValueFamilies.of(module, extended, actions);
    }

    /**
     * The mutants of {@code module}'s definitions reachable from {@code next}; {@code extended}
     * are the project modules it EXTENDS (for the named values, e.g. thread states).
     */
    static List<Mutant> generate(ModuleText module, List<ModuleText> extended, String next) {
        if (!module.definitions().containsKey(next)) {
            throw new IllegalArgumentException(module.name() + " defines no '" + next + "'");
        }
        MutantGenerator g = new MutantGenerator(module, extended);
        for (Definition d : module.reachableFrom(next)) g.mutate(d);
        List<Mutant> out = new ArrayList<>();
        int n = 1;
        List<Mutant> sorted = new ArrayList<>(g.byText.values());
        sorted.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start())
                : a.operator().compareTo(b.operator()));
        for (Mutant m : sorted) out.add(m.withId(String.format("M%03d", n++)));
        return out;
    }

    /** Definitions that constrain primed variables, directly or through the definitions they use. */
    private void findActions() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Definition d : module.definitions().values()) {
                if (actions.contains(d.name())) continue;
                for (TlaToken t : d.body()) {
                    if (t.is("'") || t.is("UNCHANGED") || (t.isIdentifier() && actions.contains(t.text()))) {
                        changed = actions.add(d.name());
                        break;
                    }
                }
            }
        }
    }

    private void mutate(Definition d) {
        current = d;
        List<TlaToken> b = d.body();
        item(b, 0, b.size(), true);
        for (int k = 0; k < b.size(); k++) {
            TlaToken t = b.get(k);
            if (t.is("/\\") && isPrefix(b, k)) item(b, k + 1, itemEnd(b, k), false);
            if (t.is("IF")) ifCondition(b, k);
            if (t.is("EXCEPT")) exceptClauses(b, k);
            single(b, k);
        }
    }

    // --- conjuncts ---

    /** A junction that starts a line, or follows no operand, is a bullet (prefix), not an infix operator. */
    private static boolean isPrefix(List<TlaToken> b, int k) {
        return k == 0 || b.get(k - 1).line() != b.get(k).line() || !b.get(k - 1).endsOperand();
    }

    /** The end (exclusive) of the item of the bulleted junction at {@code k}. */
    private static int itemEnd(List<TlaToken> b, int k) {
        int col = b.get(k).column();
        int depth = 0;
        int ifs = 0;
        int lets = 0;
        for (int j = k + 1; j < b.size(); j++) {
            TlaToken t = b.get(j);
            if (t.line() != b.get(j - 1).line() && t.column() <= col) return j;
            if (t.opens()) depth++;
            if (t.closes() && depth-- == 0) return j;
            if (depth != 0) continue;
            if (t.is(",")) return j;
            if (t.is("IF")) ifs++;
            if (t.is("LET")) lets++;
            if (t.is("THEN") && ifs == 0) return j;
            if (t.is("ELSE") && ifs-- == 0) return j;
            if (t.is("IN") && lets-- == 0) return j;
        }
        return b.size();
    }

    private void item(List<TlaToken> b, int from, int to, boolean root) {
        if (from >= to) return;
        List<TlaToken> ts = b.subList(from, to);
        List<List<TlaToken>> parts = infixParts(ts);
        if (root && !isAction(ts) && looksBoolean(ts)) negate(ts);
        else if (!root && parts.size() < 2) conjunct(ts);
        if (parts.size() > 1) for (List<TlaToken> p : parts) conjunct(p);
    }

    private void conjunct(List<TlaToken> ts) {
        if (!isAction(ts)) {
            add(MutationOperator.DROP_CONJUNCT, ts, "TRUE");
            negate(ts);
        } else if (ts.size() > 2 && ts.get(0).isIdentifier() && ts.get(1).is("'")
                && (ts.get(2).is("=") || ts.get(2).is("\\in"))) {
            add(MutationOperator.KEEP_VARIABLE, ts, "UNCHANGED " + ts.get(0).text());
        }
    }

    private boolean isAction(List<TlaToken> ts) {
        for (TlaToken t : ts) {
            if (t.is("'") || t.is("UNCHANGED") || (t.isIdentifier() && actions.contains(t.text()))) return true;
        }
        return false;
    }

    /** {@code a /\ b /\ c} at depth 0, when nothing binding less tightly surrounds the junctions. */
    private static List<List<TlaToken>> infixParts(List<TlaToken> ts) {
        List<List<TlaToken>> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int j = 0; j < ts.size(); j++) {
            TlaToken t = ts.get(j);
            if (t.opens()) depth++;
            if (t.closes()) depth--;
            if (depth != 0) continue;
            if (BLOCKING.contains(t.text())) return List.of();
            if (t.is("/\\")) {
                if (!isPrefix(ts, j) && j > start) {
                    parts.add(ts.subList(start, j));
                    start = j + 1;
                } else if (j > 0) {
                    return List.of(); // a nested bulleted list
                }
            }
        }
        if (!parts.isEmpty() && start < ts.size()) parts.add(ts.subList(start, ts.size()));
        return parts;
    }

    private static boolean looksBoolean(List<TlaToken> ts) {
        String first = ts.get(0).text();
        if (Set.of("IF", "LET", "CASE", "[", "<<", "{", "CHOOSE").contains(first)) return false;
        int depth = 0;
        for (TlaToken t : ts) {
            if (t.opens()) depth++;
            if (t.closes()) depth--;
            if (depth == 0 && BOOLEAN_OPS.contains(t.text())) return true;
        }
        return false;
    }

    /** {@code ~(X)}, unless X opens a bulleted list on its first line that the insertion would misalign. */
    private void negate(List<TlaToken> ts) {
        int firstLine = ts.get(0).line();
        for (int j = 0; j < ts.size() && ts.get(j).line() == firstLine; j++) {
            if ((ts.get(j).is("/\\") || ts.get(j).is("\\/")) && isPrefix(ts, j)) return;
        }
        add(MutationOperator.NEGATE_GUARD, ts, "~(" + text(ts) + ")");
    }

    // --- IF, EXCEPT ---

    private void ifCondition(List<TlaToken> b, int k) {
        int depth = 0;
        int ifs = 0;
        for (int j = k + 1; j < b.size(); j++) {
            TlaToken t = b.get(j);
            if (t.opens()) depth++;
            if (t.closes()) depth--;
            if (depth != 0) continue;
            if (t.is("IF")) ifs++;
            if (t.is("THEN") && ifs-- == 0) {
                List<TlaToken> cond = b.subList(k + 1, j);
                if (cond.isEmpty()) return;
                if (!(cond.size() == 1 && cond.get(0).is("TRUE"))) add(MutationOperator.GUARD_TRUE, cond, "TRUE");
                negate(cond);
                return;
            }
        }
    }

    private void exceptClauses(List<TlaToken> b, int k) {
        int open = -1;
        for (int j = k - 1, depth = 0; j >= 0; j--) {
            if (b.get(j).closes()) depth++;
            if (b.get(j).opens() && depth-- == 0) {
                open = b.get(j).is("[") ? j : -1;
                break;
            }
        }
        if (open < 0) return;
        List<int[]> clauses = new ArrayList<>();
        int start = k + 1;
        int close = -1;
        for (int j = k + 1, depth = 0; j < b.size(); j++) {
            TlaToken t = b.get(j);
            if (t.opens()) depth++;
            if (t.closes() && depth-- == 0) {
                clauses.add(new int[]{start, j});
                close = j;
                break;
            }
            if (depth == 0 && t.is(",")) {
                clauses.add(new int[]{start, j});
                start = j + 1;
            }
        }
        if (close < 0) return;
        if (clauses.size() == 1) {
            if (open >= 2 && b.get(open - 1).is("=") && b.get(open - 2).is("'")) return; // x' = [x EXCEPT ..]: keep-variable
            String base = text(b.subList(open + 1, k));
            add(MutationOperator.DROP_EXCEPT, b.subList(open, close + 1), "(" + base + ")");
            return;
        }
        for (int i = 0; i < clauses.size(); i++) {
            int[] c = clauses.get(i);
            // drop the clause with the comma that separates it from its neighbour
            List<TlaToken> span = i + 1 < clauses.size() ? b.subList(c[0], clauses.get(i + 1)[0])
                    : b.subList(clauses.get(i - 1)[1], c[1]);
            add(MutationOperator.DROP_EXCEPT, span, "");
        }
    }

    // --- single tokens: set operators, constants, relations ---

    private void single(List<TlaToken> b, int k) {
        TlaToken t = b.get(k);
        List<TlaToken> one = b.subList(k, k + 1);
        if (t.is("\\cup") || t.is("\\union")) add(MutationOperator.SWAP_SET_OP, one, "\\");
        else if (t.is("\\")) add(MutationOperator.SWAP_SET_OP, one, "\\cup");
        else if (RELATIONS.containsKey(t.text())) add(MutationOperator.CHANGE_RELATION, one, RELATIONS.get(t.text()));
        else if (!compared(b, k)) return;
        else if (t.is("TRUE") || t.is("FALSE")) add(MutationOperator.CHANGE_CONSTANT, one, t.is("TRUE") ? "FALSE" : "TRUE");
        else if (t.kind() == TlaToken.Kind.NUMBER) {
            long n = Long.parseLong(t.text());
            add(MutationOperator.CHANGE_CONSTANT, one, Long.toString(n + 1));
            if (n > 0) add(MutationOperator.CHANGE_CONSTANT, one, Long.toString(n - 1));
        } else if (families.containsKey(t.text()) && !ValueFamilies.insideEnumeration(b, k, families)) {
            List<String> f = families.get(t.text());
            add(MutationOperator.CHANGE_CONSTANT, one, f.get((f.indexOf(t.text()) + 1) % f.size()));
        }
    }

    /**
     * Whether the token at {@code k} is an operand of a comparison ({@code st[t] = Waiting},
     * {@code n < 3}): next to a comparison operator that is not an update ({@code x' = v}, or an
     * EXCEPT clause {@code ![a] = v}).
     */
    private static boolean compared(List<TlaToken> b, int k) {
        return (k + 1 < b.size() && isComparison(b, k + 1)) || (k > 0 && isComparison(b, k - 1));
    }

    private static boolean isComparison(List<TlaToken> b, int k) {
        if (!COMPARISONS.contains(b.get(k).text())) return false;
        if (!b.get(k).is("=")) return true;
        int depth = 0;
        for (int j = k - 1; j >= 0; j--) {
            TlaToken t = b.get(j);
            if (t.closes()) depth++;
            else if (t.opens() && depth-- == 0) return true;
            else if (depth == 0 && t.is("!")) return false;
            else if (depth == 0 && t.is("'") && j == k - 1) return false;
            else if (depth == 0 && EXPRESSION_START.contains(t.text())) return true;
        }
        return true;
    }

    // --- helpers ---

    private String text(List<TlaToken> ts) {
        return module.text().substring(ts.get(0).start(), ts.get(ts.size() - 1).end());
    }

    private void add(MutationOperator op, List<TlaToken> ts, String replacement) {
        int start = ts.get(0).start();
        int end = ts.get(ts.size() - 1).end();
        String original = module.text().substring(start, end);
        if (original.equals(replacement)) return;
        Mutant m = new Mutant("", op, current.name(), ts.get(0).line(), start, end, original, replacement);
        byText.putIfAbsent(m.apply(module.text()), m);
    }

    /** Which named values are interchangeable: the members of each set written out in the modules. */
    static final class ValueFamilies {
        private ValueFamilies() {
        }

        /**
         * Value name (a string literal, or an operator defined as one) to its family: the smallest
         * enumerated set {@code {v1, v2, ...}} of such values that contains it, in its written order,
         * found in the definitions that are not actions (types, constants, helpers).
         */
        static Map<String, List<String>> of(ModuleText module, List<ModuleText> extended, Set<String> actions) {
            Set<String> named = new LinkedHashSet<>();
            List<ModuleText> all = new ArrayList<>(extended);
            all.add(module);
            for (ModuleText m : all) {
                for (Definition d : m.definitions().values()) {
                    if (d.body().size() == 1 && d.body().get(0).kind() == TlaToken.Kind.STRING) named.add(d.name());
                }
            }
            Map<String, List<String>> out = new HashMap<>();
            for (ModuleText m : all) {
                for (Definition d : m.definitions().values()) {
                    if (m == module && actions.contains(d.name())) continue; // an action's own sets are mutated, not models
                    List<TlaToken> b = d.body();
                    for (int k = 0; k < b.size(); k++) {
                        if (!b.get(k).is("{")) continue;
                        List<String> members = enumeration(b, k, named);
                        if (members.size() < 2) continue;
                        for (String v : members) {
                            List<String> old = out.get(v);
                            if (old == null || old.size() > members.size()) out.put(v, members);
                        }
                    }
                }
            }
            return out;
        }

        /** The values of {@code {v1, v2, ...}} opening at {@code k}, or none if anything else is in it. */
        private static List<String> enumeration(List<TlaToken> b, int k, Set<String> named) {
            List<String> members = new ArrayList<>();
            for (int j = k + 1; j < b.size(); j += 2) {
                TlaToken v = b.get(j);
                boolean value = v.kind() == TlaToken.Kind.STRING || named.contains(v.text());
                if (!value || j + 1 >= b.size()) return List.of();
                members.add(v.text());
                if (b.get(j + 1).is("}")) return members;
                if (!b.get(j + 1).is(",")) return List.of();
            }
            return List.of();
        }

        /** Whether the value at {@code k} is a member of an enumeration that is itself a family. */
        static boolean insideEnumeration(List<TlaToken> b, int k, Map<String, List<String>> families) {
            int j = k - 1;
            while (j >= 0 && (b.get(j).is(",") || families.containsKey(b.get(j).text()))) j--;
            return j >= 0 && b.get(j).is("{") && j + 1 <= k;
        }
    }
}
