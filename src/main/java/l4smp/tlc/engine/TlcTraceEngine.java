package l4smp.tlc.engine;

import l4smp.tlc.TraceVerdict;
import l4smp.tlc.TraceVerdict.Failure;
import l4smp.tlc.TraceVerdict.Kind;
import l4smp.tlc.worker.TraceEngine;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import tlc2.output.MP;
import tlc2.tool.Action;
import tlc2.tool.EvalControl;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.impl.FastTool;
import tlc2.tool.impl.Tool;
import tlc2.util.Vect;
import tlc2.value.impl.BoolValue;
import util.ToolIO;
import util.UniqueString;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Checks recorded traces against a spec parsed once: the first state must satisfy Init, every
 * step Next (or leave the variables unchanged), every state the cfg's invariants. Runs in its own
 * {@link l4smp.tlc.worker.IsolatedLoader}; one instance per spec, used from one thread.
 */
public final class TlcTraceEngine implements TraceEngine {
    /** Initial states enumerated at most, to explain a first state that is not initial. */
    private static final int MAX_INIT_STATES = 100_000;

    private Tool tool;
    private List<String> variables;
    private UniqueString[] names;
    private Action[] actions;
    /** TLC's split actions by their own label (name and bound parameters): a trace naming one exactly is checked with one evaluation. */
    private final Map<ActionLabel, List<Action>> actionsByLabel = new HashMap<>();
    /** For each action name a trace has used, the split actions that took such steps before: tried first next time. */
    private final Map<String, List<Action>> learned = new HashMap<>();
    private String[] invariantNames;
    /** The invariants' conjuncts with the variables each reads: only those a step can change are evaluated. */
    private List<InvariantConjuncts.Conjunct> conjuncts;
    private Vect<Action> init;
    private Map<String, String> shape;
    private SuccessorOracle oracle;

    /*
     * States and steps already found good, by TLC fingerprint (TLC's own model checker relies on
     * fingerprints the same way): behaviours of one system revisit the same states over and over,
     * and an invariant need not be evaluated twice on one state. Bounded: cleared when full.
     */
    private static final int MAX_REMEMBERED = 2_000_000;
    private boolean remember = true;
    private boolean incremental = true;
    private final java.util.Set<Long> goodStates = new java.util.HashSet<>();
    private final java.util.Set<GoodStep> goodSteps = new java.util.HashSet<>();

    private record GoodStep(long from, long to, ActionLabel claimed) {
    }

