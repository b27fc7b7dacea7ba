package l4smp.mutate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A token of a TLA+ module, with where it is, and the scanner that cuts a module's text into them.
 * Comments are skipped (they are never mutated); everything else is kept with its offsets, so a
 * mutant is an exact edit of the original text. The scanner knows only what mutation needs:
 * identifiers and keywords, numbers, strings, the backslash operators ({@code \cup}, {@code \in},
 * set difference {@code \}), junctions, brackets and the multi-character symbols.
 *
 * @param kind   what sort of token
 * @param text   its characters
 * @param start  offset of its first character in the module text
 * @param line   1-based line
 * @param column 0-based column
 */
record TlaToken(Kind kind, String text, int start, int line, int column) {

    enum Kind { IDENT, NUMBER, STRING, SYMBOL, SEPARATOR }

    /** TLA+ keywords: identifiers that never end an operand. */
    static final Set<String> KEYWORDS = Set.of("IF", "THEN", "ELSE", "LET", "IN", "CASE", "OTHER", "EXCEPT",
            "UNCHANGED", "ENABLED", "CHOOSE", "SUBSET", "UNION", "DOMAIN", "LAMBDA", "RECURSIVE", "LOCAL",
            "INSTANCE", "WITH", "EXTENDS", "CONSTANT", "CONSTANTS", "VARIABLE", "VARIABLES", "ASSUME", "THEOREM",
            "MODULE", "WF_", "SF_");

    private static final String[] SYMBOLS = {"<=>", "|->", "-+->", "==", "=>", "<=", ">=", "=<", "/=", "/\\", "\\/",
            "<<", ">>", "->", "<-", "::", "..", "~>", "[]", "<>", "@@", ":>", "'"};

    int end() {
        return start + text.length();
    }

    boolean is(String s) {
        return text.equals(s);
    }

    boolean isIdentifier() {
        return kind == Kind.IDENT && !KEYWORDS.contains(text);
    }

    boolean opens() {
        return is("(") || is("[") || is("{") || is("<<");
    }

    boolean closes() {
        return is(")") || is("]") || is("}") || is(">>");
    }

    /** Whether an expression can end with this token (so a following {@code /\} is infix). */
    boolean endsOperand() {
        return isIdentifier() || kind == Kind.NUMBER || kind == Kind.STRING || closes() || is("'") || is("@");
    }

    /** Cuts {@code text} into tokens; comments and white space are dropped. */
    static List<TlaToken> scan(String text) {
        List<TlaToken> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        int lineStart = 0;
        int n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                line++;
                lineStart = ++i;
                continue;
            }
            if (Character.isWhitespace(ch)) {
                i++;
                continue;
            }
            int col = i - lineStart;
            if (text.startsWith("(*", i)) {
                int depth = 0;
                while (i < n) {
                    if (text.startsWith("(*", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith("*)", i)) {
                        depth--;
                        i += 2;
                        if (depth == 0) break;
                    } else {
                        if (text.charAt(i) == '\n') {
                            line++;
                            lineStart = i + 1;
                        }
                        i++;
                    }
                }
                continue;
            }
            if (text.startsWith("\\*", i)) {
                while (i < n && text.charAt(i) != '\n') i++;
                continue;
            }
            int j;
            Kind kind;
            if (ch == '"') {
                j = i + 1;
                while (j < n && text.charAt(j) != '"') j += text.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(n, j + 1);
                kind = Kind.STRING;
            } else if (Character.isDigit(ch)) {
                j = i;
                while (j < n && Character.isDigit(text.charAt(j))) j++;
                kind = Kind.NUMBER;
            } else if (Character.isLetter(ch) || ch == '_') {
                j = i;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) j++;
                kind = Kind.IDENT;
            } else if ((ch == '-' || ch == '=') && text.startsWith(String.valueOf(ch).repeat(4), i)) {
                j = i;
                while (j < n && text.charAt(j) == ch) j++;
                kind = Kind.SEPARATOR;
            } else if (ch == '\\' && i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                j = i + 1;
                while (j < n && Character.isLetter(text.charAt(j))) j++;
                kind = Kind.SYMBOL;
            } else {
                j = i + symbolLength(text, i);
                kind = Kind.SYMBOL;
            }
            out.add(new TlaToken(kind, text.substring(i, j), i, line, col));
            i = j;
        }
        return out;
    }

    private static int symbolLength(String text, int i) {
        for (String s : SYMBOLS) if (text.startsWith(s, i)) return s.length();
        return 1;
    }
}
