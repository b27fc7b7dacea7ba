package l4smp.tlc.engine;

import tlc2.output.EC;
import tlc2.tool.Action;
import tlc2.tool.ITool;
import tlc2.tool.TLCState;
import tlc2.tool.TLCStateInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * What a distributed run found wrong, in the words a local run uses.
 *
 * <p>TLC's distributed server prints the error trace a worker reported but not what was wrong
 * with it: the worker's reason travels in the exception, which the server drops. The reason is
 * found again here by asking TLC's tool the questions the worker asked ({@code TLCApp.checkState},
 * in its order, then the next-state relation), about the last step of the trace. The answer is
 * then reported under the message code a local run reports it with, so that both end in the same
 * {@link l4smp.tlc.CheckResult}.
 */
final class ErrorStep {
    /**
     * @param code        TLC's message code, as a local run reports this error
     * @param parameters  its parameters, as a local run gives them
     * @param unseenState whether the bad state is a successor the server never admitted to its
     *                    fingerprint set (a worker checks a new state before the server stores it)
     */
    record Finding(int code, String[] parameters, boolean unseenState) {
    }

    private ErrorStep() {
    }

    /** The finding, or {@code null} when the trace's last step is not at fault (TLC's message then stands). */
    static Finding of(ITool tool, boolean checkDeadlock, Recorder recorder) {
        if (recorder.last(EC.TLC_INITIAL_STATE) != null) return initial(tool);
        List<TLCState> trace = states(recorder);
        if (trace.isEmpty()) return null;
        TLCState last = trace.get(trace.size() - 1);
        TLCState before = trace.size() > 1 ? trace.get(trace.size() - 2) : null;
        try {
            Finding broken = broken(tool, before, last);
            if (broken != null) return broken;
            if (checkDeadlock && successors(tool, last) == 0) return new Finding(EC.TLC_DEADLOCK_REACHED, new String[0], false);
            if (before != null) successors(tool, before);
        } catch (RuntimeException evaluationFailed) {
            String m = evaluationFailed.getMessage();
            return new Finding(EC.GENERAL, new String[]{m == null ? evaluationFailed.toString() : m}, false);
        }
        return null;
    }

    /** The first initial state that breaks an invariant or implied init, as TLC's server met them. */
    private static Finding initial(ITool tool) {
        Finding[] first = new Finding[1];
        try {
            tool.getInitStates(state -> {
                if (first[0] == null) first[0] = broken(tool, null, state);
                return state;
            });
        } catch (RuntimeException evaluationFailed) {
            return null; // TLC reported the evaluation error itself
        }
        return first[0];
    }

    /** TLC's checks of a new state: invariants, then implied inits (initial) or implied actions (step). */
    private static Finding broken(ITool tool, TLCState before, TLCState state) {
        Action[] invariants = tool.getInvariants();
        for (int i = 0; i < invariants.length; i++) {
            if (tool.isValid(invariants[i], state)) continue;
            String name = tool.getInvNames()[i];
            return before == null ? new Finding(EC.TLC_INVARIANT_VIOLATED_INITIAL, new String[]{name, state.toString()}, false)
                    : new Finding(EC.TLC_INVARIANT_VIOLATED_BEHAVIOR, new String[]{name}, true);
        }
        if (before == null) {
            Action[] inits = tool.getImpliedInits();
            for (int i = 0; i < inits.length; i++) {
                if (!tool.isValid(inits[i], state)) {
                    return new Finding(EC.TLC_PROPERTY_VIOLATED_INITIAL, new String[]{tool.getImpliedInitNames()[i], state.toString()}, false);
                }
            }
            return null;
        }
        Action[] steps = tool.getImpliedActions();
        for (int i = 0; i < steps.length; i++) {
            if (!tool.isValid(steps[i], before, state)) {
                return new Finding(EC.TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR, new String[]{tool.getImpliedActNames()[i]}, true);
            }
        }
        return null;
    }

    private static int successors(ITool tool, TLCState state) {
        int n = 0;
        for (Action a : tool.getActions()) n += tool.getNextStates(a, state).size();
        return n;
    }

    /** The states of the error trace TLC's server printed, in order. */
    private static List<TLCState> states(Recorder recorder) {
        List<TLCState> states = new ArrayList<>();
        for (Recorder.Message m : recorder.messages()) {
            if ((m.code() == EC.TLC_STATE_PRINT1 || m.code() == EC.TLC_STATE_PRINT2) && m.objects().length > 0
                    && m.objects()[0] instanceof TLCStateInfo info && info.state != null) {
                states.add(info.state);
            }
        }
        return states;
    }
}
