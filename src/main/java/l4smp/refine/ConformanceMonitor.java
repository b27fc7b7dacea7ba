package l4smp.refine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.thread.ThreadId;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

/**
 * Checks a kernel run against every spec at once while it runs: after each atomic kernel step
 * each spec's {@link StepAbstraction} computes the spec's variables and the action the step
 * claims to be, and the spec's {@link TraceChecker} decides whether that is a step of the spec.
 * The run stops ({@link #stopped()}) at the first step some spec rejects; {@link #finish()} says
 * which step, which spec, and why ({@link ConformanceReport}).
 *
 * <p>Steps are handed to the checkers in windows of a few hundred (a hand-over costs more than
 * checking a step), and a step every spec sees as stuttering is not handed over at all; so the
 * kernel may run up to one window past the rejected step before it stops, and the report names
 * the rejected step exactly. Each spec is checked up to the first step it does not describe
 * ({@link RunSurvey#cut}); the constants of its cfg come from the survey of the same run. A spec
 * registered without a step-wise abstraction is checked over the recorded run when it ends.
 */
public final class ConformanceMonitor implements StepListener {
    /** Steps handed to a checker at once. */
    public static final int WINDOW = 256;

    private final SpecCheckers checkers;
    private final RunSurvey survey;
    private final List<Follower> followers = new ArrayList<>();
    private final Map<String, ConformanceReport.SpecResult> settled = new LinkedHashMap<>();
    private final List<String> recorded = new ArrayList<>();
    private final Coverage coverage = new Coverage();
    private final KernelRun run;
    private final int window;
    private KernelSnapshot last;
    private int steps;
    private boolean stopped;

    /**
     * @param checkers the checkers to use (and keep)
     * @param survey   the survey of this very run (same scenario and schedule), taken before
     * @param specs    the specs to check against (names as {@link Abstractions} knows them)
     * @param view     the kernel's view before it runs
     * @param window   steps handed to a checker at once ({@link #WINDOW}; 1 checks every step at once)
     * @throws SpecLoadException if a spec or the cfg made for the run does not load
     */
    public ConformanceMonitor(SpecCheckers checkers, RunSurvey survey, List<String> specs, KernelView view, int window)
            throws SpecLoadException {
        this.checkers = checkers;
        this.survey = survey;
        this.window = window;
        this.last = survey.initial();
        for (String s : specs) {
            String spec = Abstractions.canonical(s);
            StepAbstraction abstraction;
            try {
                abstraction = Abstractions.stepwise(spec, survey);
            } catch (NotApplicable e) {
                settled.put(spec, ConformanceReport.SpecResult.notApplicable(spec, e.getMessage()));
                continue;
            }
            if (abstraction == null) {
                recorded.add(spec);
                continue;
            }
            RunSurvey.Cut cut = survey.cut(spec);
            if (cut != null && survey.maxVisibleIpcs(spec) == 0) {
                settled.put(spec, ConformanceReport.SpecResult.notApplicable(spec, "no IPC it sees before kernel step "
                        + cut.step() + ", from which on the run is not one of its behaviours at all (" + cut.why() + ")"));
                continue;
            }
            String name = spec + "KernelRun";
            TraceChecker checker = checkers.get(spec, name, abstraction.module(name),
                    abstraction.config(checkers.invariants(spec), name));
            followers.add(new Follower(spec, abstraction, checker, survey.lastStep(spec)));
        }
        Function<ThreadId, String> names = survey.names();
        this.run = recorded.isEmpty() ? null : new KernelRun(view, names, Integer.MAX_VALUE);
    }

    @Override
    public void afterStep(KernelStep step, KernelView view) {
        steps++;
        KernelSnapshot after = KernelSnapshot.of(view);
        coverage.segments(step);
        for (Follower f : followers) {
            if (!f.done) {
                f.take(last, step, after);
                stopped |= f.rejection != null;
            }
        }
        if (run != null) {
            run.afterStep(step, view);
        }
        last = after;
    }

    /** Whether some spec rejected a step: the run should stop. */
    public boolean stopped() {
        return stopped;
    }

