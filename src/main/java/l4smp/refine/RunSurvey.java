package l4smp.refine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import l4smp.kernel.observe.IpcView;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.thread.ThreadId;
import l4smp.refine.KernelSnapshot.ThreadSnap;

/**
 * What the abstraction functions must know of a whole kernel run before they can abstract its
 * first step: the threads that ever exist and their CPUs, the IPCs each thread begins (a spec
 * such as ProxyWakeup fixes every thread's program in advance, XpIpc bounds their number), the
 * mailbox pools, and for each spec the first step the spec does not describe at all (a
 * {@link SpecScope} decides; the run is that spec's behaviour only up to there).
 *
 * <p>Take it by installing the survey as the kernel's listener for a first run; the kernel is
 * deterministic in its scenario and schedule, so a second run with the same ones is the run the
 * survey describes, and it can be checked step by step as it runs ({@link ConformanceMonitor}).
 * A recorded {@link KernelRun} gives its survey too ({@link #of(KernelRun)}).
 */
public final class RunSurvey implements StepListener {
    /** The first kernel step a spec does not describe: {@code step} is its number (from 1), {@code why} says what it does. */
    public record Cut(int step, String why) {
    }

    private final Function<ThreadId, String> names;
    private final KernelSnapshot initial;
    private final java.util.Set<l4smp.kernel.RemovedFix> removedFixes;
    private final TreeSet<ThreadId> threads = new TreeSet<>();
    /** The threads some thread's page fault was sent to: part of the paging mechanism, not of the specs' IPC. */
    private final TreeSet<ThreadId> pagers = new TreeSet<>();
    private final Map<ThreadId, Integer> homes = new TreeMap<>();
    /** Every IPC each thread begins, with the number of the step that began it. */
    private final Map<ThreadId, List<Begun>> begun = new TreeMap<>();
    private final Map<String, SpecScope> scopes = new LinkedHashMap<>();
    private final Map<String, Cut> cuts = new LinkedHashMap<>();
    private KernelSnapshot last;
    private int steps;
    /** Every completion code some thread's IPC or cross-processor send had (its xp cc). */
    private final java.util.EnumSet<l4smp.kernel.ipc.CompletionCode> codes =
            java.util.EnumSet.noneOf(l4smp.kernel.ipc.CompletionCode.class);
    /** Whether lthread_ex_regs canceled some thread's cross-processor send (§8.4.3). */
    private boolean xpCanceled;
    private boolean died;
    /** Whether some thread posted a cross-processor operation (§8.3.4, §8.4.3). */
    private boolean operations;

    private record Begun(int step, IpcView ipc) {
    }

    /**
     * @param view   the kernel's view before it runs
     * @param names  the model value that stands for each thread
     * @param specs  the specs whose scope to follow (names as {@link Abstractions} knows them)
     */
    public RunSurvey(KernelView view, Function<ThreadId, String> names, Collection<String> specs) {
        this(KernelSnapshot.of(view), view.removedFixes(), names, specs);
    }

    private RunSurvey(KernelSnapshot initial, java.util.Set<l4smp.kernel.RemovedFix> removedFixes, Function<ThreadId, String> names,
                      Collection<String> specs) {
        this.removedFixes = removedFixes;
        this.names = names;
        this.initial = initial;
        this.last = initial;
        for (String spec : specs) {
            SpecScope scope = Abstractions.scope(spec);
            if (scope != null) {
                scopes.put(Abstractions.canonical(spec), scope);
            }
        }
        see(initial);
    }

    /** The survey of a recorded run, for every spec that has a scope. */
    public static RunSurvey of(KernelRun run) {
        RunSurvey survey = new RunSurvey(run.initial(), run.removedFixes(), run::name, Abstractions.specs());
        for (KernelRun.Step s : run.steps()) {
            survey.take(s.step(), s.after());
        }
        return survey;
    }

    @Override
    public void afterStep(KernelStep step, KernelView view) {
        take(step, KernelSnapshot.of(view));
    }

    private void take(KernelStep step, KernelSnapshot after) {
        steps++;
        see(after);
        died |= last.threads().values().stream().anyMatch(t -> t.state() != l4smp.kernel.thread.ThreadState.DEAD
                && (after.thread(t.id()) == null || after.thread(t.id()).state() == l4smp.kernel.thread.ThreadState.DEAD));
        operations |= step.ran(l4smp.kernel.observe.PathSegment.XCPU_OPERATION_CALL);
        for (ThreadSnap t : after.threads().values()) {
            ThreadSnap old = last.thread(t.id());
            if (t.ipcCount() > (old == null ? 0 : old.ipcCount()) && t.lastIpc() != null && t.lastIpc().pageFault()) {
                pagers.add(t.lastIpc().dest());
            }
            if (t.ipcCount() > (old == null ? 0 : old.ipcCount()) && t.lastIpc() != null) {
                begun.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(new Begun(steps, t.lastIpc()));
            }
        }
        for (Map.Entry<String, SpecScope> e : scopes.entrySet()) {
            if (!cuts.containsKey(e.getKey())) {
                String why = e.getValue().leftOut(step, last, after, this);
                if (why != null) {
                    cuts.put(e.getKey(), new Cut(steps, why));
                }
            }
        }
        last = after;
    }

