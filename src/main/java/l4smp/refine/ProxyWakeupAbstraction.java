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
import l4smp.kernel.observe.OpMailboxView;
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
 *   <li>{@code opPhase}, {@code opPending}, {@code opFlag}, {@code opQueued}: the operation mailboxes
 *       ({@link OpMailboxView}), which share the flag lines and IPIs (§8.3.4, §8.4.3, decision 0012);
 *       {@code opRan}: the CPUs whose part ran since the post (history). Empty functions unless the
 *       run posts an operation ({@code OpsPerCpu = 0}).</li>
 * </ul>
 */
public final class ProxyWakeupAbstraction implements KernelRefinement.Abstraction, StepAbstraction {
    public static final String MODULE = "ProxyWakeup";
    static final List<String> VARIABLES = List.of("st", "partner", "firstMb", "lastMb", "proxyPtr", "xpCc", "pc", "sendQ",
            "rcvPc", "rcvFrom", "curMb", "mb", "wakeupQ", "irr", "isr", "icr", "results", "wakeups",
            "opPhase", "opPending", "opFlag", "opQueued", "opRan");

    private final KernelRun run;
    private final RunSurvey survey;
    private final TlaNames names;
    private final List<ThreadId> threads;
    private final int cpus;
    private IpcHistory history;
    private LongTransfers transfers;
    /** Per operation mailbox id, the CPUs whose part has run since it was posted (opRan: history). */
    private Map<Integer, Integer> opRan = new java.util.HashMap<>();
    /** The run's threads the spec sees (no pagers), for lookups. */
    private final Set<ThreadId> spec;
    /** Per-thread and per-proxy variables a long transfer's window freezes ({@link LongTransfers}). */
    private static final List<String> FROZEN_THREAD = List.of("st", "partner", "firstMb", "lastMb", "proxyPtr", "xpCc",
            "wakeups");
    private static final List<String> FROZEN_PROXY = List.of("st", "partner", "curMb");

    /** The abstraction of a recorded run, as a whole ({@link #trace()}). */
    public ProxyWakeupAbstraction(KernelRun run) {
        this(run, RunSurvey.of(run));
    }

    /** The abstraction of the run {@code survey} describes, step by step. */
    public ProxyWakeupAbstraction(RunSurvey survey) {
        this(null, survey);
    }

    private ProxyWakeupAbstraction(KernelRun run, RunSurvey survey) {
        this.run = run;
        this.survey = survey;
        this.names = new TlaNames(survey.names());
        this.threads = survey.threads();
        this.cpus = survey.cpus();
        this.history = new IpcHistory(names, threads);
        this.spec = Set.copyOf(threads);
        this.transfers = new LongTransfers(threads);
    }

    @Override
    public String spec() {
        return MODULE;
    }

    @Override
    public List<String> variables() {
        return VARIABLES;
    }

    /**
     * The run as a behaviour of ProxyWakeup, each step labelled with the action it claims to be.
     *
     * @throws NotApplicable if a thread calls, replies and waits, or talks to a thread of its own
     *                       CPU, or the run uses a mechanism ProxyWakeup leaves out
     */
    @Override
    public Trace trace() {
        history = new IpcHistory(names, threads);
        transfers = new LongTransfers(threads);
        opRan = new java.util.HashMap<>();
        return StepAbstraction.wholeRun(this, run, survey);
    }

    @Override
    public TraceState initial() {
        return new TraceState(state(survey.initial()), null);
    }

    @Override
    public TraceState next(KernelSnapshot before, KernelStep step, KernelSnapshot after, TraceState previous) {
        history.step(before, after);
        recordPartsRun(before, after);
        Map<String, TlaValue> values = state(after);
        List<LongTransfers.Window> ended = transfers.step(step, before, after, previous.values());
        transfers.freeze(values, this::frozen, "wakeupQ", w -> List.of(names.thread(w.sender()),
                names.thread(w.receiver()), proxyOf(w)));
        if (!ended.isEmpty()) {
            LongTransfers.Window w = ended.get(0);
            return new TraceState(values, action(w.activated() ? "ProxyTransmitActivated" : "ProxyXpSendPath", "p", proxyOf(w)));
        }
        return new TraceState(values, label(step, before, after, previous.values()));
    }

