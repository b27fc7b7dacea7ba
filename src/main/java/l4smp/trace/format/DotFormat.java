package l4smp.trace.format;

import l4smp.trace.Trace;
import l4smp.trace.TraceState;

import java.util.List;

/**
 * A trace as a Graphviz digraph: one box per state listing its variables (changed ones in bold),
 * one edge per step labelled with the action, and the loop edge of a lasso. Render with
 * {@code dot -Tsvg trace.dot > trace.svg}.
 */
public final class DotFormat {
    private DotFormat() {
    }

    public static String write(Trace trace) {
        StringBuilder sb = new StringBuilder("digraph trace {\n");
        sb.append("  rankdir=TB;\n  node [shape=plaintext, fontname=\"monospace\", fontsize=10];\n");
        sb.append("  edge [fontname=\"sans-serif\", fontsize=10];\n");
        String title = trace.meta().get("title");
        if (title != null) sb.append("  labelloc=t; label=<<b>").append(html(title)).append("</b>>;\n");
        for (int i = 0; i < trace.size(); i++) {
            sb.append("  s").append(i).append(" [label=<").append(table(trace, i)).append(">];\n");
        }
        for (int i = 1; i < trace.size(); i++) {
            TraceState s = trace.state(i);
            sb.append("  s").append(i - 1).append(" -> s").append(i)
                    .append(" [label=\"").append(quoted(s.action() == null ? "?" : s.action().toString())).append("\"];\n");
        }
        if (trace.isLasso()) {
            String label = trace.endsStuttering() ? "stutter forever"
                    : trace.loopAction() == null ? "?" : trace.loopAction().toString();
            sb.append("  s").append(trace.size() - 1).append(" -> s").append(trace.loopIndex())
                    .append(" [label=\"").append(quoted(label)).append("\", style=dashed, constraint=false];\n");
        }
        return sb.append("}\n").toString();
    }

    private static String table(Trace trace, int i) {
        List<String> changed = trace.changedAt(i);
        StringBuilder t = new StringBuilder("<table border=\"1\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\">");
        t.append("<tr><td align=\"left\" bgcolor=\"#dddddd\"><b>state ").append(i).append("</b></td></tr>");
        for (String v : trace.variables()) {
            String line = html(v + " = " + trace.state(i).values().get(v));
            t.append("<tr><td align=\"left\">").append(changed.contains(v) ? "<b>" + line + "</b>" : line).append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
