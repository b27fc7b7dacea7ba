package l4smp.refine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.trace.ActionLabel;
import l4smp.trace.Trace;
import l4smp.workload.Simulation;

/**
 * What the IPC specs' replays share (ProxyWakeup, XpIpc): each action is the path segments its
 * spec's header names for it, the threads run {@link IpcReplayPrograms}, one proxy per CPU pair.
 */
abstract class IpcReplayedSpec implements ReplayedSpec {
    /**
     * How the kernel takes one action of the spec.
     *
     * @param segments    the segments its step runs (the first one it runs is the action; later ones in the same step are part of it)
     * @param awaitsEvent it answers a hardware event (an IPI, a tick)
     * @param threadActs  its parameter {@code t} is the thread whose step it is
     */
    record Mapping(List<PathSegment> segments, boolean awaitsEvent, boolean threadActs) {
    }

    /** xp_send_path and what it goes on with in the same step: poll, transfer, or wake the sender with an error. */
    static final List<PathSegment> XP_SEND_PATH = List.of(PathSegment.PROXY_XP_SEND, PathSegment.PROXY_POLL,
            PathSegment.PROXY_TRANSFER, PathSegment.PROXY_SEND_TIMEOUT, PathSegment.PROXY_NOT_EXISTENT);

    protected final Trace trace;
    protected final List<String> cpus;
    protected final IpcReplayPrograms programs;
    private final Map<String, Mapping> actions;

    IpcReplayedSpec(Trace trace, List<String> cpus, Map<String, Mapping> actions) {
        this.trace = trace;
        this.cpus = cpus;
        this.programs = new IpcReplayPrograms(cpus);
        this.actions = actions;
    }

    /** The mapping of action {@code name}, or null if the replay cannot drive it. */
    Mapping mapping(String name) {
        return actions.get(name);
    }

    /** Ranks each thread on its CPU by its first action in the trace. */
    void rankThreads() {
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            if (actions.get(a.name()).threadActs) {
                programs.acts(CounterexampleReplay.name(a.parameters().get("t")));
            }
        }
    }

    @Override
    public Set<PathSegment> actions() {
        Set<PathSegment> s = new LinkedHashSet<>();
        actions.values().forEach(m -> s.addAll(m.segments));
        return s;
    }

    @Override
    public Set<PathSegment> threadActions() {
        Set<PathSegment> s = new LinkedHashSet<>();
        actions.values().stream().filter(Mapping::threadActs).forEach(m -> s.addAll(m.segments));
        return s;
    }

    @Override
    public boolean startsInUserMode() {
        return true;
    }

    @Override
    public List<String> cpus() {
        return cpus;
    }

    @Override
    public void kernel(ObjectNode kernel) {
        kernel.put("proxyHandover", false);
    }

    @Override
    public void programsAndTasks(ObjectNode root) {
        programs.write(root);
    }

    @Override
    public List<TraceFollower.Expected> expected(Simulation probe) {
        List<TraceFollower.Expected> expected = new ArrayList<>();
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            Mapping m = actions.get(a.name());
            ThreadId subject = m.threadActs
                    ? probe.thread(IpcReplayPrograms.task(CounterexampleReplay.name(a.parameters().get("t"))) + ".main") : null;
            expected.add(TraceFollower.Expected.step(i, a.toString(), cpus.indexOf(by(i)), m.segments, subject, m.awaitsEvent));
        }
        return expected;
    }

    @Override
    public Map<ThreadId, String> specThreads(Simulation probe) {
        Map<ThreadId, String> threads = new LinkedHashMap<>();
        programs.threads().forEach(t -> threads.put(probe.thread(IpcReplayPrograms.task(t) + ".main"), t));
        return threads;
    }
}
