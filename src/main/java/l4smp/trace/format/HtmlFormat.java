package l4smp.trace.format;

import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

import java.util.ArrayList;
import java.util.List;

/**
 * A trace as one self-contained HTML page (no server, no external files), in two views:
 * <ul>
 *   <li><b>by entity</b> (the default when some variables are functions over one domain): per
 *   state, a table with a row per entity (thread, CPU, proxy) and a column per such variable, the
 *   changed entries marked, then the other variables, the changed keys inside them marked;</li>
 *   <li><b>states &times; variables</b>: a row per state, a column per variable, changed keys
 *   marked; a checkbox hides the variables that never change.</li>
 * </ul>
 * Labels and values break after {@code +} and {@code _}, so that a kernel step label of 300
 * characters wraps instead of widening the page. A {@link Focus} makes it the page of a rejected
 * refinement: a heading that explains the verdict, the bad step marked apart from ordinary
 * changes, and only a window of states around it.
 */
public final class HtmlFormat {
    private HtmlFormat() {
    }

    /**
     * What a page about a rejected step shows beyond the states.
     *
     * @param firstIndex  the index, in the whole trace, of the page's first state
     * @param totalStates the whole trace's length (states after the window are not shown)
     * @param badIndex    the index of the state the bad step leads to (or the bad state)
     * @param headline    the verdict in one line
     * @param details     further lines: the claimed action, whether it was enabled, the diverging variables...
     * @param diverging   the variables in which the bad state differs from every allowed one
     */
    public record Focus(int firstIndex, int totalStates, int badIndex, String headline, List<String> details,
                        List<String> diverging) {
        public Focus {
            details = List.copyOf(details);
            diverging = List.copyOf(diverging);
        }
    }

    public static String write(Trace trace) {
        return write(trace, null);
    }

    public static String write(Trace trace, Focus focus) {
        List<EntityGroups> groups = EntityGroups.of(trace);
        String title = trace.meta().getOrDefault("title", "Trace of " + trace.size() + " states");
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body class=\"")
                .append(groups.isEmpty() ? "view-table" : "view-entities").append("\">\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n");
        if (focus != null) verdict(sb, focus);
        meta(sb, trace);
        controls(sb, !groups.isEmpty());
        if (focus != null && focus.firstIndex() > 0) {
            sb.append("<p class=\"omitted\">States 0&ndash;").append(focus.firstIndex() - 1)
                    .append(" were accepted and are not shown.</p>\n");
        }
        if (!groups.isEmpty()) new EntityView(trace, focus, groups).write(sb);
        new TableView(trace, focus).write(sb);
        int last = index(focus, trace.size() - 1);
        if (focus != null && last < focus.totalStates() - 1) {
            sb.append("<p class=\"omitted\">States ").append(last + 1).append("&ndash;").append(focus.totalStates() - 1)
                    .append(" come after the bad step and are not shown.</p>\n");
        }
        if (trace.isLasso()) sb.append("<p class=\"loop\">").append(esc(TextFormat.loopLine(trace))).append("</p>\n");
        sb.append("<script>\n").append(JS).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void verdict(StringBuilder sb, Focus f) {
        sb.append("<section class=\"verdict\">\n<h2>").append(HtmlValues.breakable(f.headline())).append("</h2>\n<ul>\n");
        for (String d : f.details()) sb.append("<li>").append(HtmlValues.breakable(d)).append("</li>\n");
        sb.append("</ul>\n<p><a href=\"#e").append(f.badIndex()).append("\" onclick=\"return go(").append(f.badIndex())
                .append(")\">Go to the bad step</a> &middot; <span class=\"legend changed\">"
                + "changed</span> <span class=\"legend diverging\">diverges from every state the spec allows</span></p>\n</section>\n");
    }

    private static void meta(StringBuilder sb, Trace trace) {
        if (trace.meta().isEmpty()) return;
        sb.append("<dl class=\"meta\">");
        trace.meta().forEach((k, v) -> {
            if (!k.equals("title")) sb.append("<dt>").append(esc(k)).append("</dt><dd>").append(HtmlValues.breakable(v)).append("</dd>");
        });
        sb.append("</dl>\n");
    }

    private static void controls(StringBuilder sb, boolean entities) {
        sb.append("<form class=\"controls\">");
        if (entities) {
            sb.append("<label><input type=\"radio\" name=\"view\" value=\"entities\" checked onchange=\"view(this.value)\"> by entity</label> "
                    + "<label><input type=\"radio\" name=\"view\" value=\"table\" onchange=\"view(this.value)\"> states &times; variables</label> "
                    + "<label><input type=\"checkbox\" id=\"changedOnly\" onchange=\"toggle()\"> only the entities a step changed</label> ");
        }
        sb.append("<label><input type=\"checkbox\" id=\"hide\" onchange=\"toggle()\"> hide variables that never change</label></form>\n");
    }

