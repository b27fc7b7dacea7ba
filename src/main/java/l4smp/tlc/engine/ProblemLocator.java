package l4smp.tlc.engine;

import l4smp.tlc.SpecProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a location on TLC's errors, which say where in prose: evaluation errors and false
 * assumptions name a TLA+ location ("line 4, col 21 to line 4, col 25 of module M"); cfg errors
 * name only the offending identifier, which is then looked up in the cfg's text.
 */
final class ProblemLocator {
    private static final Pattern TLA_LOCATION =
            Pattern.compile("line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** TLC's "The invariant X specified in the configuration file ...": X is what the cfg says, an identifier or not. */
    private static final Pattern SPECIFIED = Pattern.compile("(?:^|\\s)(\\S+)\\s+specified in the configuration file");
    private static final Set<String> CFG_KEYWORDS = Set.of("CONSTANT", "CONSTANTS", "INIT", "NEXT", "SPECIFICATION",
            "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "SYMMETRY", "VIEW", "CONSTRAINT", "CONSTRAINTS",
            "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "CHECK_DEADLOCK", "TRUE", "FALSE", "The", "the", "in", "is",
            "not", "of", "file", "configuration", "specification", "defined", "specified");

    private ProblemLocator() {
    }

    /** The first TLA+ location in TLC's message (or in the whole output), else the spec without a line. */
    static SpecProblem inSpec(Path spec, String output, String message) {
        for (String text : List.of(message, output)) {
            Matcher m = TLA_LOCATION.matcher(text);
            if (m.find()) {
                String module = m.group(3);
                Path file = spec.resolveSibling(module + ".tla");
                return new SpecProblem(Files.exists(file) ? file.toString() : spec.toString(), module,
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), message);
            }
        }
        return new SpecProblem(spec.toString(), null, 0, 0, message);
    }

    /** {@code name}'s first occurrence in the cfg (outside comments), with {@code message}. */
    static SpecProblem nameInConfig(Path cfg, String name, String message) {
        SpecProblem at = firstOccurrence(cfg, readCfg(cfg), name, message);
        return at != null ? at : new SpecProblem(cfg.toString(), null, 0, 0, message);
    }

    /** The first identifier of the message that occurs in the cfg, at its first occurrence there. */
    static SpecProblem inConfig(Path cfg, String message) {
        List<String> lines = readCfg(cfg);
        Matcher specified = SPECIFIED.matcher(message);
        if (specified.find()) {
            SpecProblem at = firstOccurrence(cfg, lines, specified.group(1), message);
            if (at != null) return at;
        }
        Matcher words = IDENTIFIER.matcher(message);
        while (words.find()) {
            String word = words.group();
            if (CFG_KEYWORDS.contains(word) || word.length() < 2) continue;
            SpecProblem at = firstOccurrence(cfg, lines, word, message);
            if (at != null) return at;
        }
        return new SpecProblem(cfg.toString(), null, 0, 0, message);
    }

    /** The cfg's lines; bytes as Latin-1, as TLC reads them; none if it cannot be read. */
    private static List<String> readCfg(Path cfg) {
        try {
            return Files.readAllLines(cfg, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Where {@code word} first stands as a whole token outside a comment, or {@code null}. */
    private static SpecProblem firstOccurrence(Path cfg, List<String> lines, String word, String message) {
        Pattern token = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf("\\*");
            Matcher t = token.matcher(comment >= 0 ? line.substring(0, comment) : line);
            if (t.find()) return new SpecProblem(cfg.toString(), null, i + 1, t.start() + 1, message);
        }
        return null;
    }
}
