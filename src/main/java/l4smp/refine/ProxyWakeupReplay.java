package l4smp.refine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.tlc.Project;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.workload.Simulation;

/**
 * ProxyWakeup's counterexamples on the kernel. The cfg's {@code Home} and {@code Prog} are no
 * state's variables; TLC evaluates them ({@link SpecConstants}). A task per spec thread on its
 * home CPU runs the thread's program ({@link IpcReplayPrograms}). Each action is the
 * kernel path segment the spec header names for it, on the CPU the header names: {@code Home[t]}
 * for a thread's, {@code p[2]} for a proxy's, {@code c} for a CPU's. The kernel runs with one
 * proxy per CPU pair ({@code proxyHandover} false), as ProxyWakeup with {@code Handover = FALSE}.
 */
final class ProxyWakeupReplay implements ReplayedSpec {
    private static final Pattern FIXES = Pattern.compile("IpiOnlyIfUnacked|EoiFirst|TempProxyCopy|CheckProxySender");

    /** The receive path up to its switch: the whole of ReceiverReceive with the temporary copy. */
    private static final List<PathSegment> RECEIVE = List.of(PathSegment.RECEIVE_WAIT, PathSegment.RECEIVE_ACTIVATE_PROXY,
            PathSegment.RECEIVE_TIMEOUT, PathSegment.RECEIVE_COMPLETE, PathSegment.RECEIVE_NOT_EXISTENT);
    /** xp_send_path and what it goes on with in the same step: poll, transfer, or wake the sender with an error. */
    private static final List<PathSegment> XP_SEND_PATH = List.of(PathSegment.PROXY_XP_SEND, PathSegment.PROXY_POLL,
            PathSegment.PROXY_TRANSFER, PathSegment.PROXY_SEND_TIMEOUT, PathSegment.PROXY_NOT_EXISTENT);

    /** Per action name: the segments its step runs, whether it answers a hardware event, whose action it is. */
    private record Mapping(List<PathSegment> segments, boolean awaitsEvent, Actor actor) {
    }

    private enum Actor { THREAD, PROXY, CPU }

    private static final Map<String, Mapping> ACTIONS = Map.of(
            "SenderXpSend", new Mapping(List.of(PathSegment.XCPU_SEND), false, Actor.THREAD),
            "SenderXpReturn", new Mapping(List.of(PathSegment.XCPU_XP_RETURN), false, Actor.THREAD),
            "ReceiverReceive", new Mapping(RECEIVE, false, Actor.THREAD),
            "TimerReceiveTimeout", new Mapping(List.of(PathSegment.TIMER_TIMEOUT, PathSegment.RECEIVE_TIMEOUT), true, Actor.THREAD),
            "ProxyXpSendPath", new Mapping(XP_SEND_PATH, false, Actor.PROXY),
            "ProxyTransmitActivated", new Mapping(List.of(PathSegment.PROXY_ACTIVATED, PathSegment.PROXY_TRANSFER), false, Actor.PROXY),
            "TimerSendTimeout", new Mapping(List.of(PathSegment.PROXY_TIMEOUT), true, Actor.PROXY),
            "ProxySleep", new Mapping(List.of(PathSegment.PROXY_SLEEP), false, Actor.PROXY),
            "CpuIpiHandler", new Mapping(List.of(PathSegment.XCPU_IPI), true, Actor.CPU),
            "CpuCheckAndAck", new Mapping(List.of(PathSegment.XCPU_CHECK_AND_ACK), true, Actor.CPU));

    /** The replay's timer tick: 25 computations before an IPC ({@link IpcReplayPrograms#THINK_CYCLES}). */
    static final long TICK_CYCLES = 10_000_000;

    private final Trace trace;
    private final List<String> cpus;
    private final IpcReplayPrograms programs;

    private ProxyWakeupReplay(Trace trace, List<String> cpus) {
        this.trace = trace;
        this.cpus = cpus;
        this.programs = new IpcReplayPrograms(cpus);
    }