    /** Checks what is left of every window and says how the run went against each spec. */
    public ConformanceReport finish() {
        Map<String, ConformanceReport.SpecResult> results = new LinkedHashMap<>(settled);
        for (Follower f : followers) {
            if (!f.done) {
                f.flush();
            }
            results.put(f.spec, f.result());
        }
        for (String spec : recorded) {
            results.put(spec, recordedResult(spec));
        }
        return new ConformanceReport(steps, new ArrayList<>(results.values()), coverage);
    }

    private ConformanceReport.SpecResult recordedResult(String spec) {
        try {
            KernelRefinement r = KernelRefinement.check(checkers.project(), Abstractions.of(spec, run));
            if (r.verdict().accepted()) {
                long actions = r.trace().states().stream().filter(s -> s.action() != null).count();
                coverage.accepted(r);
                return ConformanceReport.SpecResult.accepted(spec, steps, (int) actions, null);
            }
            TraceVerdict.Failure f = r.verdict().failure();
            int k = Math.min(f.index(), run.steps().size());
            KernelRun.Step bad = k >= 1 ? run.steps().get(k - 1) : null;
            return ConformanceReport.SpecResult.rejected(spec, new ConformanceReport.Rejection(spec, k,
                    bad == null ? null : bad.step(), k >= 2 ? run.steps().get(k - 2).after() : run.initial(),
                    bad == null ? run.initial() : bad.after(), f, survey.names()));
        } catch (NotApplicable e) {
            return ConformanceReport.SpecResult.notApplicable(spec, e.getMessage());
        } catch (SpecLoadException e) {
            throw new IllegalStateException(spec + " does not load: " + e.getMessage(), e);
        }
    }

    /** One spec followed through the run. */
    private final class Follower {
        final String spec;
        final StepAbstraction abstraction;
        final TraceChecker checker;
        final int lastStep;
        /** The states not yet checked, after the last state checked (or the initial state, not yet checked). */
        final List<TraceState> states = new ArrayList<>();
        final List<Entry> entries = new ArrayList<>();
        TraceState current;
        boolean started;
        boolean done;
        int actions;
        ConformanceReport.Rejection rejection;

        /** A state of the window and the kernel step that led to it. */
        record Entry(int number, KernelStep step, KernelSnapshot before, KernelSnapshot after) {
        }

        Follower(String spec, StepAbstraction abstraction, TraceChecker checker, int lastStep) {
            this.spec = spec;
            this.abstraction = abstraction;
            this.checker = checker;
            this.lastStep = lastStep;
            this.current = abstraction.initial();
            states.add(current);
            entries.add(new Entry(0, null, null, survey.initial()));
        }

        void take(KernelSnapshot before, KernelStep step, KernelSnapshot after) {
            if (steps > lastStep) {
                flush();
                done = true;
                return;
            }
            TraceState next = abstraction.next(before, step, after, current);
            current = next;
            if (next.action() == null && next.values().equals(states.get(states.size() - 1).values())) {
                return; // a step this spec does not see: it stutters
            }
            states.add(next);
            entries.add(new Entry(steps, step, before, after));
            if (states.size() > window) {
                flush();
            }
        }

        void flush() {
            if (states.size() == 1 && started) {
                return;
            }
            Trace trace = Trace.of(abstraction.variables(), states);
            TraceVerdict verdict = started ? checker.checkContinuation(trace) : checker.check(trace);
            int good = verdict.accepted() ? states.size() : verdict.failure().index();
            for (int i = 1; i < good; i++) {
                TraceState s = states.get(i);
                if (s.action() != null) {
                    actions++;
                    coverage.action(spec, s.action().name(), entries.get(i).step());
                }
            }
            if (!verdict.accepted()) {
                TraceVerdict.Failure f = verdict.failure();
                Entry bad = entries.get(Math.min(f.index(), entries.size() - 1));
                rejection = new ConformanceReport.Rejection(spec, bad.number(), bad.step(), bad.before(), bad.after(), f,
                        survey.names());
                done = true;
                return;
            }
            started = true;
            TraceState tail = states.get(states.size() - 1);
            Entry tailEntry = entries.get(entries.size() - 1);
            states.clear();
            entries.clear();
            states.add(tail);
            entries.add(tailEntry);
        }

        ConformanceReport.SpecResult result() {
            if (rejection != null) {
                return ConformanceReport.SpecResult.rejected(spec, rejection);
            }
            return ConformanceReport.SpecResult.accepted(spec, Math.min(steps, lastStep), actions, survey.cut(spec));
        }
    }
}
