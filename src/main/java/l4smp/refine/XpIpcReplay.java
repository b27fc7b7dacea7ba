package l4smp.refine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import l4smp.kernel.observe.PathSegment;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;

/**
 * XpIpc's counterexamples on the kernel. XpIpc's threads choose each IPC when they begin it; the
 * trace's {@code args[t]} after a {@code ThreadReceive}, {@code ThreadSendRemote} or
 * {@code ThreadSendLocal} of t is that IPC, and the thread's program is the IPCs it begins in the
 * trace ({@link IpcReplayPrograms}). The placement is the first state's {@code cpu}, the CPU of
 * each action its {@code by}. Each action is the kernel path segment XpIpc's header names for it.
 * A finite timeout the trace lets expire (a {@code TimerExpire*} of the thread or its proxy) is
 * short (20 µs, expired at the next tick of the default 44 µs tick), any other finite one long
 * (50 ms). Only cross-processor counterexamples of the proxy protocol replay: {@code Variant =
 * "Direct"} has no kernel path.
 */
final class XpIpcReplay extends IpcReplayedSpec {
    /** The receive path up to its switch. */
    private static final List<PathSegment> RECEIVE = List.of(PathSegment.RECEIVE_WAIT, PathSegment.RECEIVE_ACTIVATE_PROXY,
            PathSegment.RECEIVE_TIMEOUT, PathSegment.RECEIVE_WAKE_SENDER, PathSegment.RECEIVE_NOT_EXISTENT);

    private static final Map<String, Mapping> ACTIONS = Map.of(
            "ThreadReceive", new Mapping(RECEIVE, false, true),
            "ThreadSendRemote", new Mapping(List.of(PathSegment.XCPU_SEND), false, true),
            "SenderXpReturn", new Mapping(List.of(PathSegment.XCPU_XP_RETURN), false, true),
            "ReceiverReturn", new Mapping(List.of(PathSegment.RECEIVE_COMPLETE), false, true),
            "CheckAndAck", new Mapping(List.of(PathSegment.XCPU_IPI, PathSegment.XCPU_CHECK_AND_ACK), true, false),
            "ProxyXpSendPath", new Mapping(XP_SEND_PATH, false, false),
            "ProxyTransfer", new Mapping(List.of(PathSegment.PROXY_ACTIVATED, PathSegment.PROXY_TRANSFER), false, false),
            "TimerExpireReceiver", new Mapping(List.of(PathSegment.TIMER_TIMEOUT, PathSegment.RECEIVE_TIMEOUT), true, true),
            "TimerExpireXpSender", new Mapping(List.of(PathSegment.TIMER_TIMEOUT), true, true),
            "TimerExpireProxy", new Mapping(List.of(PathSegment.PROXY_TIMEOUT), true, false));

    private static final Pattern FIXES = Pattern.compile("RemovedFix");
    private static final Pattern VARIANT = Pattern.compile("\\bVariant\\s*=\\s*\"(\\w+)\"");

    private XpIpcReplay(Trace trace, List<String> cpus) {
        super(trace, cpus, ACTIONS);
    }

    /** Checks the trace's actions and derives the programs from its {@code args}. */
    static XpIpcReplay of(Trace trace, String cfgText) throws ReplayException {
        Matcher variant = VARIANT.matcher(cfgText);
        if (variant.find() && !variant.group(1).equals("Proxy")) {
            throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "the cfg has Variant = \"" + variant.group(1) + "\": the "
                    + "kernel has no path on which the sender acts on a remote receiver from its own CPU (no kernel switch)",
                    "the switches are listed in docs/refine.md, \"Fault-injection switches\"");
        }
        Map<TlaValue, TlaValue> placement = new TreeMap<>(CounterexampleReplay.fun(trace.state(0).get("cpu"), "cpu"));
        XpIpcReplay r = new XpIpcReplay(trace, new ArrayList<>(new TreeSet<>(CounterexampleReplay.names(placement.values()))));
        Map<String, List<IpcReplayPrograms.Op>> ops = new LinkedHashMap<>();
        placement.keySet().forEach(t -> ops.put(CounterexampleReplay.name(t), new ArrayList<>()));
        Set<String> expiring = new HashSet<>();
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = CounterexampleReplay.action(trace, i);
            if (!ACTIONS.containsKey(a.name())) {
                throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "state " + i + ": the replay cannot drive " + a
                        + " on the kernel", "it drives " + String.join(", ", new TreeSet<>(ACTIONS.keySet())));
            }
            if (!r.cpus.contains(r.by(i))) {
                throw new ReplayException(ReplayException.Kind.INPUT, "state " + i + ": `by` is " + trace.state(i).get("by")
                        + ", not one of the CPUs " + r.cpus, "give --spec the spec the trace belongs to");
            }
            if (a.name().startsWith("TimerExpire")) {
                expiring.add(CounterexampleReplay.name(a.parameters().get("t")));
            }
        }
        List<String[]> begun = new ArrayList<>();
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            if (a.name().equals("ThreadReceive") || a.name().equals("ThreadSendRemote")) {
                String t = CounterexampleReplay.name(a.parameters().get("t"));
                Map<String, TlaValue> args = ((TlaValue.Rec) CounterexampleReplay.fun(trace.state(i).get("args"), "args")
                        .get(TlaValue.model(t))).fields();
                String op = CounterexampleReplay.name(args.get("op"));
                String dest = CounterexampleReplay.name(args.get("dest"));
                boolean send = op.equals("send");
                if (!send && !op.equals("receive") && !op.equals("open_receive")) {
                    throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "state " + i + ": " + t + " begins a " + op
                            + "; the replay derives programs of sends and receives only", null);
                }
                begun.add(new String[] {t, send ? "send" : op.equals("receive") ? "receive" : "wait", dest.equals("Nil") ? null : dest,
                        CounterexampleReplay.name(args.get(send ? "sto" : "rto"))});
            }
        }
        for (String[] b : begun) {
            ops.get(b[0]).add(new IpcReplayPrograms.Op(b[1], b[2], IpcReplayPrograms.timeout(b[3], expiring.contains(b[0]))));
        }
        for (var e : placement.entrySet()) {
            r.programs.thread(CounterexampleReplay.name(e.getKey()), CounterexampleReplay.name(e.getValue()),
                    ops.get(CounterexampleReplay.name(e.getKey())));
        }
        r.rankThreads();
        return r;
    }

    @Override
    public String module() {
        return XpIpcAbstraction.MODULE;
    }

    @Override
    public Pattern fixConstants() {
        return FIXES;
    }

    @Override
    public String by(int i) {
        return CounterexampleReplay.name(trace.state(i).get("by"));
    }

    @Override
    public KernelRefinement.Abstraction abstraction(KernelRun run) {
        return new XpIpcAbstraction(run);
    }
}
