package l4smp.refine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.workload.Simulation;

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
final class XpIpcReplay implements ReplayedSpec {
    /** The receive path up to its switch. */
    private static final List<PathSegment> RECEIVE = List.of(PathSegment.RECEIVE_WAIT, PathSegment.RECEIVE_ACTIVATE_PROXY,
            PathSegment.RECEIVE_TIMEOUT, PathSegment.RECEIVE_WAKE_SENDER, PathSegment.RECEIVE_NOT_EXISTENT);
    private static final List<PathSegment> XP_SEND_PATH = List.of(PathSegment.PROXY_XP_SEND, PathSegment.PROXY_POLL,
            PathSegment.PROXY_TRANSFER, PathSegment.PROXY_SEND_TIMEOUT, PathSegment.PROXY_NOT_EXISTENT);

    /** Per action name: the segments its step runs, whether it answers a hardware event, whether its t is the actor. */
    private record Mapping(List<PathSegment> segments, boolean awaitsEvent, boolean threadActs) {
    }

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

    private final Trace trace;
    private final List<String> cpus;
    private final IpcReplayPrograms programs;

    private XpIpcReplay(Trace trace, List<String> cpus) {
        this.trace = trace;
        this.cpus = cpus;
        this.programs = new IpcReplayPrograms(cpus);
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
            ops.get(b[0]).add(new IpcReplayPrograms.Op(b[1], b[2], switch (b[3]) {
                case "never" -> "never";
                case "zero" -> "0";
                default -> expiring.contains(b[0]) ? "20us" : "50ms";
            }));
        }
        for (var e : placement.entrySet()) {
            r.programs.thread(CounterexampleReplay.name(e.getKey()), CounterexampleReplay.name(e.getValue()),
                    ops.get(CounterexampleReplay.name(e.getKey())));
        }
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            if (ACTIONS.get(a.name()).threadActs) {
                r.programs.acts(CounterexampleReplay.name(a.parameters().get("t")));
            }
        }
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
    public Set<PathSegment> actions() {
        Set<PathSegment> s = new LinkedHashSet<>();
        ACTIONS.values().forEach(m -> s.addAll(m.segments));
        return s;
    }

    @Override
    public Set<PathSegment> threadActions() {
        Set<PathSegment> s = new LinkedHashSet<>(RECEIVE);
        s.addAll(List.of(PathSegment.XCPU_SEND, PathSegment.XCPU_XP_RETURN, PathSegment.RECEIVE_COMPLETE, PathSegment.TIMER_TIMEOUT));
        return s;
    }

    @Override
    public List<String> cpus() {
        return cpus;
    }

    @Override
    public String by(int i) {
        return CounterexampleReplay.name(trace.state(i).get("by"));
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
            Mapping m = ACTIONS.get(a.name());
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

    @Override
    public KernelRefinement.Abstraction abstraction(KernelRun run) {
        return new XpIpcAbstraction(run);
    }
}