    /** The index shown for the page's {@code i}-th state. */
    static int index(Focus focus, int i) {
        return focus == null ? i : focus.firstIndex() + i;
    }

    /** A variable with the same value in every state. */
    static boolean constant(Trace trace, String v) {
        for (int i = 1; i < trace.size(); i++) {
            if (!trace.state(i).values().get(v).equals(trace.state(0).values().get(v))) return false;
        }
        return trace.size() > 1;
    }

    /** The state before {@code i}, or null for the first (on a focused page, the state before it is not shown either). */
    static TraceState before(Trace trace, int i) {
        return i == 0 ? null : trace.state(i - 1);
    }

    static String esc(String s) {
        return DotFormat.html(s);
    }

    /** The per-entity view: a section per state. */
    private record EntityView(Trace trace, Focus focus, List<EntityGroups> groups) {
        void write(StringBuilder sb) {
            List<String> grouped = new ArrayList<>();
            groups.forEach(g -> grouped.addAll(g.variables()));
            sb.append("<div id=\"entities\">\n");
            for (int i = 0; i < trace.size(); i++) {
                int shown = index(focus, i);
                boolean bad = focus != null && shown == focus.badIndex();
                TraceState s = trace.state(i);
                TraceState before = before(trace, i);
                sb.append("<section class=\"state").append(bad ? " bad" : "").append(inLoop(i) ? " inloop" : "")
                        .append("\" id=\"e").append(shown).append("\">\n<h3>State ")
                        .append(shown).append(": ").append(HtmlValues.breakable(TextFormat.describe(s.action(), shown))).append("</h3>\n");
                for (EntityGroups g : groups) group(sb, g, s, before, bad);
                others(sb, s, before, grouped, bad);
                sb.append("</section>\n");
            }
            sb.append("</div>\n");
        }

        private void group(StringBuilder sb, EntityGroups g, TraceState s, TraceState before, boolean bad) {
            sb.append("<table class=\"entities\"><thead><tr><th></th>");
            for (String v : g.variables()) {
                sb.append("<th class=\"").append(constant(trace, v) ? "const" : "var").append("\">").append(HtmlValues.breakable(v)).append("</th>");
            }
            sb.append("</tr></thead><tbody>\n");
            for (TlaValue key : g.domain()) {
                boolean rowChanged = false;
                StringBuilder cells = new StringBuilder();
                for (String v : g.variables()) {
                    boolean changed = g.changedAt(before, s, v, key);
                    rowChanged |= changed;
                    TlaValue now = EntityGroups.apply(s.values().get(v), key);
                    TlaValue was = before == null ? null : EntityGroups.apply(before.values().get(v), key);
                    cells.append("<td class=\"").append(constant(trace, v) ? "const" : "var").append(changed ? " changed" : "")
                            .append(bad && changed && focus.diverging().contains(v) ? " diverging" : "").append("\">")
                            .append(HtmlValues.diff(now, was)).append("</td>");
                }
                sb.append("<tr").append(rowChanged ? " class=\"changed\"" : "").append("><th>")
                        .append(HtmlValues.breakable(EntityGroups.label(key))).append("</th>").append(cells).append("</tr>\n");
            }
            sb.append("</tbody></table>\n");
        }

        private void others(StringBuilder sb, TraceState s, TraceState before, List<String> grouped, boolean bad) {
            sb.append("<dl class=\"others\">");
            for (String v : trace.variables()) {
                if (grouped.contains(v)) continue;
                TlaValue was = before == null ? null : before.values().get(v);
                boolean changed = was != null && !was.equals(s.values().get(v));
                sb.append("<dt class=\"").append(constant(trace, v) ? "const" : "var").append("\">").append(HtmlValues.breakable(v))
                        .append("</dt><dd class=\"").append(constant(trace, v) ? "const" : "var").append(changed ? " changed" : "")
                        .append(bad && focus.diverging().contains(v) ? " diverging" : "").append("\">")
                        .append(HtmlValues.diff(s.values().get(v), was)).append("</dd>");
            }
            sb.append("</dl>\n");
        }

        private boolean inLoop(int i) {
            return trace.isLasso() && i >= trace.loopIndex();
        }
    }

