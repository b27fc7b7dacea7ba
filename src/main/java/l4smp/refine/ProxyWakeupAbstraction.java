package l4smp.refine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.observe.IpcView;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.MailboxView;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.observe.ProxyView;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.refine.KernelSnapshot.ThreadSnap;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

/**
 * The abstraction function from the kernel to spec-tla/ProxyWakeup.tla's variables, and the step
 * labels (the spec header's mapping). ProxyWakeup fixes each thread's program in advance, so its
 * constants {@code Home}, {@code Prog} and {@code Pool} come from the whole run: the CPUs the threads
 * sit on, the IPCs each began, the CPUs' mailbox pools. It models cross-processor sends and
 * receives only: a run in which a thread calls, replies and waits, or talks to a thread of its
 * own CPU is not one of its behaviours, and {@link #trace()} says so ({@link NotApplicable}).
 * <ul>
 *   <li>{@code st}: running and ready are both running; a receiver its sender's proxy transferred
 *       to has ended its receive here (ProxyTransmit), so it is running, without partner, out of
 *       the wakeup queue, its ok counted; a thread waiting for a mailbox has not begun its send.</li>
 *   <li>{@code firstMb}, {@code lastMb}, {@code curMb}: the TCBs' mailbox lists and
 *       {@code ProxyThread.current}, mailbox ids counted from 1; {@code mb}: the
 *       {@code IpcMailbox}es, flag from the target CPU's flag line.</li>
 *   <li>{@code irr[c]}: 1 while a trigger IPI sent to c has not been acknowledged by its handler;
 *       {@code isr}: empty (the handler sends EOI first); {@code icr[c]}: the CPU c's stalled IPI
 *       waits for.</li>
 *   <li>{@code pc}, {@code results}, {@code wakeups}: history of the thread's ops.</li>
 * </ul>
 */
public final class ProxyWakeupAbstraction implements KernelRefinement.Abstraction {
    public static final String MODULE = "ProxyWakeup";
    static final List<String> VARIABLES = List.of("st", "partner", "firstMb", "lastMb", "proxyPtr", "xpCc", "pc", "sendQ",
            "rcvPc", "rcvFrom", "curMb", "mb", "wakeupQ", "irr", "isr", "icr", "results", "wakeups");

    /** The run is not a behaviour ProxyWakeup describes at all (a call, a local IPC). */
    public static final class NotApplicable extends RuntimeException {
        NotApplicable(String why) {
            super(why);
        }
    }

    private final KernelRun run;
    private final TlaNames names;
    private final List<ThreadId> threads;
    private final int cpus;
    private IpcHistory history;

    public ProxyWakeupAbstraction(KernelRun run) {
        this.run = run;
        this.names = new TlaNames(run);
        this.threads = KernelRunThreads.of(run);
        this.cpus = run.initial().cpus().size();
    }

    @Override
    public String spec() {
        return MODULE;
    }

