package l4smp.mutate;

/**
 * One small change to a spec module: the text between {@code start} and {@code end} replaced.
 *
 * @param id          stable name within one run, e.g. {@code M017}
 * @param operator    the mutation operator that made it
 * @param definition  the operator definition it changes
 * @param line        1-based line of the change in the original module
 * @param start       offset of the replaced text
 * @param end         offset just after it
 * @param original    the replaced text
 * @param replacement the new text
 */
public record Mutant(String id, MutationOperator operator, String definition, int line, int start, int end,
                     String original, String replacement) {

    /** The mutated module text. */
    public String apply(String module) {
        return module.substring(0, start) + replacement + module.substring(end);
    }

    /** One line for tables: what was changed into what. */
    public String change() {
        return oneLine(original) + "  ->  " + oneLine(replacement);
    }

    Mutant withId(String newId) {
        return new Mutant(newId, operator, definition, line, start, end, original, replacement);
    }

    static String oneLine(String s) {
        String flat = s.strip().replaceAll("\\s+", " ");
        return flat.length() <= 70 ? flat : flat.substring(0, 67) + "...";
    }
}
