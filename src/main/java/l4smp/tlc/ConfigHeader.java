package l4smp.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a model configuration says about itself in its header comment, which {@code l4smp suite}
 * reads. The header is the run of {@code \*} comment lines at the top of the cfg:
 * <pre>
 *   \* about: one line saying what this configuration shows
 *   \* expect: holds                 the model must hold
 *   \* expect: violation NAME        NAME, an INVARIANT or PROPERTY of this cfg, must be violated
 *   \* expect: deadlock              TLC must report a deadlock
 *   \* tags: small, bug, slow        free labels; suite skips `slow` unless --all
 *   \* spec: MCModule                the module to check, if not the cfg's directory name
 * </pre>
 */
public record ConfigHeader(String about, Expectation expect, Set<String> tags, String spec, List<String> errors) {

    /** The outcome a cfg declares. */
    public record Expectation(Kind kind, String name) {
        public enum Kind { HOLDS, VIOLATION, DEADLOCK }

        public boolean matches(CheckResult r) {
            return switch (kind) {
                case HOLDS -> r.outcome() == Outcome.HOLDS;
                case DEADLOCK -> r.outcome() == Outcome.DEADLOCK;
                case VIOLATION -> (r.outcome() == Outcome.INVARIANT_VIOLATED || r.outcome() == Outcome.PROPERTY_VIOLATED)
                        && name.equals(r.violated());
            };
        }

        @Override
        public String toString() {
            return kind == Kind.VIOLATION ? "violation " + name : kind.name().toLowerCase(Locale.ROOT);
        }

        static Expectation parse(String text) {
            String[] words = text.trim().split("\\s+");
            if (words.length == 1 && words[0].equals("holds")) return new Expectation(Kind.HOLDS, null);
            if (words.length == 1 && words[0].equals("deadlock")) return new Expectation(Kind.DEADLOCK, null);
            if (words.length == 2 && words[0].equals("violation")) return new Expectation(Kind.VIOLATION, words[1]);
            return null;
        }
    }

    /** The module this cfg is checked against: the one its header names, else its directory's name. */
    public String module(Path cfg) {
        return spec != null ? spec : cfg.toAbsolutePath().getParent().getFileName().toString();
    }

    /** What a result was, in the words of an expectation (for the suite's "actual" column). */
    public static String actual(CheckResult r) {
        return switch (r.outcome()) {
            case HOLDS -> "holds";
            case DEADLOCK -> "deadlock";
            case INVARIANT_VIOLATED, PROPERTY_VIOLATED -> "violation "
                    + (r.violated() != null ? r.violated() : String.join("|", r.candidates()));
            default -> r.outcome().label();
        };
    }

    public static ConfigHeader read(Path cfg) throws IOException {
        String about = null;
        Expectation expect = null;
        String spec = null;
        Set<String> tags = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        // Bytes as Latin-1, as TLC reads a cfg: the header is ASCII, and a cfg that is no text is the run's to report.
        List<String> lines = Files.readAllLines(cfg, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            if (!line.startsWith("\\*")) break;
            String body = line.substring(2).strip();
            int colon = body.indexOf(':');
            if (colon < 0) continue;
            String key = body.substring(0, colon).strip();
            String value = body.substring(colon + 1).strip();
            switch (key) {
                case "about" -> about = value;
                case "spec" -> spec = value;
                case "tags" -> {
                    for (String t : value.split("[,\\s]+")) if (!t.isBlank()) tags.add(t);
                }
                case "expect" -> {
                    expect = Expectation.parse(value);
                    if (expect == null) {
                        errors.add(cfg + ":" + (i + 1) + ": cannot read 'expect: " + value
                                + "'; write 'expect: holds', 'expect: violation NAME' or 'expect: deadlock'");
                    }
                }
                default -> { }
            }
        }
        if (expect == null && errors.isEmpty()) {
            errors.add(cfg + ": no '\\* expect:' line in the header; declare the outcome this configuration must have");
        }
        return new ConfigHeader(about, expect, tags, spec, errors);
    }
}
