package l4smp.refine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import l4smp.hw.sched.Candidates;
import l4smp.hw.sched.Scheduler;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.thread.ThreadId;

/**
 * Drives the machine through a spec trace's interleaving: the scheduler choices are made so that
 * the kernel takes the trace's actions in the trace's order, each on the CPU that takes it in the
 * spec. Before each expected action only that CPU runs; before an action that answers a hardware
 * event (a migration part's entry, an IPI handler, a timeout) a pending IPI is let in at once and
 * other events (ticks) once due by that CPU's clock, before any other action only if the CPU cannot
 * run without them; the other CPUs wait, as the spec's interleaving has them wait. A kernel step
 * that does a different action of the spec (another of the spec's path segments) than the next
 * expected one, or a CPU that cannot take its action within {@link #PATIENCE} machine steps, is a
 * divergence.
 *
 * <p>The spec starts with the CPUs up; the kernel boots them first (§2 SMP boot: the processors
 * meet at a barrier), so until every CPU has left the boot barrier the follower runs the CPUs that
 * have not, earliest clock first, and holds back each one that has.
 */
final class TraceFollower implements Scheduler, StepListener {
    /** Machine steps one expected action may take (user code and spin steps before it) before the replay gives up. */
    static final int PATIENCE = 200_000;

    /**
     * One action of the trace as the kernel must take it: on {@code cpu}, as a step running one of
     * {@code segments} (for {@code subject} if that is not null), or (a dispatcher action) as a step
     * after which {@code cpu} runs {@code runs}. {@code awaitsEvent}: the action is the kernel's
     * answer to a hardware event (an IPI, a tick), which is let in once due by the CPU's clock.
     */
    record Expected(int state, String action, int cpu, List<PathSegment> segments, ThreadId subject, ThreadId runs,
                    Boolean switches, boolean awaitsEvent) {
        /** A step of a spec action: on {@code cpu}, running one of {@code segments}. */
        static Expected step(int state, String action, int cpu, List<PathSegment> segments, ThreadId subject,
                             boolean awaitsEvent) {
            return new Expected(state, action, cpu, segments, subject, null, null, awaitsEvent);
        }
    }

    /**
     * An expected action and the kernel step that took it; {@code differs} says how the kernel's step
     * differs from the action where the spec chooses freely (TargetPassBarrier3's {@code switch}), or is null.
     */
    record Match(Expected expected, KernelStep step, String differs) {
    }

    private final List<Expected> expected;
    /** The path segments that are actions of the spec: a step running one is the next expected action, or a divergence. */
    private final Set<PathSegment> actions;
    /** Of {@link #actions}, those that are an action only when they run for a thread of the spec (not a pager's receive). */
    private final Set<PathSegment> threadActions;
    private final Function<ThreadId, String> names;
    private final List<Match> matches = new ArrayList<>();
    private final BitSet booted = new BitSet();
    /** Whether each CPU runs until it is in user mode before the trace's first action (after the boot). */
    private final boolean startUser;
    private final BitSet inUser = new BitSet();
    private static final int NONE = Integer.MIN_VALUE;
    /** Chooses once every expected action was taken: how the kernel goes on after the trace's end. */
    private final Scheduler after = Scheduler.earliestClockFirst();
    private final int cpus;
    private int next;
    private long waited;
    private String divergence;

    TraceFollower(int cpus, List<Expected> expected, Set<PathSegment> actions, Set<PathSegment> threadActions,
                  boolean startUser, Function<ThreadId, String> names) {
        this.cpus = cpus;
        this.startUser = startUser;
        this.expected = List.copyOf(expected);
        this.actions = Set.copyOf(actions);
        this.threadActions = Set.copyOf(threadActions);
        this.names = names;
    }

    /** Every expected action was taken, or the kernel diverged: the run should stop. */
    boolean stopped() {
        return next == expected.size() || divergence != null;
    }

    /** Why the kernel left the trace, or null. */
    String divergence() {
        return divergence;
    }

    List<Match> matches() {
        return List.copyOf(matches);
    }