    private void see(KernelSnapshot s) {
        for (ThreadSnap t : s.threads().values()) {
            threads.add(t.id());
            homes.putIfAbsent(t.id(), t.cpu());
            codes.add(t.completion());
            codes.add(t.xpCc());
            if (t.ipc() != null) {
                codes.add(t.ipc().code());
            }
            xpCanceled |= t.cancelAtXpReturn();
        }
    }

    /** Whether some IPC of the run had {@code code} (as its result, or as a proxy's xp cc). */
    public boolean saw(l4smp.kernel.ipc.CompletionCode code) {
        return codes.contains(code);
    }

    /** Whether lthread_ex_regs canceled some thread's cross-processor send, to end at its XP_RETURN. */
    public boolean sawXpCancel() {
        return xpCanceled;
    }

    /** Whether a thread of the run died: its task was deleted (task_new), or the kernel stopped it. */
    public boolean sawDeath() {
        return died;
    }

    /** Whether some thread posted a cross-processor operation (an operation mailbox, §8.4.3). */
    public boolean sawOperations() {
        return operations;
    }

    // ---- what the abstractions read ----

    /** The fixes the run's kernel left out (fault injection): its spec configurations leave them out too. */
    public java.util.Set<l4smp.kernel.RemovedFix> removedFixes() {
        return removedFixes;
    }

    /**
     * Whether the run's kernel left out the fix that the spec constant {@code specConstant} (a flag,
     * or a value of XpIpc's RemovedFix) turns off.
     */
    public boolean removed(String specConstant) {
        return removedFixes.stream().anyMatch(f -> f.specConstant().equals(specConstant));
    }

    public KernelSnapshot initial() {
        return initial;
    }

    /** The model value's name for {@code id}. */
    public String name(ThreadId id) {
        return names.apply(id);
    }

    public Function<ThreadId, String> names() {
        return names;
    }

    /**
     * Every thread that exists at some point of the run, by id, but the pagers: a thread some
     * page fault was sent to serves the paging mechanism (§8.4.2), which the IPC specs leave out,
     * so its IPCs and the page-fault IPCs to it are stuttering steps for them ({@link IpcHistory}).
     */
    public List<ThreadId> threads() {
        List<ThreadId> out = new ArrayList<>(threads);
        out.removeAll(pagers);
        return out;
    }

    /** Whether {@code id} existed at some point so far and is no pager. */
    public boolean known(ThreadId id) {
        return threads.contains(id) && !pagers.contains(id);
    }

    /** The CPU {@code id} was on when the run first showed it. */
    public int homeOf(ThreadId id) {
        return homes.getOrDefault(id, 0);
    }

    public int cpus() {
        return initial.cpus().size();
    }

    /** Kernel steps the survey took. */
    public int steps() {
        return steps;
    }

    /** Where {@code spec}'s description of the run ends, or null if it describes all of it. */
    public Cut cut(String spec) {
        return cuts.get(Abstractions.canonical(spec));
    }

    /** The scope of {@code spec} that followed the run, or null. */
    SpecScope scope(String spec) {
        return scopes.get(Abstractions.canonical(spec));
    }

    /** The number of the last step {@code spec} describes. */
    public int lastStep(String spec) {
        Cut c = cut(spec);
        return c == null ? steps : c.step() - 1;
    }

    /**
     * The IPCs {@code id} begins in the steps {@code spec} describes that the specs see (between
     * the run's threads; see {@link IpcHistory}), in order.
     */
    public List<IpcView> visibleIpcs(String spec, ThreadId id) {
        int end = lastStep(spec);
        List<IpcView> out = new ArrayList<>();
        for (Begun b : begun.getOrDefault(id, List.of())) {
            if (b.step() <= end && IpcHistory.visible(b.ipc(), threads())) {
                out.add(b.ipc());
            }
        }
        return out;
    }

    /** The most IPCs the specs see that one thread begins, in the steps {@code spec} describes. */
    public int maxVisibleIpcs(String spec) {
        int max = 0;
        for (ThreadId t : threads()) {
            max = Math.max(max, visibleIpcs(spec, t).size());
        }
        return max;
    }
}
