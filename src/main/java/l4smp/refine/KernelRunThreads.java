package l4smp.refine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import l4smp.kernel.thread.ThreadId;
import l4smp.refine.KernelSnapshot.ThreadSnap;

/** What a whole run says about its threads: which exist at some point, on which CPU, how many IPCs each began. */
final class KernelRunThreads {
    private KernelRunThreads() {
    }

    /** Every thread that exists in some state of the run, by id: the spec's Thread set. */
    static List<ThreadId> of(KernelRun run) {
        TreeSet<ThreadId> ids = new TreeSet<>(run.initial().threads().keySet());
        for (KernelRun.Step s : run.steps()) {
            ids.addAll(s.after().threads().keySet());
        }
        return new ArrayList<>(ids);
    }

    /** The most IPCs a thread of the run began. */
    static int maxIpcs(KernelRun run) {
        int max = 0;
        for (ThreadSnap t : last(run).threads().values()) {
            max = Math.max(max, t.ipcCount());
        }
        return max;
    }

    /** The CPU of {@code id} where the run first shows it. */
    static int cpuOf(KernelRun run, ThreadId id) {
        for (KernelRun.Step s : run.steps()) {
            ThreadSnap t = s.after().thread(id);
            if (t != null) {
                return t.cpu();
            }
        }
        return 0;
    }

    static KernelSnapshot last(KernelRun run) {
        List<KernelRun.Step> steps = run.steps();
        return steps.isEmpty() ? run.initial() : steps.get(steps.size() - 1).after();
    }
}