    /** The view of states as rows and variables as columns. */
    private record TableView(Trace trace, Focus focus) {
        void write(StringBuilder sb) {
            sb.append("<div id=\"table\"><table class=\"states\">\n<thead><tr><th>#</th><th>action</th>");
            for (String v : trace.variables()) {
                sb.append("<th class=\"").append(constant(trace, v) ? "const" : "var").append("\">").append(HtmlValues.breakable(v)).append("</th>");
            }
            sb.append("</tr></thead>\n<tbody>\n");
            for (int i = 0; i < trace.size(); i++) row(sb, i);
            sb.append("</tbody>\n</table></div>\n");
        }

        private void row(StringBuilder sb, int i) {
            TraceState s = trace.state(i);
            TraceState before = before(trace, i);
            int shown = index(focus, i);
            boolean bad = focus != null && shown == focus.badIndex();
            boolean inLoop = trace.isLasso() && i >= trace.loopIndex();
            sb.append("<tr id=\"t").append(shown).append("\" class=\"").append(inLoop ? "inloop" : "")
                    .append(bad ? " bad" : "").append("\"><td class=\"idx\">").append(shown).append("</td>");
            sb.append("<td class=\"action\">").append(HtmlValues.breakable(TextFormat.describe(s.action(), shown))).append("</td>");
            for (String v : trace.variables()) {
                TlaValue was = before == null ? null : before.values().get(v);
                boolean changed = was != null && !was.equals(s.values().get(v));
                sb.append("<td class=\"").append(constant(trace, v) ? "const" : "var").append(changed ? " changed" : "")
                        .append(bad && focus.diverging().contains(v) ? " diverging" : "").append("\">")
                        .append(HtmlValues.diff(s.values().get(v), was)).append("</td>");
            }
            sb.append("</tr>\n");
        }
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.3em; overflow-wrap: anywhere; }
            h2 { font-size: 1.1em; margin: 0 0 0.4em; }
            h3 { font-size: 0.95em; margin: 0 0 0.3em; overflow-wrap: anywhere; }
            dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; font-size: 0.9em; }
            dt { font-weight: bold; }
            dd { margin: 0; overflow-wrap: anywhere; }
            .controls { margin: 0.8em 0; } .controls label { margin-right: 1.2em; }
            table { border-collapse: collapse; font-family: ui-monospace, monospace; font-size: 0.85em; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.45em; vertical-align: top; text-align: left;
                     white-space: pre-wrap; overflow-wrap: anywhere; }
            table.states thead th { position: sticky; top: 0; background: #eee; }
            table.entities { margin: 0.3em 0; max-width: 100%; }
            table.entities thead th { background: #eee; }
            table.entities tbody th { background: #f6f6f6; font-weight: 600; }
            section.state { border-top: 2px solid #bbb; padding: 0.6em 0 0.8em; max-width: 100%; }
            dl.others { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.1em 0.8em;
                        font-family: ui-monospace, monospace; font-size: 0.85em; margin: 0.3em 0; }
            td.idx { text-align: right; color: #666; }
            td.action { font-family: system-ui, sans-serif; font-weight: 600; }
            .changed { background: #fff8d0; }
            tr.changed > th { background: #fff2a8; }
            mark { background: #ffe066; border-radius: 2px; }
            mark.added { background: #c6f0c2; }
            .removed { color: #a33; font-style: italic; }
            .diverging, .diverging mark { background: #ffb3b3; }
            section.bad, tr.bad td { outline: 3px solid #d00; outline-offset: -3px; }
            section.bad h3::after { content: "  \\2190 the bad step"; color: #d00; }
            section.verdict { border: 2px solid #d00; background: #fff5f5; padding: 0.6em 1em; margin: 0.8em 0; }
            .legend { padding: 0 0.4em; } .legend.changed { background: #fff2a8; } .legend.diverging { background: #ffb3b3; }
            p.omitted { font-style: italic; color: #555; border: 1px dashed #aaa; padding: 0.4em; }
            section.inloop h3, tr.inloop td.idx { background: #dde8ff; }
            p.loop { font-style: italic; }
            body.hide .const { display: none; }
            body.changed-only table.entities tbody tr:not(.changed) { display: none; }
            body.view-entities #table, body.view-table #entities { display: none; }
            """;

    private static final String JS = """
            function toggle() {
              document.body.classList.toggle('hide', document.getElementById('hide').checked);
              var only = document.getElementById('changedOnly');
              document.body.classList.toggle('changed-only', only !== null && only.checked);
            }
            function go(n) {
              var id = (document.body.classList.contains('view-table') ? 't' : 'e') + n;
              document.getElementById(id).scrollIntoView();
              return false;
            }
            function view(v) {
              document.body.classList.toggle('view-entities', v === 'entities');
              document.body.classList.toggle('view-table', v === 'table');
            }
            """;
}
