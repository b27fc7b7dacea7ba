package l4smp.tlc.engine;

import l4smp.tlc.SpecProblem;
import tla2sany.parser.SimpleCharStream;
import tla2sany.parser.TLAplusParserConstants;
import tla2sany.parser.TLAplusParserTokenManager;
import tla2sany.parser.Token;
import tla2sany.parser.TokenMgrError;
import tlc2.tool.ConfigFileException;
import tlc2.tool.impl.ModelConfig;
import util.SimpleFilenameToStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a cfg's syntax with TLC's own cfg parser before a run, and says where it fails as
 * {@code file.cfg:line:col}. TLC itself reports a cfg syntax error as an "unexpected exception"
 * naming the {@code .tla}, with a line but no column, and it reads a character that is no TLA+
 * token as the end of the file (accepting what came before). The column is found by parsing
 * prefixes of the failing line: TLC stops at the first token that makes the same error.
 */
final class CfgSyntax {
    private static final Pattern AT_LINE = Pattern.compile("at line (\\d+)");
    private static final Pattern ENCOUNTERED = Pattern.compile("Encountered: .*\\((\\d+)\\)");
    private static final Pattern LEXICAL = Pattern.compile("line (\\d+), column (\\d+)");
    private static final String KEYWORDS = "CONSTANT(S), INIT, NEXT, SPECIFICATION, INVARIANT(S), PROPERTY/PROPERTIES, "
            + "CONSTRAINT(S), ACTION_CONSTRAINT(S), SYMMETRY, VIEW or CHECK_DEADLOCK";

    private CfgSyntax() {
    }

    /** {@code null} when TLC's parser reads the whole cfg, else what is wrong and where. */
    static SpecProblem check(Path cfg, Path scratch) {
        String text;
        try {
            text = Files.readString(cfg, StandardCharsets.ISO_8859_1); // TLC reads bytes, so do we
        } catch (IOException e) {
            return new SpecProblem(cfg.toString(), null, 0, 0, "cannot read the cfg: " + e.getMessage());
        }
        SpecProblem lexical = lexical(cfg, text);
        if (lexical != null) return lexical;
        String error = parse(scratch, text);
        if (error == null) return null;
        Matcher m = AT_LINE.matcher(error);
        String detail = error.contains("\n") ? error.substring(error.indexOf('\n') + 1).trim() : error;
        if (!m.find()) return new SpecProblem(cfg.toString(), null, 0, 0, detail);
        int line = Integer.parseInt(m.group(1));
        Token at = offendingToken(scratch, text, line, error);
        if (detail.contains("expecting a keyword")) detail = "expected a keyword: " + KEYWORDS + ".";
        else detail = detail.replace("It was expecting ", "expected ").replace(", but did not find it", "");
        return new SpecProblem(cfg.toString(), null, line, at == null ? 0 : at.beginColumn,
                detail + (at == null ? "" : " Found '" + at.image + "'."));
    }

    /** A character that starts no TLA+ token: TLC would silently stop reading there. */
    private static SpecProblem lexical(Path cfg, String text) {
        TLAplusParserTokenManager tokens = tokens(text);
        try {
            while (tokens.getNextToken().kind != TLAplusParserConstants.EOF) {
                // read on
            }
            return null;
        } catch (TokenMgrError e) {
            Matcher m = LEXICAL.matcher(String.valueOf(e.getMessage()));
            int line = m.find() ? Integer.parseInt(m.group(1)) : 0;
            int column = line > 0 ? Integer.parseInt(m.group(2)) : 0;
            Matcher c = ENCOUNTERED.matcher(String.valueOf(e.getMessage()));
            String what = c.find() ? "character " + describe(Integer.parseInt(c.group(1))) : "text";
            return new SpecProblem(cfg.toString(), null, line, column, what + " cannot appear in a cfg, which holds keywords "
                    + "such as INIT, NEXT, CONSTANT and INVARIANT, identifiers and values (is this a cfg file?)");
        }
    }

    /** TLC's error message for {@code text} (parsed from a copy in {@code scratch}), or {@code null}. */
    private static String parse(Path scratch, String text) {
        Path copy = null;
        try {
            copy = Files.createTempFile(scratch, "cfg-", ".cfg");
            Files.writeString(copy, text, StandardCharsets.ISO_8859_1);
            java.io.File file = copy.toFile();
            new ModelConfig(copy.toString(), new SimpleFilenameToStream() {
                @Override
                public java.io.File resolve(String name, boolean isModule) {
                    return file; // exactly this file, whatever TLC's user directory is
                }
            }).parse();
            return null;
        } catch (ConfigFileException e) {
            return e.getMessage();
        } catch (IOException | RuntimeException e) {
            return null; // cannot tell here; TLC's own run will report it
        } finally {
            try {
                if (copy != null) Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // a stray hidden file is not worth failing for
            }
        }
    }

    /**
     * The token on {@code line} at which TLC stops with {@code error}: the first whose prefix of the
     * cfg fails the same way. When that error says a symbol was expected, the end of the prefix
     * (which TLC reads as the end of the file) stood where the offending token is, so it is the
     * next one.
     */
    private static Token offendingToken(Path scratch, String text, int line, String error) {
        List<Token> onLine = new ArrayList<>();
        TLAplusParserTokenManager tokens = tokens(text);
        for (Token t = tokens.getNextToken(); t.kind != TLAplusParserConstants.EOF; t = tokens.getNextToken()) {
            if (t.beginLine == line) onLine.add(t);
            if (t.beginLine > line) break;
        }
        String[] lines = text.split("\n", -1);
        StringBuilder before = new StringBuilder();
        for (int i = 0; i < line - 1 && i < lines.length; i++) before.append(lines[i]).append('\n');
        boolean expectedSymbol = (error.contains("expecting") || error.contains("Expected")) && !error.contains("a keyword");
        for (int k = 0; k < onLine.size(); k++) {
            String prefix = before + lines[line - 1].substring(0, Math.min(lines[line - 1].length(), onLine.get(k).endColumn));
            if (error.equals(parse(scratch, prefix))) {
                return expectedSymbol && k + 1 < onLine.size() ? onLine.get(k + 1) : onLine.get(k);
            }
        }
        return onLine.isEmpty() ? null : onLine.get(0);
    }

    private static TLAplusParserTokenManager tokens(String text) {
        return new TLAplusParserTokenManager(new SimpleCharStream(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), 1, 1), 2);
    }

    private static String describe(int c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : c >= 0x80 ? "a non-ASCII character" : "with code " + c;
    }
}
