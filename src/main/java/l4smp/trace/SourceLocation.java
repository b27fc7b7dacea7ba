package l4smp.trace;

/**
 * A span of TLA+ source: the module and 1-based line and column of its first and last character,
 * as SANY reports them.
 */
public record SourceLocation(String module, int beginLine, int beginColumn, int endLine, int endColumn) {

    /** {@code Module:12:5-14:30}, the form used in ITF metadata and messages. */
    @Override
    public String toString() {
        return module + ":" + beginLine + ":" + beginColumn + "-" + endLine + ":" + endColumn;
    }

    /** Parses {@link #toString()}'s form; {@code null} for a string of another shape. */
    public static SourceLocation parse(String text) {
        if (text == null) return null;
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(.+):(\\d+):(\\d+)-(\\d+):(\\d+)").matcher(text);
        if (!m.matches()) return null;
        return new SourceLocation(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
    }
}
