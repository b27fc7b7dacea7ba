package l4smp.tlc.engine;

import l4smp.trace.ActionLabel;
import l4smp.trace.SourceLocation;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.SymbolNode;
import tla2sany.st.Location;
import tlc2.output.EC;
import tlc2.tool.Action;
import tlc2.tool.ITool;
import tlc2.tool.TLCState;
import tlc2.tool.TLCStateInfo;
import tlc2.util.Context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the counterexample {@link Trace} from the states TLC reported, naming for each step the
 * action that produced it.
 *
 * <p>TLC reports only a text for each step's action. The action is found instead by asking TLC's
 * own tool which of the spec's split actions ({@code Next}'s disjuncts with their bound
 * parameters) relates the two states; when several do, the one whose location TLC printed wins.
 */
final class TraceAssembler {
    private final Recorder recorder;
    private final ITool tool;

    TraceAssembler(Recorder recorder, ITool tool) {
        this.recorder = recorder;
        this.tool = tool;
    }

    /** The trace, or {@code null} when TLC reported no states. */
    Trace assemble() {
        List<TLCStateInfo> infos = new ArrayList<>();
        Integer loop = null;
        boolean backToState = false; // a real step closes the loop, rather than stuttering
        for (Recorder.Message m : recorder.messages()) {
            if ((m.code() == EC.TLC_STATE_PRINT1 || m.code() == EC.TLC_STATE_PRINT2)
                    && m.objects().length > 0 && m.objects()[0] instanceof TLCStateInfo info && info.state != null) {
                infos.add(info);
            } else if (m.code() == EC.TLC_STATE_PRINT3) {
                loop = infos.size() - 1; // stuttering forever in the last state
            } else if (m.code() == EC.TLC_BACK_TO_STATE) {
                loop = Integer.parseInt(m.text(0).trim()) - 1;
                backToState = true;
            }
        }
        if (infos.isEmpty() || TLCState.vars == null) return null;

        List<String> variables = variableNames();
        List<TraceState> states = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            TLCStateInfo info = infos.get(i);
            ActionLabel action = i == 0 ? null : actionBetween(infos.get(i - 1).state, info);
            states.add(new TraceState(values(info.state, variables), action));
        }
        ActionLabel loopAction = backToState ? actionBetween(infos.get(infos.size() - 1).state, infos.get(loop)) : null;
        return new Trace(variables, states, loop, loopAction, Map.of());
    }

    /** The variables in the order they are declared (TLC keeps them in its own internal order). */
    static List<String> variableNames() {
        List<OpDeclNode> decls = new ArrayList<>(List.of(TLCState.vars));
        decls.sort(java.util.Comparator.comparing((OpDeclNode d) -> d.getLocation().source())
                .thenComparingInt(d -> d.getLocation().beginLine())
                .thenComparingInt(d -> d.getLocation().beginColumn()));
        List<String> names = new ArrayList<>();
        for (OpDeclNode v : decls) names.add(v.getName().toString());
        return names;
    }

    private static Map<String, TlaValue> values(TLCState state, List<String> variables) {
        Map<String, TlaValue> values = new LinkedHashMap<>();
        for (String v : variables) values.put(v, Values.toTla(state.lookup(v)));
        return values;
    }

    private ActionLabel actionBetween(TLCState s0, TLCStateInfo s1) {
        return stepLabel(tool, s0, s1.state, String.valueOf(s1.info));
    }

    /**
     * The label of the step from s0 to s1: the split action of TLC's that relates them (the one
     * whose location TLC printed, {@code printed}, when several do), refined to the innermost
     * operator; {@code null} when none does.
     */
    static ActionLabel stepLabel(ITool tool, TLCState s0, TLCState s1, String printed) {
        if (tool == null) return null;
        Action chosen = null;
        for (Action a : tool.getActions()) {
            try {
                if (!tool.isValid(a, s0, s1)) continue;
            } catch (RuntimeException disabledWithError) {
                continue; // e.g. a guard that applies a function outside its domain in this state
            }
            if (chosen == null || printed.equals(a.getLocation())) chosen = a;
        }
        return chosen == null ? null : new ActionRefiner(tool, s0, s1).refine(chosen.pred, chosen.con, label(chosen));
    }

    static ActionLabel label(Action a) {
        String name = a.getName() == null ? "Action" : a.getName().toString();
        if (name.isEmpty() || name.equals("UnnamedAction")) name = "Action";
        return new ActionLabel(name, parameters(a.con), location(a));
    }

    private static Map<String, TlaValue> parameters(Context con) {
        List<SymbolNode> names = new ArrayList<>();
        con.lookupName(sym -> {
            if (sym != null && names.stream().noneMatch(n -> n.getName() == sym.getName())) names.add(sym);
            return false;
        });
        Collections.reverse(names); // the context lists the innermost binding first
        Map<String, TlaValue> params = new LinkedHashMap<>();
        for (SymbolNode n : names) params.put(n.getName().toString(), Values.toTla(con.lookup(n)));
        return params;
    }

    private static SourceLocation location(Action a) {
        Location loc = a.isDeclared() ? a.getDeclaration() : a.pred.getLocation();
        if (a.getOpDef() != null) loc = a.getOpDef().getLocation();
        if (loc == null || loc == Location.nullLoc) return null;
        return new SourceLocation(loc.source(), loc.beginLine(), loc.beginColumn(), loc.endLine(), loc.endColumn());
    }
}