    @Override
    public Trace trace() {
        checkOneProxyPerPair();
        history = new IpcHistory(names, threads);
        List<TraceState> states = new ArrayList<>();
        KernelSnapshot before = run.initial();
        states.add(new TraceState(state(before), null));
        for (KernelRun.Step s : run.steps()) {
            history.step(before, s.after());
            Map<String, TlaValue> after = state(s.after());
            states.add(new TraceState(after, label(s.step(), before, s.after(), states.get(states.size() - 1).values())));
            before = s.after();
        }
        checkApplicable();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "l4smp kernel run");
        meta.put("spec", MODULE);
        return new Trace(VARIABLES, states, null, null, meta);
    }

    /**
     * ProxyWakeup's proxy is §8.4's, one per pair of CPUs working on one operation at a time; the
     * kernel's hand-over to a second instance (§8.4.4) is outside it.
     */
    private void checkOneProxyPerPair() {
        for (KernelRun.Step s : run.steps()) {
            for (ProxyView p : s.after().proxies()) {
                if (p.instance() > 0) {
                    throw new NotApplicable("a proxy from cpu" + p.source() + " to cpu" + p.target() + " handed its "
                            + "mailbox list to a second instance while an operation waited (§8.4.4): ProxyWakeup "
                            + "models one proxy per pair (run with kernel.proxyHandover false to check it)");
                }
            }
        }
    }

    /** ProxyWakeup's programs are cross-processor sends and receives. */
    private void checkApplicable() {
        for (ThreadId id : threads) {
            for (IpcView ipc : history.of(id).begun) {
                if (ipc.op() == IpcOp.CALL || ipc.op() == IpcOp.REPLY_AND_WAIT) {
                    throw new NotApplicable(run.name(id) + " does a " + ipc.op() + ": ProxyWakeup's programs send or receive");
                }
                if (!ipc.dest().isNil() && cpuOf(ipc.dest()) == cpuOf(id)) {
                    throw new NotApplicable(run.name(id) + " talks to " + run.name(ipc.dest())
                            + " on its own CPU: ProxyWakeup's IPC is cross-processor");
                }
            }
        }
    }

    private int cpuOf(ThreadId id) {
        ThreadSnap t = run.initial().thread(id);
        return t != null ? t.cpu() : KernelRunThreads.cpuOf(run, id);
    }

    /** Defines the run's CPUs, threads, homes, programs and pools for the cfg to substitute. */
    @Override
    public String module(String name) {
        List<String> values = new ArrayList<>(cpuNames());
        threads.forEach(t -> values.add(run.name(t)));
        StringBuilder m = new StringBuilder("---- MODULE " + name + " ----\n");
        m.append("\\* generated by l4smp from a kernel run: its CPUs, threads, programs and mailbox pools\n");
        m.append("EXTENDS ProxyWakeup\n");
        m.append("CONSTANTS ").append(String.join(", ", values)).append("\n");
        m.append("RunCpu == {").append(String.join(", ", cpuNames())).append("}\n");
        m.append("RunThread == {").append(String.join(", ", threads.stream().map(run::name).toList())).append("}\n");
        Map<TlaValue, TlaValue> home = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> prog = new LinkedHashMap<>();
        for (ThreadId t : threads) {
            home.put(names.thread(t), TlaNames.cpu(cpuOf(t)));
            List<TlaValue> ops = new ArrayList<>();
            for (IpcView ipc : history.of(t).begun) {
                boolean send = ipc.op().hasSendPhase();
                ops.add(TlaValue.rec("kind", TlaValue.str(send ? "send" : "recv"), "peer", names.thread(ipc.dest()),
                        "timeout", TlaNames.timeout(send ? ipc.sendTimeout() : ipc.receiveTimeout())));
            }
            prog.put(names.thread(t), TlaValue.seq(ops));
        }
        Map<TlaValue, TlaValue> pool = new LinkedHashMap<>();
        int perCpu = run.initial().mailboxes().size() / cpus;
        for (int c = 0; c < cpus; c++) {
            List<TlaValue> ids = new ArrayList<>();
            for (int m2 = c * perCpu; m2 < (c + 1) * perCpu; m2++) {
                ids.add(TlaValue.of(m2 + 1));
            }
            pool.put(TlaNames.cpu(c), TlaValue.set(ids));
        }
        m.append("RunHome == ").append(tla(home)).append('\n');
        m.append("RunProg == ").append(tla(prog)).append('\n');
        m.append("RunPool == ").append(tla(pool)).append('\n');
        return m.append("====\n").toString();
    }

    /** A function as {@code (k1 :> v1 @@ k2 :> v2)}: TLC's own notation, unambiguous for any domain. */
    private static String tla(Map<TlaValue, TlaValue> f) {
        List<String> parts = new ArrayList<>();
        f.forEach((k, v) -> parts.add(k.toTla(n -> n) + " :> " + v.toTla(n -> n)));
        return parts.isEmpty() ? "<<>>" : "(" + String.join(" @@ ", parts) + ")";
    }

    @Override
    public String config(List<String> invariants, String moduleName) {
        StringBuilder cfg = new StringBuilder("\\* generated by l4smp from a kernel run; constants in " + moduleName + ".tla\n");
        cfg.append("CONSTANTS\n    Nil = Nil\n");
        for (String c : cpuNames()) {
            cfg.append("    ").append(c).append(" = ").append(c).append('\n');
        }
        for (ThreadId t : threads) {
            cfg.append("    ").append(run.name(t)).append(" = ").append(run.name(t)).append('\n');
        }
        cfg.append("    NumMailboxes = ").append(run.initial().mailboxes().size()).append('\n');
        cfg.append("    IpiOnlyIfUnacked = TRUE\n    EoiFirst = TRUE\n    TempProxyCopy = TRUE\n    CheckProxySender = TRUE\n");
        cfg.append("    CPU <- RunCpu\n    Thread <- RunThread\n    Home <- RunHome\n    Prog <- RunProg\n    Pool <- RunPool\n");
        cfg.append("INIT Init\nNEXT Next\n");
        if (!invariants.isEmpty()) {
            cfg.append("INVARIANTS\n");
            invariants.forEach(i -> cfg.append("    ").append(i).append('\n'));
        }
        return cfg.toString();
    }

    private List<String> cpuNames() {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            out.add(TlaNames.cpuName(c));
        }
        return out;
    }

    private TlaValue proxy(ProxyView p) {
        return TlaValue.seq(TlaNames.cpu(p.source()), TlaNames.cpu(p.target()));
    }

    private static TlaValue mailboxId(int id) {
        return id < 0 ? TlaNames.NIL : TlaValue.of(id + 1);
    }

    private static TlaValue first(List<Integer> list) {
        return list.isEmpty() ? TlaNames.NIL : mailboxId(list.get(0));
    }

    private static TlaValue last(List<Integer> list) {
        return list.isEmpty() ? TlaNames.NIL : mailboxId(list.get(list.size() - 1));
    }

    // ---- the abstraction function ----

    private Map<String, TlaValue> state(KernelSnapshot s) {
        Map<TlaValue, TlaValue> st = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> partner = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> firstMb = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> lastMb = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> proxyPtr = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> xpCc = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> pc = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> sendQ = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> rcvPc = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> rcvFrom = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> results = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> wakeups = new LinkedHashMap<>();
        for (ThreadId id : threads) {
            TlaValue t = names.thread(id);
            ThreadSnap snap = s.thread(id);
            boolean done = snap == null || snap.holdsDelivery() || !history.inIpc(snap);
            st.put(t, TlaValue.str(snap == null || snap.holdsDelivery() || snap.waitsForMailbox() || history.hidden(snap)
                    || snap.resume() == Resume.XP_OP_RETURN ? "running" : running(snap.state())));
            partner.put(t, done ? TlaNames.NIL : names.thread(snap.partner()));
            firstMb.put(t, snap == null ? TlaNames.NIL : first(snap.mailboxes()));
            lastMb.put(t, snap == null ? TlaNames.NIL : last(snap.mailboxes()));
            ProxyView p = snap == null ? null : s.proxy(snap.proxy());
            proxyPtr.put(t, p == null ? TlaNames.NIL : proxy(p));
            xpCc.put(t, TlaNames.code(snap == null ? CompletionCode.NONE : snap.xpCc()));
            List<CompletionCode> ended = history.of(id).ended;
            pc.put(t, TlaValue.of(ended.size() + 1));
            results.put(t, TlaValue.seq(ended.stream().map(TlaNames::code).toList()));
            sendQ.put(t, TlaValue.seq(snap == null ? List.of() : snap.sendQueue().stream().map(names::thread).toList()));
            rcvPc.put(t, TlaValue.str("idle"));
            rcvFrom.put(t, TlaNames.NIL);
            MailboxView m = s.mailboxOf(id);
            wakeups.put(t, TlaValue.of(m != null && m.kind().equals("xp_reply") ? 1 : 0));
        }
        Map<TlaValue, TlaValue> curMb = new LinkedHashMap<>();
        for (ProxyView p : s.proxies()) {
            if (p.isOperations()) {
                continue;
            }
            TlaValue x = proxy(p);
            st.put(x, TlaValue.str(running(p.state())));
            partner.put(x, names.thread(p.partner()));
            firstMb.put(x, first(p.mailboxes()));
            lastMb.put(x, last(p.mailboxes()));
            curMb.put(x, mailboxId(p.current()));
        }
        Map<TlaValue, TlaValue> mb = new LinkedHashMap<>();
        for (MailboxView m : s.mailboxes()) {
            mb.put(mailboxId(m.id()), mailbox(s, m));
        }
        Map<TlaValue, TlaValue> wakeupQ = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> irr = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> isr = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> icr = new LinkedHashMap<>();
        for (KernelSnapshot.CpuSnap c : s.cpus()) {
            Set<TlaValue> queued = new LinkedHashSet<>();
            for (ThreadId id : c.wakeupQueue()) {
                ProxyView p = s.proxy(id);
                ThreadSnap t = s.thread(id);
                if (p != null) {
                    queued.add(proxy(p));
                } else if (t != null && !t.holdsDelivery() && !history.hidden(t)) {
                    queued.add(names.thread(id));
                }
            }
            TlaValue cpu = TlaNames.cpu(c.id());
            wakeupQ.put(cpu, TlaValue.set(queued));
            irr.put(cpu, TlaValue.of(c.ipiPending() ? 1 : 0));
            isr.put(cpu, TlaValue.seq());
            icr.put(cpu, c.stalledOn() < 0 ? TlaNames.NIL : TlaNames.cpu(c.stalledOn()));
        }
        Map<String, TlaValue> v = new LinkedHashMap<>();
        v.put("st", TlaValue.fun(st));
        v.put("partner", TlaValue.fun(partner));
        v.put("firstMb", TlaValue.fun(firstMb));
        v.put("lastMb", TlaValue.fun(lastMb));
        v.put("proxyPtr", TlaValue.fun(proxyPtr));
        v.put("xpCc", TlaValue.fun(xpCc));
        v.put("pc", TlaValue.fun(pc));
        v.put("sendQ", TlaValue.fun(sendQ));
        v.put("rcvPc", TlaValue.fun(rcvPc));
        v.put("rcvFrom", TlaValue.fun(rcvFrom));
        v.put("curMb", TlaValue.fun(curMb));
        v.put("mb", TlaValue.fun(mb));
        v.put("wakeupQ", TlaValue.fun(wakeupQ));
        v.put("irr", TlaValue.fun(irr));
        v.put("isr", TlaValue.fun(isr));
        v.put("icr", TlaValue.fun(icr));
        v.put("results", TlaValue.fun(results));
        v.put("wakeups", TlaValue.fun(wakeups));
        return v;
    }

    private static String running(ThreadState s) {
        return s == ThreadState.READY ? ThreadState.RUNNING.label() : s.label();
    }

    private TlaValue mailbox(KernelSnapshot s, MailboxView m) {
        if (m.kind().equals("free")) {
            return TlaValue.rec("free", TlaValue.of(true), "flag", TlaValue.of(false), "proxy", TlaNames.NIL,
                    "sender", TlaNames.NIL, "dest", TlaNames.NIL, "timeout", TlaValue.str("never"), "next", TlaNames.NIL);
        }
        ProxyView p = s.proxy(m.performer());
        return TlaValue.rec("free", TlaValue.of(false), "flag", TlaValue.of(m.flagged()),
                "proxy", p != null ? proxy(p) : names.thread(m.performer()), "sender", names.thread(m.sender()),
                "dest", names.thread(m.dest()), "timeout", TlaNames.timeout(m.timeout()), "next", mailboxId(m.next()));
    }

    // ---- step labels ----

    private ActionLabel label(KernelStep step, KernelSnapshot before, KernelSnapshot after, Map<String, TlaValue> previous) {
        TlaValue c = TlaNames.cpu(step.cpu());
        for (int i = 0; i < step.segments().size(); i++) {
            PathSegment seg = step.segments().get(i);
            ThreadId subject = step.subjects().get(i);
            TlaValue t = names.thread(subject);
            switch (seg) {
                case XCPU_SEND: return action("SenderXpSend", "t", t);
                case XCPU_XP_RETURN: return action("SenderXpReturn", "t", t);
                case PROXY_XP_SEND: return action("ProxyXpSendPath", "p", proxyFor(before, subject, step.cpu()));
                case PROXY_ACTIVATED: return action("ProxyTransmitActivated", "p", proxyFor(before, subject, step.cpu()));
                case PROXY_TIMEOUT: return action("TimerSendTimeout", "p", proxyFor(before, subject, step.cpu()));
                case PROXY_SLEEP: return action("ProxySleep", "p", proxyOf(before, subject));
                case XCPU_IPI: return action("CpuIpiHandler", "c", c);
                case XCPU_CHECK_AND_ACK: return action("CpuCheckAndAck", "c", c);
                case TIMER_TIMEOUT: {
                    String was = ((TlaValue.Str) ((TlaValue.Fun) previous.get("st")).mapping().get(t)).value();
                    return was.equals("waiting") ? action("TimerReceiveTimeout", "t", t) : null;
                }
                default:
                    break;
            }
        }
        ThreadId actor = step.subjects().isEmpty() ? ThreadId.NIL : step.subjects().get(0);
        ThreadSnap was = before.thread(actor);
        ThreadSnap now = after.thread(actor);
        if (!actor.isNil() && was != null && now != null && now.ipcCount() > was.ipcCount() && !history.of(actor).hiddenNow
                && !now.lastIpc().op().hasSendPhase()) {
            return action("ReceiverReceive", "t", names.thread(actor));
        }
        return null;
    }

    /** The proxy from the sender's CPU to {@code cpu}. */
    private TlaValue proxyFor(KernelSnapshot s, ThreadId sender, int cpu) {
        ThreadSnap t = s.thread(sender);
        return TlaValue.seq(TlaNames.cpu(t == null ? cpuOf(sender) : t.cpu()), TlaNames.cpu(cpu));
    }

    /** The proxy whose kernel id is {@code id}. */
    private TlaValue proxyOf(KernelSnapshot s, ThreadId id) {
        return proxy(s.proxy(id));
    }

    private static ActionLabel action(String name, String parameter, TlaValue value) {
        return new ActionLabel(name, Map.of(parameter, value), null);
    }
}
