package l4smp.tlc.engine;

import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.impl.Tool;
import tlc2.util.Context;
import tlc2.value.impl.Value;
import util.UniqueString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * TLC's own successor function, in process: the random walks of its simulator, and the replay of
 * a trace the way TLC model-checks a trace module (the first state must be one of the initial
 * states TLC enumerates, each next state one of the successors it enumerates or the same state,
 * every state must satisfy the invariants, each evaluated whole). It shares nothing with the
 * checker's way of deciding a step (an action evaluated as a predicate on the pair of states,
 * invariants conjunct by conjunct), which makes it the checker's oracle in the properties, at a
 * few milliseconds per trace rather than a TLC run.
 */
final class SuccessorOracle {
    private final Tool tool;
    private final List<String> variables;
    private final UniqueString[] names;

    SuccessorOracle(Tool tool, List<String> variables, UniqueString[] names) {
        this.tool = tool;
        this.variables = variables;
        this.names = names;
    }

    /**
     * {@code count} random behaviours of at most {@code depth} states, chosen as TLC's simulator
     * chooses (a random initial state; then a random action, the next one by a random stride
     * while it has no successor, and a random successor of it); a behaviour ends early where no
     * action is enabled. Each step is labelled with the action that took it, refined as in
     * counterexamples.
     */
    List<Trace> simulate(long seed, int depth, int count) {
        SplittableRandom rng = new SplittableRandom(seed);
        StateVec inits = tool.getInitStates();
        Action[] actions = tool.getActions();
        List<Trace> out = new ArrayList<>();
        for (int n = 0; n < count && inits.size() > 0; n++) {
            TLCState s = inits.elementAt(rng.nextInt(inits.size()));
            List<TraceState> states = new ArrayList<>();
            states.add(new TraceState(values(s), null));
            while (states.size() < depth) {
                int index = rng.nextInt(actions.length);
                int stride = stride(rng, actions.length);
                StateVec next = null;
                Action taken = null;
                for (int i = 0; i < actions.length && next == null; i++, index = (index + stride) % actions.length) {
                    StateVec candidates = successors(actions[index], s);
                    if (candidates.size() > 0) {
                        next = candidates;
                        taken = actions[index];
                    }
                }
                if (next == null) break; // deadlock: the behaviour ends here
                TLCState s1 = next.elementAt(rng.nextInt(next.size()));
                ActionLabel label = new ActionRefiner(tool, s, s1).refine(taken.pred, taken.con, TraceAssembler.label(taken));
                states.add(new TraceState(values(s1), label));
                s = s1;
            }
            out.add(new Trace(variables, states, null, null, Map.of()));
        }
        return out;
    }

    /** A stride through the actions that visits each once: one that is coprime to their number. */
    private static int stride(SplittableRandom rng, int n) {
        for (int tries = 0; tries < 64; tries++) {
            int p = 1 + rng.nextInt(Math.max(1, n));
            if (gcd(p, n) == 1) return p;
        }
        return 1;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Where TLC's replay of the trace stops: -1 if it replays to the end, else the index of the
     * first state that is not initial (0), not a successor of the one before, or violates an
     * invariant; the trace's length if a lasso's loop step is no step.
     */
    int replay(Trace trace) {
        TLCState[] states = new TLCState[trace.size()];
        for (int i = 0; i < states.length; i++) {
            try {
                states[i] = state(trace.state(i));
            } catch (IllegalArgumentException notRepresentable) {
                return i; // a value TLC cannot hold: the replay could not reach this state
            }
        }
        if (!among(tool.getInitStates(), states[0]) || !invariantsHold(states[0])) return 0;
        for (int i = 1; i < states.length; i++) {
            if (!isStep(states[i - 1], states[i]) || !invariantsHold(states[i])) return i;
        }
        if (trace.isLasso() && !trace.endsStuttering() && !isStep(states[states.length - 1], states[trace.loopIndex()])) {
            return states.length;
        }
        return -1;
    }

    /**
     * Whether TLC takes the step from {@code before} to {@code after} by the operator the label
     * names, applied to the label's arguments (or as a stuttering step), both states satisfying
     * the invariants; {@code null} if the spec has no such operator or the label lacks an argument.
     */
    Boolean replayLabelled(TraceState before, TraceState after, ActionLabel label, OpDefNode def) {
        if (def == null) return null;
        Context con = Context.Empty;
        for (FormalParamNode p : def.getParams()) {
            TlaValue arg = label.parameters().get(p.getName().toString());
            if (arg == null || p.getArity() > 0) return null;
            con = con.cons(p, ToTlc.value(arg));
        }
        TLCState s0 = state(before);
        TLCState s1 = state(after);
        if (!invariantsHold(s0) || !invariantsHold(s1)) return false;
        return same(s0, s1) || among(successors(new Action(def.getBody(), con, def), s0), s1);
    }

    private boolean isStep(TLCState s0, TLCState s1) {
        if (same(s0, s1)) return true; // stuttering, which the trace module allows
        for (Action a : tool.getActions()) {
            if (among(successors(a, s0), s1)) return true;
        }
        return false;
    }

    private StateVec successors(Action a, TLCState s) {
        try {
            return tool.getNextStates(a, s);
        } catch (RuntimeException disabledWithError) {
            return new StateVec(0);
        }
    }

    private boolean invariantsHold(TLCState s) {
        for (Action inv : tool.getInvariants()) {
            try {
                if (!tool.isValid(inv, s)) return false;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    private boolean among(StateVec states, TLCState s) {
        for (int k = 0; k < states.size(); k++) {
            if (same(states.elementAt(k), s)) return true;
        }
        return false;
    }

    private boolean same(TLCState a, TLCState b) {
        for (UniqueString n : names) {
            if (!a.lookup(n).equals(b.lookup(n))) return false;
        }
        return true;
    }

    private TLCState state(TraceState s) {
        TLCState st = TLCState.Empty.createEmpty();
        for (int k = 0; k < names.length; k++) st.bind(names[k], ToTlc.value(s.values().get(variables.get(k))));
        return st;
    }

    private Map<String, TlaValue> values(TLCState s) {
        Map<String, TlaValue> values = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) values.put(variables.get(k), Values.toTla((Value) s.lookup(names[k])));
        return values;
    }
}