    @Override
    public int choose(Candidates candidates) {
        if (divergence == null && next == expected.size()) {
            return after.choose(candidates);
        }
        if (stopped()) {
            return candidates.choice(0);
        }
        if (booted.cardinality() < cpus) {
            return boot(candidates);
        }
        if (startUser && inUser.cardinality() < cpus) {
            int c = startUser(candidates);
            if (c != NONE) {
                return c;
            }
        }
        Expected e = expected.get(next);
        if (++waited > PATIENCE) {
            diverge("cpu" + e.cpu + " did not take " + e.action + " (state " + e.state + ") within " + PATIENCE + " machine steps");
        }
        int cpu = -1;
        int event = -1;
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.choice(i) == EVENT) {
                event = i;
            } else if (candidates.choice(i) == e.cpu) {
                cpu = i;
            }
        }
        if (cpu < 0) {
            if (event < 0) {
                diverge("cpu" + e.cpu + " cannot run (halted or stalled) and no hardware event is pending, but the trace's "
                        + "state " + e.state + " has it take " + e.action);
                return candidates.choice(0);
            }
            return EVENT;
        }
        // hardware events wait while the CPU takes actions that need none: an IPI taken early would
        // enter a migration part before the trace's thread_schedule call on that CPU (the spec's
        // trigger is a flag the CPU takes when the trace says so). An awaited IPI is let in at once,
        // however far the CPU's clock lags behind its sender's: until it arrives the CPU would leave
        // the kernel and find the flag itself (check_n_ack at a kernel exit)
        return e.awaitsEvent && event >= 0 && (candidates.kind(event) == Candidates.Kind.IPI
                || candidates.time(event) <= candidates.time(cpu)) ? EVENT : e.cpu;
    }

    /**
     * A booted CPU that has not yet entered user mode, earliest clock first; {@link #NONE} once
     * each CPU is in user mode or halted. A CPU that first enters user mode later does so in the
     * kernel exit of some step, and leaves the kernel with check_n_ack if a mailbox of its is
     * flagged by then: an action the trace does not have there.
     */
    private int startUser(Candidates candidates) {
        BitSet running = new BitSet();
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            int c = candidates.choice(i);
            if (c == EVENT) {
                continue;
            }
            running.set(c);
            if (candidates.kind(i) == Candidates.Kind.CPU_USER) {
                inUser.set(c);
            } else if (!inUser.get(c)) {
                best = best < 0 || candidates.time(i) < candidates.time(best) ? i : best;
            }
        }
        for (int c = 0; c < cpus; c++) {
            if (!running.get(c)) {
                inUser.set(c); // halted: its CPU has no thread to run
            }
        }
        return best < 0 ? NONE : candidates.choice(best);
    }

    /** A CPU still booting, or the next event if it is due first; the event if every candidate CPU is up. */
    private int boot(Candidates candidates) {
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            int c = candidates.choice(i);
            if (c == EVENT || !booted.get(c)) {
                best = best < 0 || candidates.time(i) < candidates.time(best) ? i : best;
            }
        }
        if (best < 0) {
            diverge("the kernel's boot does not finish: " + booted.cardinality() + " of " + cpus + " CPUs left the boot barrier");
            return candidates.choice(0);
        }
        return candidates.choice(best);
    }

    @Override
    public void afterStep(KernelStep step, KernelView view) {
        if (step.ran(PathSegment.BOOT_RELEASE) || step.ran(PathSegment.BOOT_LEAVE)) {
            booted.set(step.cpu());
        }
        Expected matchedHere = null;
        for (PathSegment seg : step.segments()) {
            if (stopped() || !actions.contains(seg) || matchedHere != null && matchedHere.segments.contains(seg)
                    || threadActions.contains(seg) && names.apply(step.subjectOf(seg)) == null) {
                continue; // a step's later segments of the action it already took are that action
            }
            Expected e = expected.get(next);
            if (step.cpu() == e.cpu && e.segments.contains(seg) && (e.subject == null || e.subject.equals(step.subjectOf(seg)))) {
                matchedHere = e;
                String differs = null;
                if (e.switches != null) {
                    // C switches to t1 when it outranks the CPU's thread; the spec may also decline (switch = FALSE)
                    boolean switched = step.subjectOf(seg).equals(view.cpu(e.cpu).current());
                    differs = switched == e.switches ? null : "the kernel's C " + (switched ? "switches" : "does not switch") + " to t1";
                }
                match(e, step, differs);
            } else {
                ThreadId who = step.subjectOf(seg);
                diverge("kernel step " + step.number() + " on cpu" + step.cpu() + " runs " + seg.label()
                        + (who == null || who.isNil() || names.apply(who) == null ? "" : " for " + names.apply(who))
                        + " where the trace's state " + e.state + " has " + e.action + " on cpu" + e.cpu);
            }
        }
        while (!stopped() && expected.get(next).runs != null && step.cpu() == expected.get(next).cpu) {
            Expected e = expected.get(next);
            ThreadId now = view.cpu(e.cpu).current();
            if (e.runs.equals(now)) {
                match(e, step, null);
            } else {
                if (now != null && !now.isNil() && names.apply(now) != null) {
                    diverge("kernel step " + step.number() + ": cpu" + e.cpu + " runs " + names.apply(now) + " where the trace's state "
                            + e.state + " has " + e.action);
                }
                break;
            }
        }
    }

    private void match(Expected e, KernelStep step, String differs) {
        matches.add(new Match(e, step, differs));
        next++;
        waited = 0;
    }

    private void diverge(String why) {
        if (divergence == null) {
            divergence = why;
        }
    }
}
