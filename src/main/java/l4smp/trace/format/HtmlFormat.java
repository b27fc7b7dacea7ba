package l4smp.trace.format;

import l4smp.trace.Trace;
import l4smp.trace.TraceState;

import java.util.List;

/**
 * A trace as one self-contained HTML page (no server, no external files): states as rows,
 * variables as columns, the cells a step changed highlighted, each row's action shown, the loop
 * of a lasso marked. A checkbox hides the columns that never change.
 */
public final class HtmlFormat {
    private HtmlFormat() {
    }

    public static String write(Trace trace) {
        String title = trace.meta().getOrDefault("title", "Trace of " + trace.size() + " states");
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n");
        meta(sb, trace);
        sb.append("<label><input type=\"checkbox\" id=\"hide\" onchange=\"toggle()\"> hide variables that never change</label>\n");
        sb.append("<table>\n<thead><tr><th>#</th><th>action</th>");
        for (String v : trace.variables()) {
            sb.append("<th class=\"").append(constant(trace, v) ? "const" : "var").append("\">").append(esc(v)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < trace.size(); i++) row(sb, trace, i);
        sb.append("</tbody>\n</table>\n");
        if (trace.isLasso()) sb.append("<p class=\"loop\">").append(esc(TextFormat.loopLine(trace))).append("</p>\n");
        sb.append("<script>\n").append(JS).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void meta(StringBuilder sb, Trace trace) {
        if (trace.meta().isEmpty()) return;
        sb.append("<dl>");
        trace.meta().forEach((k, v) -> {
            if (!k.equals("title")) sb.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
        });
        sb.append("</dl>\n");
    }

    private static void row(StringBuilder sb, Trace trace, int i) {
        TraceState s = trace.state(i);
        List<String> changed = trace.changedAt(i);
        boolean inLoop = trace.isLasso() && i >= trace.loopIndex();
        sb.append("<tr").append(inLoop ? " class=\"inloop\"" : "").append("><td class=\"idx\">").append(i).append("</td>");
        sb.append("<td class=\"action\">").append(esc(TextFormat.describe(s.action(), i))).append("</td>");
        for (String v : trace.variables()) {
            sb.append("<td class=\"").append(constant(trace, v) ? "const" : "var")
                    .append(changed.contains(v) ? " changed" : "").append("\">")
                    .append(esc(String.valueOf(s.values().get(v)))).append("</td>");
        }
        sb.append("</tr>\n");
    }

    /** A variable with the same value in every state. */
    private static boolean constant(Trace trace, String v) {
        for (int i = 1; i < trace.size(); i++) {
            if (!trace.state(i).values().get(v).equals(trace.state(0).values().get(v))) return false;
        }
        return trace.size() > 1;
    }

    private static String esc(String s) {
        return DotFormat.html(s);
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.3em; }
            dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; font-size: 0.9em; }
            dt { font-weight: bold; }
            table { border-collapse: collapse; font-family: ui-monospace, monospace; font-size: 0.85em; margin-top: 1em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; text-align: left; white-space: pre-wrap; }
            thead th { position: sticky; top: 0; background: #eee; }
            td.idx { text-align: right; color: #666; }
            td.action { font-family: system-ui, sans-serif; font-weight: 600; }
            td.changed { background: #fff2a8; }
            tr.inloop td.idx { background: #dde8ff; }
            p.loop { font-style: italic; }
            body.hide .const { display: none; }
            """;

    private static final String JS = """
            function toggle() {
              document.body.classList.toggle('hide', document.getElementById('hide').checked);
            }
            """;
}
