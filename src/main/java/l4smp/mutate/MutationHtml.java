package l4smp.mutate;

import java.util.List;

/**
 * A mutation report as one self-contained HTML page: the counts and score, every mutant in a
 * table, and each surviving (or timed-out) mutant in its source context: the lines of its
 * definition, the replaced text struck through and the mutant's text beside it.
 */
public final class MutationHtml {
    private static final int CONTEXT = 3;

    private MutationHtml() {
    }

    public static String render(MutationReport report, String moduleText) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mutants of ").append(esc(report.spec()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;vertical-align:top}"
                        + "pre{background:#f7f7f7;padding:8px;font-size:13px;overflow-x:auto}"
                        + "del{background:#fbb}ins{background:#bfb;text-decoration:none}"
                        + ".killed{color:#070}.survived,.timeout{color:#b00;font-weight:bold}.equivalent{color:#666}"
                        + ".stillborn{color:#999}.lineno{color:#999}</style></head><body>\n");
        h.append("<h1>Mutants of ").append(esc(report.spec())).append("</h1>\n<p>").append(esc(report.summary()))
                .append("</p>\n<p>Configurations (fastest first): ");
        for (MutationRun.Config c : report.configs()) {
            h.append("<code>").append(esc(c.name())).append("</code> (").append(esc(c.header().expect().toString()))
                    .append(", ").append(c.baselineMillis()).append(" ms) ");
        }
        h.append("</p>\n");
        survivors(h, report, moduleText);
        h.append("<h2>All mutants</h2>\n<table><tr><th>id</th><th>verdict</th><th>definition</th><th>operator</th>"
                + "<th>change</th><th>configuration</th><th>detail</th></tr>\n");
        for (MutantResult r : report.results()) {
            Mutant m = r.mutant();
            h.append("<tr><td>").append(m.id()).append("</td><td class=\"").append(r.verdict().label()).append("\">")
                    .append(r.verdict().label()).append("</td><td>").append(esc(m.definition())).append(':').append(m.line())
                    .append("</td><td>").append(m.operator().label()).append("</td><td><code>").append(esc(m.change()))
                    .append("</code></td><td>").append(esc(r.config() == null ? "" : r.config())).append("</td><td>")
                    .append(esc(r.detail() == null ? "" : r.detail())).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static void survivors(StringBuilder h, MutationReport report, String moduleText) {
        List<MutantResult> left = report.unkilled();
        h.append("<h2>Not killed (").append(left.size()).append(")</h2>\n");
        if (left.isEmpty()) h.append("<p>Every mutant was killed, shown equivalent, or does not parse.</p>\n");
        for (MutantResult r : left) {
            Mutant m = r.mutant();
            h.append("<h3 id=\"").append(m.id()).append("\">").append(m.id()).append(" (").append(r.verdict().label())
                    .append("): ").append(esc(m.operator().description())).append(" in <code>").append(esc(m.definition()))
                    .append("</code></h3>\n");
            if (r.detail() != null) h.append("<p>").append(esc(r.detail())).append("</p>\n");
            h.append("<pre>").append(inContext(moduleText, m)).append("</pre>\n");
        }
    }

    /** The lines around the mutant, numbered, with the change marked. */
    static String inContext(String text, Mutant m) {
        int from = lineStart(text, m.start(), CONTEXT);
        int to = lineEnd(text, m.end(), CONTEXT);
        String before = text.substring(from, m.start());
        String after = text.substring(m.end(), to);
        String marked = esc(before) + "<del>" + esc(m.original()) + "</del><ins>" + esc(m.replacement()) + "</ins>"
                + esc(after);
        StringBuilder out = new StringBuilder();
        int line = 1 + (int) text.substring(0, from).chars().filter(c -> c == '\n').count();
        for (String l : marked.split("\n", -1)) {
            out.append(String.format("<span class=\"lineno\">%4d</span>  ", line++)).append(l).append('\n');
        }
        return out.toString();
    }

    private static int lineStart(String text, int at, int linesBefore) {
        int i = text.lastIndexOf('\n', Math.max(0, at - 1));
        for (int n = 0; n < linesBefore && i > 0; n++) i = text.lastIndexOf('\n', i - 1);
        return i < 0 ? 0 : i + 1;
    }

    private static int lineEnd(String text, int at, int linesAfter) {
        int i = text.indexOf('\n', at);
        for (int n = 0; n < linesAfter && i >= 0; n++) i = text.indexOf('\n', i + 1);
        return i < 0 ? text.length() : i;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
