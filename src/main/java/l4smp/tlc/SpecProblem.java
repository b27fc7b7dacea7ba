package l4smp.tlc;

/**
 * One error found in a spec or configuration, with where it is.
 *
 * @param file    the file (absolute path) or {@code null} when TLC did not say
 * @param module  the TLA+ module, or {@code null}
 * @param line    1-based line, or 0 when unknown
 * @param column  1-based column, or 0 when unknown
 * @param message what is wrong, in SANY's or TLC's words
 */
public record SpecProblem(String file, String module, int line, int column, String message) {

    /** {@code file:line:col: message}, the form compilers use and editors link. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (file != null) sb.append(file);
        else if (module != null) sb.append(module);
        if (line > 0) sb.append(':').append(line).append(':').append(column);
        if (sb.length() > 0) sb.append(": ");
        return sb.append(message).toString();
    }
}
