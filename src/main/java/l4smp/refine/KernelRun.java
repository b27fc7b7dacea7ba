package l4smp.refine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.thread.ThreadId;

/**
 * A kernel run as the abstraction functions read it: the kernel's state before the first step and
 * after each atomic kernel step, with the step. Record it by installing it as the kernel's
 * {@link StepListener} before the machine runs.
 */
public final class KernelRun implements StepListener {
    /** One atomic kernel step and the state it left. */
    public record Step(KernelStep step, KernelSnapshot after) {
    }

    private final KernelSnapshot initial;
    private final List<Step> steps = new ArrayList<>();
    private final Function<ThreadId, String> names;
    private final int limit;

    /**
     * @param view  the kernel's view before it runs
     * @param names the name of each thread (a TLA+ identifier: the model value that stands for it)
     * @param limit at most how many steps to record; a longer run is refused by {@link #steps()}
     */
    private final java.util.Set<l4smp.kernel.RemovedFix> removedFixes;

    public KernelRun(KernelView view, Function<ThreadId, String> names, int limit) {
        this.initial = KernelSnapshot.of(view);
        this.removedFixes = view.removedFixes();
        this.names = names;
        this.limit = limit;
    }

    @Override
    public void afterStep(KernelStep step, KernelView view) {
        if (steps.size() < limit) {
            steps.add(new Step(step, KernelSnapshot.of(view)));
        } else if (steps.size() == limit) {
            steps.add(null);
        }
    }

    /** The fixes the run's kernel left out (fault injection): its spec configurations leave them out too. */
    public java.util.Set<l4smp.kernel.RemovedFix> removedFixes() {
        return removedFixes;
    }

    public KernelSnapshot initial() {
        return initial;
    }

    /** The recorded steps. */
    public List<Step> steps() {
        if (truncated()) {
            throw new IllegalStateException("the run has more than " + limit + " kernel steps, the recording limit");
        }
        return steps;
    }

    public boolean truncated() {
        return steps.size() > limit;
    }

    public String name(ThreadId id) {
        return names.apply(id);
    }
}
