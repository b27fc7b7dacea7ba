package l4smp.refine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
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
 * spec ({@code by}). Before each expected action only that CPU runs; before a part's entry (B or
 * C) the pending hardware events (the IPI that triggers the part, ticks) are let in once due by
 * that CPU's clock, before any other action only if the CPU cannot run without them; the other CPUs
 * wait, as the spec's interleaving has them wait. A kernel step that does a
 * different action of the spec (another {@code migrate.*} segment) than the next expected one, or
 * a CPU that cannot take its action within {@link #PATIENCE} machine steps, is a divergence.
 *
 * <p>The spec starts with the CPUs up; the kernel boots them first (§2 SMP boot: the processors
 * meet at a barrier), so until every CPU has left the boot barrier the follower runs the CPUs that
 * have not, earliest clock first, and holds back each one that has.
 */
final class TraceFollower implements Scheduler, StepListener {
    /** Machine steps one expected action may take (user code and spin steps before it) before the replay gives up. */
    static final int PATIENCE = 200_000;

    /**
     * One action of the trace as the kernel must take it: on {@code cpu}, as a step running
     * {@code segment}, or (a dispatcher action) as a step after which {@code cpu} runs {@code runs}.
     */
    record Expected(int state, String action, int cpu, List<PathSegment> segments, ThreadId runs, Boolean switches) {
    }

    /**
     * An expected action and the kernel step that took it; {@code differs} says how the kernel's step
     * differs from the action where the spec chooses freely (TargetPassBarrier3's {@code switch}), or is null.
     */
    record Match(Expected expected, KernelStep step, String differs) {
    }

    private final List<Expected> expected;
    private final Function<ThreadId, String> names;
    private final List<Match> matches = new ArrayList<>();
    private final BitSet booted = new BitSet();
    /** Chooses once every expected action was taken: how the kernel goes on after the trace's end. */
    private final Scheduler after = Scheduler.earliestClockFirst();
    private final int cpus;
    private int next;
    private long waited;
    private String divergence;

    TraceFollower(int cpus, List<Expected> expected, Function<ThreadId, String> names) {
        this.cpus = cpus;
        this.expected = List.copyOf(expected);
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
        // enter a part before the trace's thread_schedule call on that CPU (the spec's trigger is a
        // flag the CPU takes when the trace says so)
        boolean needsEvent = e.segments.contains(PathSegment.MIGRATE_SOURCE_ENTER) || e.segments.contains(PathSegment.MIGRATE_TARGET_ENTER);
        return needsEvent && event >= 0 && candidates.time(event) <= candidates.time(cpu) ? EVENT : e.cpu;
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
        for (PathSegment seg : step.segments()) {
            if (stopped() || !CounterexampleReplay.ACTION_SEGMENTS.containsValue(seg) && seg != PathSegment.MIGRATE_CALL_NOTHING) {
                continue;
            }
            Expected e = expected.get(next);
            if (step.cpu() == e.cpu && e.segments.contains(seg)) {
                String differs = null;
                if (e.switches != null) {
                    // C switches to t1 when it outranks the CPU's thread; the spec may also decline (switch = FALSE)
                    boolean switched = step.subjectOf(seg).equals(view.cpu(e.cpu).current());
                    differs = switched == e.switches ? null : "the kernel's C " + (switched ? "switches" : "does not switch") + " to t1";
                }
                match(e, step, differs);
            } else {
                diverge("kernel step " + step.number() + " on cpu" + step.cpu() + " runs " + seg.label() + " where the trace's state "
                        + e.state + " has " + e.action + " on cpu" + e.cpu);
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
