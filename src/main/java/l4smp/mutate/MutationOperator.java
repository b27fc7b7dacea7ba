package l4smp.mutate;

import java.util.Locale;

/** The ways a spec's actions are mutated; the label is what tables, JSON and {@code --operators} use. */
public enum MutationOperator {
    /** A conjunct without primed variables (a guard) of a junction list or {@code a /\ b} replaced by TRUE. */
    DROP_CONJUNCT("a guard conjunct replaced by TRUE"),
    /** A guard conjunct, an IF condition or a boolean helper's body negated. */
    NEGATE_GUARD("a guard, IF condition or predicate negated"),
    /** An IF condition replaced by TRUE (the THEN branch always taken). */
    GUARD_TRUE("an IF condition replaced by TRUE"),
    /** {@code x' = e} (or {@code x' \in S}) replaced by {@code UNCHANGED x}. */
    KEEP_VARIABLE("a variable's update dropped (left unchanged)"),
    /** One {@code ![..] = e} clause of an EXCEPT dropped (with one clause, the EXCEPT dropped). */
    DROP_EXCEPT("one update of an EXCEPT dropped"),
    /** {@code \cup} and set difference {@code \} exchanged. */
    SWAP_SET_OP("\\cup and \\ exchanged"),
    /** A number, TRUE/FALSE or a named value (thread state, completion code, ...) changed. */
    CHANGE_CONSTANT("a number, boolean or named value replaced by a neighbour"),
    /** {@code <} and {@code <=}, {@code >} and {@code >=} exchanged. */
    CHANGE_RELATION("< and <=, > and >= exchanged");

    private final String description;

    MutationOperator(String description) {
        this.description = description;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    /** The operator with this label, e.g. {@code drop-conjunct}. */
    public static MutationOperator ofLabel(String label) {
        for (MutationOperator o : values()) if (o.label().equals(label)) return o;
        throw new IllegalArgumentException("no mutation operator '" + label + "'");
    }
}