    /** What a long transfer's window freezes: its sender's and receiver's entries, its proxy's, its mailbox. */
    private Map<String, List<TlaValue>> frozen(LongTransfers.Window w) {
        Map<String, List<TlaValue>> keys = LongTransfers.each(FROZEN_THREAD, List.of(names.thread(w.sender()),
                names.thread(w.receiver())));
        for (String v : FROZEN_PROXY) {
            List<TlaValue> ks = new ArrayList<>(keys.getOrDefault(v, List.of()));
            ks.add(proxyOf(w));
            keys.put(v, ks);
        }
        keys.put("mb", List.of(mailboxId(w.mailbox())));
        return keys;
    }

    /** The proxy of a transfer: the one from the sender's CPU to the receiver's (one per pair, §8.4). */
    private TlaValue proxyOf(LongTransfers.Window w) {
        return TlaValue.seq(TlaNames.cpu(cpuOf(w.sender())), TlaNames.cpu(cpuOf(w.receiver())));
    }

    /**
     * Whether ProxyWakeup sees what the kernel does for thread {@code t} in a step: not if t is no
     * thread of the spec (a pager), is inside a hidden IPC (a page fault's), or takes part in a long
     * transfer in progress. Proxies are seen.
     */
    private boolean sees(ThreadId t, KernelSnapshot before, KernelSnapshot after) {
        if (before.proxy(t) != null || after.proxy(t) != null) {
            return true;
        }
        return spec.contains(t) && !history.hidden(before.thread(t)) && !history.hidden(after.thread(t))
                && !transfers.involves(t);
    }

    /**
     * ProxyWakeup's programs are cross-processor sends and receives: it does not describe a call,
     * a reply-and-wait, IPC between threads of one CPU, nor what {@link LeftOutMechanisms} lists.
     * Of the other users of the flag lines and IPIs it describes the operation mailboxes; the
     * redo-fault round trip, a page fault to a remote pager and the hand-over it refuses (decision 0012).
     */
    static SpecScope scope() {
        return (step, before, after, survey) -> {
            String why = LeftOutMechanisms.of(step, before, after);
            if (why != null) {
                return why;
            }
            if (step.ran(PathSegment.PROXY_SENDER_FAULT)) {
                return "a long IPC's copy faulted in the sender's space (" + PathSegment.PROXY_SENDER_FAULT.label()
                        + ", §8.4.2): the redo-fault round trip's mailbox and IPIs share the flag lines ProxyWakeup models";
            }
            for (ThreadSnap t : after.threads().values()) {
                ThreadSnap old = before.thread(t.id());
                if (t.ipcCount() > (old == null ? 0 : old.ipcCount()) && t.lastIpc() != null && t.lastIpc().pageFault()
                        && after.thread(t.lastIpc().dest()) != null && after.thread(t.lastIpc().dest()).cpu() != t.cpu()) {
                    return survey.name(t.id()) + "'s page fault goes to a pager on another CPU: its mailbox and IPI are "
                            + "not ProxyWakeup's";
                }
            }
            for (ProxyView p : after.proxies()) {
                if (p.instance() > 0) {
                    return "a proxy from cpu" + p.source() + " to cpu" + p.target() + " handed its mailbox list to a "
                            + "second instance while an operation waited (§8.4.4): ProxyWakeup models one proxy per pair "
                            + "(run with kernel.proxyHandover false to check it)";
                }
            }
            for (ThreadSnap t : after.threads().values()) {
                ThreadSnap old = before.thread(t.id());
                if (t.ipcCount() <= (old == null ? 0 : old.ipcCount()) || t.lastIpc() == null || !survey.known(t.id())) {
                    continue;
                }
                IpcView ipc = t.lastIpc();
                if (!IpcHistory.visible(ipc, survey.threads())) {
                    continue;
                }
                if (ipc.op() == IpcOp.CALL || ipc.op() == IpcOp.REPLY_AND_WAIT) {
                    return survey.name(t.id()) + " does a " + ipc.op() + ": ProxyWakeup's programs send or receive";
                }
                if (!ipc.dest().isNil() && survey.homeOf(ipc.dest()) == survey.homeOf(t.id())) {
                    return survey.name(t.id()) + " talks to " + survey.name(ipc.dest())
                            + " on its own CPU: ProxyWakeup's IPC is cross-processor";
                }
            }
            return null;
        };
    }

