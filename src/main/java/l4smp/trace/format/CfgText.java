package l4smp.trace.format;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLC configuration file cut into its sections (keyword and body), comments removed. Enough to
 * copy some sections into a new cfg and to know which names the CONSTANT section assigns.
 */
public final class CfgText {
    public record Section(String keyword, String body) {
        @Override
        public String toString() {
            return keyword + " " + body.strip();
        }
    }

    private static final Pattern KEYWORD = Pattern.compile("(?<![A-Za-z0-9_])(CONSTANTS?|CONSTRAINTS?|ACTION_CONSTRAINTS?"
            + "|INIT|NEXT|VIEW|SYMMETRY|SPECIFICATION|INVARIANTS?|PROPERTY|PROPERTIES|CHECK_DEADLOCK|TYPE_CONSTRAINT"
            + "|TYPE|ALIAS|POSTCONDITION)(?![A-Za-z0-9_])");
    private static final Pattern ASSIGNED = Pattern.compile("([A-Za-z0-9_]+)\\s*(?:=|<-)");

    private final List<Section> sections;

    private CfgText(List<Section> sections) {
        this.sections = sections;
    }

    public static CfgText parse(String text) {
        String clean = stripComments(text);
        List<Section> out = new ArrayList<>();
        Matcher m = KEYWORD.matcher(clean);
        String keyword = null;
        int bodyStart = 0;
        while (m.find()) {
            if (keyword != null) out.add(new Section(keyword, clean.substring(bodyStart, m.start())));
            keyword = m.group(1);
            bodyStart = m.end();
        }
        if (keyword != null) out.add(new Section(keyword, clean.substring(bodyStart)));
        return new CfgText(out);
    }

    public List<Section> sections() {
        return sections;
    }

    /** Sections whose keyword starts with one of the given prefixes (e.g. "INVARIANT" matches INVARIANTS). */
    public List<Section> sections(String... keywordPrefixes) {
        List<Section> out = new ArrayList<>();
        for (Section s : sections) {
            for (String p : keywordPrefixes) {
                if (s.keyword().startsWith(p)) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /** The constant names the CONSTANT sections assign ({@code N = 3}, {@code Op <- Impl}). */
    public Set<String> assignedConstants() {
        Set<String> names = new LinkedHashSet<>();
        for (Section s : sections("CONSTANT")) {
            Matcher m = ASSIGNED.matcher(s.body());
            while (m.find()) {
                // only names at the start of an assignment, not inside a set value like {a = b}
                String before = s.body().substring(0, m.start());
                if (depth(before) == 0) names.add(m.group(1));
            }
        }
        return names;
    }

    private static int depth(String s) {
        int d = 0;
        for (char c : s.toCharArray()) {
            if (c == '{' || c == '(' || c == '[' || c == '<') d++;
            else if (c == '}' || c == ')' || c == ']' || c == '>') d--;
        }
        return d;
    }

    static String stripComments(String text) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int nested = 0;
        while (i < text.length()) {
            if (text.startsWith("(*", i)) {
                nested++;
                i += 2;
            } else if (nested > 0 && text.startsWith("*)", i)) {
                nested--;
                i += 2;
            } else if (nested > 0) {
                i++;
            } else if (text.startsWith("\\*", i)) {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol;
            } else {
                sb.append(text.charAt(i++));
            }
        }
        return sb.toString();
    }
}