    /** Checks the trace's actions and evaluates the cfg's programs and homes. */
    static ProxyWakeupReplay of(Project project, Trace trace, String cfgText) throws ReplayException {
        Map<TlaValue, TlaValue> irr = CounterexampleReplay.fun(trace.state(0).get("irr"), "irr");
        ProxyWakeupReplay r = new ProxyWakeupReplay(trace, new ArrayList<>(new TreeSet<>(CounterexampleReplay.names(irr.keySet()))));
        if (CounterexampleReplay.CONSTANT.matcher(cfgText).results()
                .anyMatch(m -> m.group(1).equals("Handover") && m.group(2).equals("TRUE"))) {
            throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "the cfg has Handover = TRUE: the replay runs the kernel "
                    + "with one proxy per CPU pair, as ProxyWakeupAbstraction abstracts it (Handover = FALSE)", null);
        }
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = CounterexampleReplay.action(trace, i);
            if (!ACTIONS.containsKey(a.name())) {
                throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "state " + i + ": the replay cannot drive " + a
                        + " on the kernel" + (a.name().startsWith("ReceiverRecheck") || a.name().equals("ReceiverActivateReread")
                        ? " (the kernel's receive path reads the sender's proxy pointer once and runs as one atomic step: "
                        + "the spec's re-reads without the temporary copy have no kernel step)" : ""),
                        "it drives " + String.join(", ", new TreeSet<>(ACTIONS.keySet())));
            }
        }
        Map<String, TlaValue> constants = SpecConstants.evaluate(project, trace.meta().getOrDefault("module", "MCProxyWakeup"),
                cfgText, List.of("Home", "Prog"));
        Map<TlaValue, TlaValue> home = CounterexampleReplay.fun(constants.get("Home"), "Home");
        for (var e : CounterexampleReplay.fun(constants.get("Prog"), "Prog").entrySet()) {
            List<IpcReplayPrograms.Op> ops = new ArrayList<>();
            for (TlaValue op : ((TlaValue.Seq) e.getValue()).elements()) {
                Map<String, TlaValue> f = ((TlaValue.Rec) op).fields();
                String peer = CounterexampleReplay.name(f.get("peer"));
                String kind = CounterexampleReplay.name(f.get("kind"));
                ops.add(new IpcReplayPrograms.Op(kind.equals("send") ? "send" : peer.equals("Nil") ? "wait" : "receive",
                        peer.equals("Nil") ? null : peer, timeout(CounterexampleReplay.name(f.get("timeout")))));
            }
            r.programs.thread(CounterexampleReplay.name(e.getKey()), CounterexampleReplay.name(home.get(e.getKey())), ops);
        }
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            if (ACTIONS.get(a.name()).actor == Actor.THREAD) {
                r.programs.acts(CounterexampleReplay.name(a.parameters().get("t")));
            }
        }
        return r;
    }

    @Override
    public String module() {
        return ProxyWakeupAbstraction.MODULE;
    }

    @Override
    public Pattern fixConstants() {
        return FIXES;
    }

    @Override
    public Set<PathSegment> actions() {
        Set<PathSegment> s = new LinkedHashSet<>();
        ACTIONS.values().forEach(m -> s.addAll(m.segments));
        return s;
    }

    @Override
    public Set<PathSegment> threadActions() {
        Set<PathSegment> s = new LinkedHashSet<>();
        ACTIONS.values().stream().filter(m -> m.actor == Actor.THREAD).forEach(m -> s.addAll(m.segments));
        return s;
    }

    @Override
    public List<String> cpus() {
        return cpus;
    }

    @Override
    public String by(int i) {
        ActionLabel a = trace.state(i).action();
        TlaValue p = a.parameters().values().iterator().next();
        return switch (ACTIONS.get(a.name()).actor) {
            case THREAD -> programs.home(CounterexampleReplay.name(p));
            case PROXY -> CounterexampleReplay.name(((TlaValue.Seq) p).elements().get(1));
            case CPU -> CounterexampleReplay.name(p);
        };
    }

    /**
     * One proxy per CPU pair, and a tick far longer than a thread's computation before its IPC: a
     * tick is a kernel entry whose exit runs check_n_ack when a flag is set (CpuCheckAndAck), which
     * the trace has only where it says so.
     */
    @Override
    public void kernel(ObjectNode kernel) {
        kernel.put("proxyHandover", false).put("tickCycles", TICK_CYCLES);
    }

    @Override
    public void programsAndTasks(ObjectNode root) {
        programs.write(root);
    }

    /** A spec timeout as the ipc macro's: a finite one long enough not to expire within a replay. */
    private static String timeout(String spec) {
        return switch (spec) {
            case "never" -> "never";
            case "zero" -> "0";
            default -> "50ms";
        };
    }

    @Override
    public List<TraceFollower.Expected> expected(Simulation probe) {
        List<TraceFollower.Expected> expected = new ArrayList<>();
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            Mapping m = ACTIONS.get(a.name());
            ThreadId subject = m.actor == Actor.THREAD
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

    @Override
    public KernelRefinement.Abstraction abstraction(KernelRun run) {
        return new ProxyWakeupAbstraction(run);
    }
}