    private int cpuOf(ThreadId id) {
        return survey.homeOf(id);
    }

    /** Defines the run's CPUs, threads, homes, programs and pools for the cfg to substitute. */
    @Override
    public String module(String name) {
        List<String> values = new ArrayList<>(TlaNames.cpuNames(cpus));
        threads.forEach(t -> values.add(survey.name(t)));
        StringBuilder m = new StringBuilder("---- MODULE " + name + " ----\n");
        m.append("\\* generated by l4smp from a kernel run: its CPUs, threads, programs and mailbox pools\n");
        m.append("EXTENDS ProxyWakeup\n");
        m.append("CONSTANTS ").append(String.join(", ", values)).append("\n");
        m.append("RunCpu == {").append(String.join(", ", TlaNames.cpuNames(cpus))).append("}\n");
        m.append("RunThread == {").append(String.join(", ", threads.stream().map(survey::name).toList())).append("}\n");
        Map<TlaValue, TlaValue> home = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> prog = new LinkedHashMap<>();
        for (ThreadId t : threads) {
            home.put(names.thread(t), TlaNames.cpu(cpuOf(t)));
            List<TlaValue> ops = new ArrayList<>();
            for (IpcView ipc : survey.visibleIpcs(MODULE, t)) {
                boolean send = ipc.op().hasSendPhase();
                ops.add(TlaValue.rec("kind", TlaValue.str(send ? "send" : "recv"), "peer", names.thread(ipc.dest()),
                        "timeout", TlaNames.timeout(send ? ipc.sendTimeout() : ipc.receiveTimeout())));
            }
            prog.put(names.thread(t), TlaValue.seq(ops));
        }
        Map<TlaValue, TlaValue> pool = new LinkedHashMap<>();
        int perCpu = survey.initial().mailboxes().size() / cpus;
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
        for (String c : TlaNames.cpuNames(cpus)) {
            cfg.append("    ").append(c).append(" = ").append(c).append('\n');
        }
        for (ThreadId t : threads) {
            cfg.append("    ").append(survey.name(t)).append(" = ").append(survey.name(t)).append('\n');
        }
        cfg.append("    NumMailboxes = ").append(survey.initial().mailboxes().size()).append('\n');
        // a fix the kernel left out (fault injection) is left out of the spec too, so the bug shows as the spec's;
        // not TempProxyCopy: the kernel's receive path is one atomic step, re-reading the pointer changes nothing
        cfg.append("    EoiFirst = TRUE\n    TempProxyCopy = TRUE\n    Handover = FALSE\n");
        cfg.append("    OpsPerCpu = ").append(opsPerCpu()).append('\n');
        for (String flag : List.of("IpiOnlyIfUnacked", "CheckProxySender")) {
            cfg.append("    ").append(flag).append(survey.removed(flag) ? " = FALSE\n" : " = TRUE\n");
        }
        cfg.append("    CPU <- RunCpu\n    Thread <- RunThread\n    Home <- RunHome\n    Prog <- RunProg\n    Pool <- RunPool\n");
        cfg.append(TlaNames.behaviourAndInvariants("Init", invariants));
        return cfg.toString();
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

    // ---- operation mailboxes (§8.3.4, §8.4.3; OpsPerCpu > 0 only if the run posts an operation) ----

    /** The spec's OpsPerCpu: the kernel's pool size per CPU if the run posts an operation, else 0 (none). */
    private int opsPerCpu() {
        return survey.sawOperations() ? l4smp.kernel.xcpu.Operations.PER_CPU : 0;
    }

    /** The spec's name of operation mailbox {@code m}: {@code <<home, k>>}, k counted from 1 in its home's pool. */
    private static TlaValue opMailbox(OpMailboxView m) {
        return TlaValue.seq(TlaNames.cpu(m.home()), TlaValue.of(m.id() - m.home() * l4smp.kernel.xcpu.Operations.PER_CPU + 1));
    }

    private TlaValue cpuSet(int mask) {
        List<TlaValue> cs = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            if ((mask & (1 << c)) != 0) {
                cs.add(TlaNames.cpu(c));
            }
        }
        return TlaValue.set(cs);
    }

