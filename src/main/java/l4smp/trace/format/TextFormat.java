package l4smp.trace.format;

import l4smp.trace.ActionLabel;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

import java.util.List;

/**
 * A trace as plain text, state by state, in the spirit of TLC's own output: every variable with
 * its value, a {@code *} before the ones the step changed, the action and where it is defined.
 */
public final class TextFormat {
    private TextFormat() {
    }

    public static String write(Trace trace) {
        StringBuilder sb = new StringBuilder();
        String title = trace.meta().get("title");
        if (title != null) sb.append(title).append("\n\n");
        int width = trace.variables().stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < trace.size(); i++) {
            TraceState s = trace.state(i);
            sb.append("State ").append(i).append(": ").append(describe(s.action(), i)).append('\n');
            List<String> changed = trace.changedAt(i);
            for (String v : trace.variables()) {
                sb.append(changed.contains(v) ? "* " : "  ").append(pad(v, width)).append(" = ")
                        .append(s.values().get(v)).append('\n');
            }
            sb.append('\n');
        }
        if (trace.isLasso()) sb.append(loopLine(trace)).append('\n');
        return sb.toString();
    }

    static String describe(ActionLabel action, int index) {
        if (action == null) return index == 0 ? "initial state" : "(action unknown)";
        String where = action.location() == null ? "" : "   [" + action.location().module() + ":"
                + action.location().beginLine() + "]";
        return action + where;
    }

    static String loopLine(Trace trace) {
        if (trace.endsStuttering()) return "Then the last state stutters forever (state " + trace.loopIndex() + " repeats).";
        return "Then back to state " + trace.loopIndex() + " by "
                + (trace.loopAction() == null ? "an unknown action" : trace.loopAction().toString())
                + ", and around that loop forever.";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
