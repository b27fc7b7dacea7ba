package l4smp.refine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import l4smp.kernel.observe.PathSegment;
import l4smp.tlc.Project;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;

/**
 * ProxyWakeup's counterexamples on the kernel. The cfg's {@code Home} and {@code Prog} are no
 * state's variables; TLC evaluates them ({@link SpecConstants}). A task per spec thread on its
 * home CPU runs the thread's program ({@link IpcReplayPrograms}). Each action is the
 * kernel path segment the spec header names for it, on the CPU the header names: {@code Home[t]}
 * for a thread's, {@code p[2]} for a proxy's, {@code c} for a CPU's. The kernel runs with one
 * proxy per CPU pair ({@code proxyHandover} false), as ProxyWakeup with {@code Handover = FALSE}.
 */
final class ProxyWakeupReplay extends IpcReplayedSpec {
    private static final Pattern FIXES = Pattern.compile("IpiOnlyIfUnacked|EoiFirst|TempProxyCopy|CheckProxySender");

    /** The receive path up to its switch: the whole of ReceiverReceive with the temporary copy. */
    private static final List<PathSegment> RECEIVE = List.of(PathSegment.RECEIVE_WAIT, PathSegment.RECEIVE_ACTIVATE_PROXY,
            PathSegment.RECEIVE_TIMEOUT, PathSegment.RECEIVE_COMPLETE, PathSegment.RECEIVE_NOT_EXISTENT);

    private static final Map<String, Mapping> ACTIONS = Map.of(
            "SenderXpSend", new Mapping(List.of(PathSegment.XCPU_SEND), false, true),
            "SenderXpReturn", new Mapping(List.of(PathSegment.XCPU_XP_RETURN), false, true),
            "ReceiverReceive", new Mapping(RECEIVE, false, true),
            "TimerReceiveTimeout", new Mapping(List.of(PathSegment.TIMER_TIMEOUT, PathSegment.RECEIVE_TIMEOUT), true, true),
            "ProxyXpSendPath", new Mapping(XP_SEND_PATH, false, false),
            "ProxyTransmitActivated", new Mapping(List.of(PathSegment.PROXY_ACTIVATED, PathSegment.PROXY_TRANSFER), false, false),
            "TimerSendTimeout", new Mapping(List.of(PathSegment.PROXY_TIMEOUT), true, false),
            "ProxySleep", new Mapping(List.of(PathSegment.PROXY_SLEEP), false, false),
            "CpuIpiHandler", new Mapping(List.of(PathSegment.XCPU_IPI), true, false),
            "CpuCheckAndAck", new Mapping(List.of(PathSegment.XCPU_CHECK_AND_ACK), true, false));

    /** The replay's timer tick: 25 computations before an IPC ({@link IpcReplayPrograms#THINK_CYCLES}). */
    static final long TICK_CYCLES = 10_000_000;

    private ProxyWakeupReplay(Trace trace, List<String> cpus) {
        super(trace, cpus, ACTIONS);
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
                        peer.equals("Nil") ? null : peer, IpcReplayPrograms.timeout(CounterexampleReplay.name(f.get("timeout")), false)));
            }
            r.programs.thread(CounterexampleReplay.name(e.getKey()), CounterexampleReplay.name(home.get(e.getKey())), ops);
        }
        r.rankThreads();
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
    public String by(int i) {
        ActionLabel a = trace.state(i).action();
        TlaValue p = a.parameters().values().iterator().next();
        if (mapping(a.name()).threadActs()) {
            return programs.home(CounterexampleReplay.name(p)); // Home[t]
        }
        // a proxy <<s, d>> runs on d, a CPU's action on c
        return CounterexampleReplay.name(p instanceof TlaValue.Seq proxy ? proxy.elements().get(1) : p);
    }

    /**
     * One proxy per CPU pair, and a tick far longer than a thread's computation before its IPC: a
     * tick is a kernel entry whose exit runs check_n_ack when a flag is set (CpuCheckAndAck), which
     * the trace has only where it says so.
     */
    @Override
    public void kernel(ObjectNode kernel) {
        super.kernel(kernel);
        kernel.put("tickCycles", TICK_CYCLES);
    }

    @Override
    public KernelRefinement.Abstraction abstraction(KernelRun run) {
        return new ProxyWakeupAbstraction(run);
    }
}