    /** A part runs when the operation proxy takes the mailbox off its list (only OpProxyPerform does). */
    private void recordPartsRun(KernelSnapshot before, KernelSnapshot after) {
        for (OpMailboxView m : after.opMailboxes()) {
            if (m.phase().equals("free")) {
                opRan.remove(m.id());
                continue;
            }
            OpMailboxView was = opMailbox(before, m.id());
            int taken = was == null || was.phase().equals("free") ? 0 : was.queued() & ~m.queued();
            opRan.merge(m.id(), taken, (a, b) -> a | b);
        }
    }

    private static OpMailboxView opMailbox(KernelSnapshot s, int id) {
        for (OpMailboxView m : s.opMailboxes()) {
            if (m.id() == id) {
                return m;
            }
        }
        return null;
    }

    /** The operation mailbox whose phase the step changed from {@code from} to {@code to}, as the spec names it. */
    private static TlaValue opChanged(KernelSnapshot before, KernelSnapshot after, String from, String to) {
        for (OpMailboxView m : after.opMailboxes()) {
            OpMailboxView was = opMailbox(before, m.id());
            if (was != null && was.phase().equals(from) && m.phase().equals(to)) {
                return opMailbox(m);
            }
        }
        return TlaNames.NIL;
    }

    private void putOperations(Map<String, TlaValue> v, KernelSnapshot s) {
        Map<TlaValue, TlaValue> phase = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> pending = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> flag = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> queued = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> ran = new LinkedHashMap<>();
        if (opsPerCpu() > 0) {
            for (OpMailboxView m : s.opMailboxes()) {
                TlaValue id = opMailbox(m);
                phase.put(id, TlaValue.str(m.phase()));
                pending.put(id, cpuSet(m.pending()));
                flag.put(id, cpuSet(m.flagged()));
                queued.put(id, cpuSet(m.queued()));
                ran.put(id, cpuSet(opRan.getOrDefault(m.id(), 0)));
            }
        }
        v.put("opPhase", TlaValue.fun(phase));
        v.put("opPending", TlaValue.fun(pending));
        v.put("opFlag", TlaValue.fun(flag));
        v.put("opQueued", TlaValue.fun(queued));
        v.put("opRan", TlaValue.fun(ran));
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
            sendQ.put(t, TlaValue.seq(snap == null ? List.of() : snap.sendQueue().stream().filter(spec::contains)
                    .map(names::thread).toList()));
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
                } else if (t != null && spec.contains(id) && !t.holdsDelivery() && !history.hidden(t)) {
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
        putOperations(v, s);
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
            // subject: who ran, or whose operation a part is
            boolean cpuWide = seg == PathSegment.XCPU_IPI || seg == PathSegment.XCPU_CHECK_AND_ACK
                    || seg == PathSegment.XCPU_OPERATION;
            if (!cpuWide && !subject.isNil() && !sees(subject, before, after)) {
                continue;
            }
            TlaValue t = names.thread(subject);
            switch (seg) {
                case XCPU_SEND: return action("SenderXpSend", "t", t);
                case XCPU_XP_RETURN: return action("SenderXpReturn", "t", t);
                case PROXY_XP_SEND: return action("ProxyXpSendPath", "p", proxyFor(before, subject, step.cpu()));
                case PROXY_ACTIVATED: return action("ProxyTransmitActivated", "p", proxyFor(before, subject, step.cpu()));
                case PROXY_TIMEOUT: return action("TimerSendTimeout", "p", proxyFor(before, subject, step.cpu()));
                case PROXY_SLEEP:
                    if (before.proxy(subject).isOperations()) {
                        return null; // an operation proxy's sleep: not a TCB of the spec
                    }
                    return action("ProxySleep", "p", proxyOf(before, subject));
                case XCPU_OPERATION_CALL: return action("OpPost", "m", opChanged(before, after, "free", "request"));
                case XCPU_OPERATION: return action("OpProxyPerform", "c", c);
                case XCPU_OPERATION_RETURN: return action("OpCallerReturn", "m", opChanged(before, after, "done", "free"));
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
                && !now.lastIpc().op().hasSendPhase() && sees(actor, before, after)) {
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