    @Override
    public String load(Path spec, Path config, List<Path> libraryPath, Path scratch) {
        Recorder recorder = new Recorder();
        MP.setRecorder(recorder);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ToolIO.out = new PrintStream(text, true, StandardCharsets.UTF_8);
        ToolIO.err = ToolIO.out;
        String dir = spec.getParent().toString() + File.separator;
        ToolIO.setUserDir(dir);
        List<String> search = new ArrayList<>();
        search.add(spec.getParent().toString());
        libraryPath.forEach(p -> search.add(p.toAbsolutePath().toString()));
        String module = l4smp.tlc.Project.moduleName(spec);
        String cfg = spec.getParent().relativize(config).toString().replaceFirst("\\.cfg$", "");
        l4smp.tlc.SpecProblem cfgSyntax = CfgSyntax.check(config, scratch);
        if (cfgSyntax != null) return cfgSyntax.toString();
        try {
            tool = new FastTool(dir, module, cfg, new PrivateStandardModules(search.toArray(String[]::new), scratch));
        } catch (RuntimeException | Error e) {
            String out = text.toString(StandardCharsets.UTF_8).strip();
            return "cannot load " + spec.getFileName() + " with " + config.getFileName() + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.toString())
                    + (out.isEmpty() ? "" : "\n" + out.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(""));
        }
        List<String> undeclared = ConfigNames.undeclared(tool);
        if (!undeclared.isEmpty()) {
            return ProblemLocator.nameInConfig(config, undeclared.get(0), ConfigNames.undeclaredMessage(undeclared)).toString();
        }
        variables = TraceAssembler.variableNames();
        names = new UniqueString[variables.size()];
        for (int i = 0; i < names.length; i++) names[i] = UniqueString.uniqueStringOf(variables.get(i));
        actions = tool.getActions();
        for (Action a : actions) {
            ActionLabel l = TraceAssembler.label(a);
            actionsByLabel.computeIfAbsent(new ActionLabel(l.name(), l.parameters(), null), k -> new ArrayList<>()).add(a);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < variables.size(); i++) index.put(variables.get(i), i);
        invariantNames = tool.getInvNames();
        conjuncts = InvariantConjuncts.of(tool, tool.getInvariants(), index);
        init = tool.getInitStateSpec();
        tlc2.util.FP64.Init(0);
        shape = SpecShape.of(tool, spec, config);
        oracle = new SuccessorOracle(tool, variables, names);
        return null;
    }

    @Override
    public List<String> formalParameters(String name) {
        tla2sany.semantic.OpDefNode def = tool.getRootModule() == null ? null : find(name);
        if (def == null) return null;
        List<String> out = new ArrayList<>();
        for (tla2sany.semantic.FormalParamNode p : def.getParams()) out.add(p.getName().toString());
        return out;
    }

    private tla2sany.semantic.OpDefNode find(String name) {
        for (tla2sany.semantic.OpDefNode d : tool.getRootModule().getOpDefs()) {
            if (d.getName().toString().equals(name)) return d;
        }
        return null;
    }

    @Override
    public Map<String, String> shape() {
        return java.util.Collections.unmodifiableMap(shape);
    }

    @Override
    public List<String> variables() {
        return variables;
    }

    /** Set while {@link #checkContinuation} runs: the first state was checked as the previous window's last. */
    private boolean continuation;

    @Override
    public TraceVerdict checkContinuation(Trace window) {
        continuation = true;
        try {
            return check(window);
        } finally {
            continuation = false;
        }
    }

    @Override
    public void remember(boolean on) {
        remember = on;
        if (!on) {
            goodStates.clear();
            goodSteps.clear();
        }
    }

    @Override
    public List<Trace> simulate(long seed, int depth, int count) {
        return oracle.simulate(seed, depth, count);
    }

    @Override
    public int replay(Trace trace) {
        return oracle.replay(trace);
    }

    @Override
    public Boolean replayLabelled(TraceState before, TraceState after, ActionLabel label) {
        return oracle.replayLabelled(before, after, label, tool.getRootModule() == null ? null : find(label.name()));
    }

    @Override
    public void incremental(boolean on) {
        incremental = on;
    }

    @Override
    public TraceVerdict check(Trace trace) {
        if (!new HashSet<>(trace.variables()).equals(new HashSet<>(variables))) {
            return TraceVerdict.rejected(0, new Failure(Kind.VARIABLES, 0, null, trace.state(0), null, null, List.of(),
                    List.of(), "the trace has the variables " + trace.variables() + ", the spec " + variables));
        }
        TLCState[] states = new TLCState[trace.size()];
        long[] changed = new long[states.length]; // changed[i]: the variables step i changes (all, for the first state)
        for (int i = 0; i < states.length; i++) {
            try {
                changed[i] = i == 0 ? ALL : 0;
                states[i] = state(trace.state(i), i == 0 ? null : trace.state(i - 1), i == 0 ? null : states[i - 1], changed, i);
            } catch (IllegalArgumentException e) {
                return TraceVerdict.rejected(Math.max(0, i - 1), failure(Kind.EVALUATION, i, trace, null, null,
                        List.of(), List.of(), "state " + i + ": " + e.getMessage()));
            }
        }
        long[] fingerprints = new long[states.length];
        if (remember) {
            for (int i = 0; i < states.length; i++) fingerprints[i] = fingerprint(states[i]);
        }
        Failure bad = continuation ? null : initial(trace, states[0]);
        if (bad == null && !continuation) bad = invariants(trace, 0, states[0], fingerprints[0], ALL);
        int steps = 0;
        for (int i = 1; bad == null && i < states.length; i++) {
            bad = new Step(trace, i - 1, i, states, fingerprints, changed[i]).check();
            steps++;
            if (bad == null) bad = invariants(trace, i, states[i], fingerprints[i], changed[i]);
        }
        if (bad == null && trace.isLasso() && !trace.endsStuttering()) {
            int last = states.length - 1;
            long loopChanged = differing(trace.state(last), trace.state(trace.loopIndex()));
            bad = new Step(trace, last, trace.loopIndex(), states, fingerprints, loopChanged).check();
            steps++;
        }
        return bad == null ? TraceVerdict.accepted(steps) : TraceVerdict.rejected(steps, bad);
    }

    /** Every variable, as a mask of {@link #changed}-style bits. */
    private static final long ALL = -1L;

    /**
     * The state as TLC's; a variable whose value equals the previous state's keeps its converted
     * value (converted once per trace, not per step), the others set their bit in {@code changed[i]}.
     */
    private TLCState state(TraceState s, TraceState previous, TLCState previousState, long[] changed, int i) {
        TLCState st = TLCState.Empty.createEmpty();
        for (int k = 0; k < names.length; k++) {
            TlaValue v = s.values().get(variables.get(k));
            TlaValue before = previous == null ? null : previous.values().get(variables.get(k));
            boolean same = before != null && (incremental ? SameValue.of(before, v) : before.equals(v));
            if (!same) changed[i] |= bit(k);
            st.bind(names[k], same ? previousState.lookup(names[k]) : ToTlc.value(v));
        }
        return st;
    }

    /** The variables in which two recorded states differ. */
    private long differing(TraceState a, TraceState b) {
        long mask = 0;
        for (int k = 0; k < names.length; k++) {
            if (!SameValue.of(a.values().get(variables.get(k)), b.values().get(variables.get(k)))) mask |= bit(k);
        }
        return mask;
    }

    private static long bit(int variable) {
        return variable >= 64 ? ALL : 1L << variable;
    }

    private Failure initial(Trace trace, TLCState s) {
        for (int i = 0; i < init.size(); i++) {
            try {
                if (!tool.isValid(init.elementAt(i), s)) return notInitial(trace, s);
            } catch (RuntimeException e) {
                return failure(Kind.EVALUATION, 0, trace, null, null, List.of(), List.of(),
                        "evaluating Init on the first state failed: " + e.getMessage());
            }
        }
        return null;
    }

    private Failure notInitial(Trace trace, TLCState s) {
        List<String> closest = null;
        try {
            StateVec inits = tool.getInitStates();
            for (int k = 0; k < inits.size() && k < MAX_INIT_STATES; k++) closest = fewer(closest, diverging(inits.elementAt(k), s));
        } catch (RuntimeException notEnumerable) {
            // the message below still says what is wrong
        }
        return failure(Kind.NOT_INITIAL, 0, trace, null, null, closest == null ? List.of() : closest, List.of(),
                "the first state is not an initial state" + (closest == null ? "" : "; it differs from every initial state in " + closest));
    }

    /** The invariants on state i, of which only the conjuncts reading a variable in {@code changed} can have changed. */
    private Failure invariants(Trace trace, int i, TLCState s, long fp, long changed) {
        if (remember && goodStates.contains(fp)) return null;
        for (InvariantConjuncts.Conjunct c : conjuncts) {
            if (incremental && (c.reads() & changed) == 0) continue; // it reads only what this step left as it was, and held before
            String name = invariantNames[c.invariant()];
            try {
                if (!(tool.eval(c.expr(), c.con(), s, TLCState.Empty, EvalControl.Clear) instanceof BoolValue b)) {
                    return failure(Kind.EVALUATION, i, trace, null, null, List.of(), List.of(),
                            "evaluating " + name + " on state " + i + " failed: it is not a Boolean");
                }
                if (!b.val) {
                    return new Failure(Kind.INVARIANT, i, i == 0 ? null : trace.state(i - 1), trace.state(i),
                            trace.state(i).action(), name, List.of(), List.of(),
                            "state " + i + " violates the invariant " + name);
                }
            } catch (RuntimeException e) {
                return failure(Kind.EVALUATION, i, trace, null, null, List.of(), List.of(),
                        "evaluating " + name + " on state " + i + " failed: " + e.getMessage());
            }
        }
        if (remember) remember(goodStates, fp);
        return null;
    }

    /**
     * The state's fingerprint, variable by variable. Not TLCState.fingerPrint(): under a cfg's
     * SYMMETRY that one canonicalises over every permutation, which costs more than the check.
     */
    private long fingerprint(TLCState s) {
        long fp = tlc2.util.FP64.New();
        for (UniqueString n : names) fp = ((tlc2.value.impl.Value) s.lookup(n)).fingerPrint(fp);
        return fp;
    }

    private <T> void remember(java.util.Set<T> set, T item) {
        if (set.size() >= MAX_REMEMBERED) set.clear();
        set.add(item);
    }

    /** The variables in which two states differ. */
    private List<String> diverging(TLCState allowed, TLCState recorded) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (!allowed.lookup(names[i]).equals(recorded.lookup(names[i]))) out.add(variables.get(i));
        }
        return out;
    }

    private static List<String> fewer(List<String> a, List<String> b) {
        return a == null || b.size() < a.size() ? b : a;
    }

    private static Failure failure(Kind kind, int index, Trace trace, ActionLabel claimed, String invariant,
                                   List<String> diverging, List<ActionLabel> enabled, String message) {
        TraceState after = index < trace.size() ? trace.state(index) : trace.state(trace.loopIndex());
        TraceState before = index == 0 ? null : trace.state(Math.min(index, trace.size()) - 1);
        return new Failure(kind, index, before, after, claimed, invariant, diverging, enabled, message);
    }

    /** One step of the trace, from state {@code from} to state {@code to}. */
    private final class Step {
        private final Trace trace;
        private final int from;
        private final int index; // the index reported: the state after the step, or the trace's length for the loop step
        private final TLCState s0;
        private final TLCState s1;
        private final TraceState after;
        private final ActionLabel claimed;
        private final GoodStep key;
        private final long changed;

        Step(Trace trace, int from, int to, TLCState[] states, long[] fingerprints, long changed) {
            this.trace = trace;
            this.from = from;
            this.index = to > from ? to : trace.size();
            this.s0 = states[from];
            this.s1 = states[to];
            this.after = trace.state(to);
            this.claimed = to > from ? after.action() : trace.loopAction();
            this.key = remember ? new GoodStep(fingerprints[from], fingerprints[to], claimed) : null;
            this.changed = changed;
        }

        Failure check() {
            if (changed == 0) return null; // stuttering
            if (remember && goodSteps.contains(key)) return null;
            Failure f = checkStep();
            if (f == null && remember) remember(goodSteps, key);
            return f;
        }

        private Failure checkStep() {
            if (claimed == null) {
                for (Action a : actions) {
                    if (valid(a)) return null;
                }
                return notAStep();
            }
            for (Action a : actionsByLabel.getOrDefault(new ActionLabel(claimed.name(), claimed.parameters(), null), List.of())) {
                if (valid(a)) return null; // the trace names TLC's own action, parameters and all
            }
            List<Action> before = learned.getOrDefault(claimed.name(), List.of());
            List<ActionLabel> taken = new ArrayList<>();
            for (Action a : before) {
                if (!valid(a)) continue;
                ActionLabel label = label(a);
                if (matches(label)) return null;
                taken.add(label);
            }
            for (Action a : actions) {
                if (before.contains(a) || !valid(a)) continue;
                ActionLabel label = label(a);
                if (matches(label)) {
                    learned.computeIfAbsent(claimed.name(), k -> new ArrayList<>()).add(a);
                    return null;
                }
                taken.add(label);
            }
            if (!taken.isEmpty()) {
                return new Failure(Kind.WRONG_ACTION, index, trace.state(from), after, claimed, null, List.of(), taken,
                        "step to state " + index + " is a step of " + taken + ", not of " + claimed);
            }
            return notAStep();
        }

        private boolean valid(Action a) {
            try {
                return tool.isValid(a, s0, s1);
            } catch (RuntimeException disabledWithError) {
                return false;
            }
        }

        private ActionLabel label(Action a) {
            return new ActionRefiner(tool, s0, s1).refine(a.pred, a.con, TraceAssembler.label(a));
        }

        /** The claimed name, and the claimed parameters that the actual label also has. */
        private boolean matches(ActionLabel actual) {
            if (!actual.name().equals(claimed.name())) return false;
            for (Map.Entry<String, TlaValue> p : claimed.parameters().entrySet()) {
                TlaValue v = actual.parameters().get(p.getKey());
                if (v != null && !v.equals(p.getValue())) return false;
            }
            return true;
        }

        /** Why no action relates the two states: what is enabled, and the closest allowed successor. */
        private Failure notAStep() {
            List<ActionLabel> enabled = new ArrayList<>();
            List<String> closest = null;
            boolean claimedEnabled = false;
            for (Action a : actions) {
                StateVec next;
                try {
                    next = tool.getNextStates(a, s0);
                } catch (RuntimeException e) {
                    continue;
                }
                if (next.size() == 0) continue;
                ActionLabel l = TraceAssembler.label(a);
                enabled.add(l);
                if (claimed != null && l.name().equals(claimed.name())) claimedEnabled = true;
                for (int k = 0; k < next.size(); k++) closest = fewer(closest, diverging(next.elementAt(k), s1));
            }
            String why;
            if (enabled.isEmpty()) {
                why = "no action is enabled in state " + from;
            } else {
                why = "state " + index + " differs from every successor the spec allows in " + closest
                        + (claimed == null ? "" : "; " + claimed.name() + (claimedEnabled ? " is enabled but does not lead here"
                        : " is not enabled in state " + from));
            }
            return new Failure(Kind.NOT_A_STEP, index, trace.state(from), after, claimed, null,
                    closest == null ? List.of() : closest, enabled, "step to state " + index + " is not a step of Next: " + why);
        }
    }
}
