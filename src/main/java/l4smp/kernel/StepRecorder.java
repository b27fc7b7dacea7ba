package l4smp.kernel;

import java.util.ArrayList;
import java.util.List;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;

/**
 * Collects what one atomic step did, as the paths run: the segments, the thread each segment acted
 * for, and the threads they touched. After the step the kernel hands it to the listener as a
 * {@link KernelStep}; a step that ran no segment (user code only) is not a kernel step and is not
 * reported.
 */
public final class StepRecorder {
    private final List<PathSegment> segments = new ArrayList<>(4);
    private final List<ThreadId> subjects = new ArrayList<>(4);
    private final List<ThreadId> threads = new ArrayList<>(4);
    private int cpu = -1;
    private ThreadId actor = ThreadId.NIL;
    /**
     * Whether a listener wants the steps: only then are the subjects and touched threads collected
     * (the segments always are: kernel paths ask which ran). A run without a listener, such as a
     * benchmark's, saves a list search per TCB touched.
     */
    private boolean observed;

    void observe(boolean on) {
        observed = on;
    }

    void begin(int cpuId, Tcb running) {
        cpu = cpuId;
        segments.clear();
        subjects.clear();
        threads.clear();
        if (observed) {
            actor = running == null || !running.exists() ? ThreadId.NIL : running.myself();
            touch(running);
        }
    }

    /** The step turned out to run on the kernel's CPU {@code id}: a CPU took its processor number in it. */
    void cpu(int id) {
        cpu = id;
    }

    /** The step ran {@code segment} for the thread it runs. */
    public void segment(PathSegment segment) {
        segments.add(segment);
        if (observed) {
            subjects.add(actor);
        }
    }

    /** The step ran {@code segment} for {@code subject} (a timeout's thread, a proxy's sender). */
    public void segment(PathSegment segment, Tcb subject) {
        segments.add(segment);
        if (observed) {
            subjects.add(subject == null || !subject.exists() ? ThreadId.NIL : subject.myself());
            touch(subject);
        }
    }

    /** The step read or wrote {@code tcb}. */
    public void touch(Tcb tcb) {
        if (observed && tcb != null && tcb.exists() && !threads.contains(tcb.myself())) {
            threads.add(tcb.myself());
        }
    }

    public void touch(ThreadId id) {
        if (observed && !id.isNil() && !threads.contains(id)) {
            threads.add(id);
        }
    }

    public boolean isKernelStep() {
        return !segments.isEmpty();
    }

    public int cpu() {
        return cpu;
    }

    public List<PathSegment> segments() {
        return segments;
    }

    KernelStep toStep(long number, long millicycles) {
        return new KernelStep(number, cpu, segments, subjects, threads, millicycles);
    }
}
