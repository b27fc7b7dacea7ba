package l4smp.refine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.ipc.Timeout;
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
 * The abstraction function from the kernel to spec-tla/UhligRace.tla's variables in its
 * {@code Proxy} variant (the only one the kernel implements: §8.3.5), and the step labels. The
 * spec's setting is the race's: senders on CPUs of their own each send one message with timeout
 * never to one receiver, which receives once per sender, openly or closed from each in some
 * order. The run is a behaviour of UhligRace up to the first step outside that setting
 * ({@link Scope}); the receiver, the senders and whether the receives are open come from the run.
 * <ul>
 *   <li>{@code cpu}, {@code st}, {@code sendQ}, {@code proxy}, {@code mb}: as XpIpc maps them
 *       ({@link XpIpcAbstraction}): Tcb.cpu; Tcb.state with running as ready, a cross-processor
 *       sender locked_waiting until XP_RETURN, Px(s) the proxy thread while it works on s's
 *       mailbox; the send queue; Tcb.proxy; the IpcMailbox of s (request while flagged, linked,
 *       reply after wakeup_sender).</li>
 *   <li>{@code partner}: the receiver's Tcb.partner while in its receive, Px(s)'s while it works
 *       for s; a sender's is Nil (the spec's Proxy variant keeps the sender's partner field out:
 *       the proxy writes it, nobody reads it).</li>
 *   <li>{@code phase}: "blocked" while the thread is in its IPC, "done" after a sender's send and
 *       after the receiver's last receive, "user" before.</li>
 *   <li>{@code inbox}: the sender of the message the receiver holds (IpcState done, not yet
 *       returned); {@code rcvd}: history, the senders whose messages the receiver returned.</li>
 *   <li>{@code recvFrom}, {@code ipi}, {@code spin}, {@code lock}: empty (the Naive and
 *       PartnerLock variants' variables).</li>
 * </ul>
 */
public final class UhligRaceAbstraction implements KernelRefinement.Abstraction, StepAbstraction {
    public static final String MODULE = "UhligRace";
    static final List<String> VARIABLES = List.of("cpu", "st", "partner", "phase", "recvFrom", "sendQ", "inbox", "ipi",
            "spin", "lock", "proxy", "mb", "rcvd", "by");

    private final KernelRun run;
    private final RunSurvey survey;
    private final TlaNames names;
    private final Roles roles;
    private final List<ThreadId> threads;
    private final IpcHistory history;
    private final List<TlaValue> rcvd = new ArrayList<>();

    /** The abstraction of a recorded run, as a whole ({@link #trace()}). */
    public UhligRaceAbstraction(KernelRun run) {
        this(run, RunSurvey.of(run));
    }

    /**
     * The abstraction of the run {@code survey} describes, step by step.
     *
     * @throws NotApplicable if the run has no receiver and sender between which a race could be
     */
    public UhligRaceAbstraction(RunSurvey survey) {
        this(null, survey);
    }

    private UhligRaceAbstraction(KernelRun run, RunSurvey survey) {
        this.run = run;
        this.survey = survey;
        this.names = new TlaNames(survey.names());
        if (!(survey.scope(MODULE) instanceof Scope scope)) {
            throw new IllegalStateException("the survey did not follow " + MODULE + "'s scope");
        }
        this.roles = scope.roles;
        if (roles.receiver == null || roles.senders.isEmpty()) {
            throw new NotApplicable(roles.receiver == null ? "no thread receives from another CPU's thread"
                    : "no thread sends to the receiver " + survey.name(roles.receiver));
        }
        List<ThreadId> all = new ArrayList<>(roles.senders);
        all.add(roles.receiver);
        this.threads = List.copyOf(new TreeSet<>(all));
        this.history = new IpcHistory(names, survey.threads());
    }

    @Override
    public String spec() {
        return MODULE;
    }

    @Override
    public List<String> variables() {
        return VARIABLES;
    }

    @Override
    public String module(String name) {
        return null;
    }

    @Override
    public Trace trace() {
        if (run == null) {
            throw new IllegalStateException("this abstraction follows a run step by step; it has no recorded run");
        }
        NotApplicable.check(MODULE, survey);
        List<TraceState> states = new ArrayList<>();
        KernelSnapshot before = run.initial();
        states.add(initial());
        for (KernelRun.Step s : run.steps()) {
            states.add(next(before, s.step(), s.after(), states.get(states.size() - 1)));
            before = s.after();
        }
        return new Trace(VARIABLES, states, null, null, Map.of("source", "l4smp kernel run", "spec", MODULE));
    }

    @Override
    public String config(List<String> invariants, String moduleName) {
        StringBuilder cfg = new StringBuilder("\\* generated by l4smp from a kernel run: its CPUs, receiver and senders\n");
        List<String> cpus = new ArrayList<>();
        for (int c = 0; c < survey.cpus(); c++) {
            cpus.add(TlaNames.cpuName(c));
        }
        cfg.append("CONSTANTS\n");
        cfg.append("    CPU = {").append(String.join(", ", cpus)).append("}\n");
        cfg.append("    Thread = {").append(String.join(", ", threads.stream().map(survey::name).toList())).append("}\n");
        cfg.append("    Receiver = ").append(survey.name(roles.receiver)).append('\n');
        cfg.append("    Nil = Nil\n");
        cfg.append("    OpenReceive = ").append(Boolean.TRUE.equals(roles.open) ? "TRUE" : "FALSE").append('\n');
        cfg.append("    Variant = \"Proxy\"\n");
        cfg.append("INIT Init\nNEXT Next\n");
        if (!invariants.isEmpty()) {
            cfg.append("INVARIANTS\n");
            invariants.forEach(i -> cfg.append("    ").append(i).append('\n'));
        }
        return cfg.toString();
    }

    @Override
    public TraceState initial() {
        return new TraceState(state(survey.initial(), null), null);
    }

    @Override
    public TraceState next(KernelSnapshot before, KernelStep step, KernelSnapshot after, TraceState previous) {
        history.step(before, after);
        ThreadSnap r0 = before.thread(roles.receiver);
        ThreadSnap r1 = after.thread(roles.receiver);
        if (r0 != null && r0.holdsDelivery() && r1 != null && !r1.holdsDelivery() && r1.ipc() == null) {
            rcvd.add(names.thread(r0.ipc().receivedFrom()));
        }
        Map<String, TlaValue> values = state(after, step);
        ActionLabel label = label(step, before, after, previous.values(), values);
        if (label == null) {
            values.put("by", previous.values().get("by"));
        }
        return new TraceState(values, label);
    }

    private TlaValue px(ThreadId s) {
        return TlaValue.seq(TlaValue.str("proxy"), names.thread(s));
    }

    // ---- the abstraction function ----

    private Map<String, TlaValue> state(KernelSnapshot s, KernelStep step) {
        Map<TlaValue, TlaValue> cpu = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> st = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> partner = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> phase = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> sendQ = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> inbox = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> none = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> proxy = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> mb = new LinkedHashMap<>();
        for (ThreadId id : threads) {
            TlaValue t = names.thread(id);
            ThreadSnap snap = s.thread(id);
            boolean receiver = id.equals(roles.receiver);
            cpu.put(t, TlaNames.cpu(snap == null ? survey.homeOf(id) : snap.cpu()));
            MailboxView m = s.mailboxOf(id);
            boolean hidden = history.hidden(snap);
            st.put(t, TlaValue.str(hidden ? ThreadState.READY.label() : threadState(snap, m)));
            boolean inIpc = history.inIpc(snap);
            partner.put(t, receiver && inIpc ? names.thread(snap.partner()) : TlaNames.NIL);
            phase.put(t, TlaValue.str(inIpc ? "blocked" : finished(id) ? "done" : "user"));
            sendQ.put(t, TlaValue.seq(snap == null ? List.of() : snap.sendQueue().stream().map(names::thread).toList()));
            inbox.put(t, snap != null && snap.holdsDelivery() ? TlaValue.seq(names.thread(snap.ipc().receivedFrom()))
                    : TlaValue.seq());
            none.put(t, TlaNames.NIL);
            if (!receiver) {
                proxy.put(t, snap == null || snap.proxy().isNil() ? TlaNames.NIL : px(id));
                mb.put(t, m == null ? TlaNames.NIL : TlaValue.str(m.kind().equals("xp_reply") ? "reply"
                        : m.flagged() ? "request" : "linked"));
                ProxyView working = m == null || !m.kind().equals("xp_send") ? null : s.proxy(m.performer());
                boolean current = working != null && working.current() == m.id();
                st.put(px(id), TlaValue.str(m == null || !m.kind().equals("xp_send") || m.flagged() ? "waiting"
                        : current ? working.state().label() : "ready"));
                partner.put(px(id), current ? names.thread(working.partner()) : TlaNames.NIL);
            }
        }
        Map<TlaValue, TlaValue> ipi = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> spin = new LinkedHashMap<>();
        for (int c = 0; c < s.cpus().size(); c++) {
            ipi.put(TlaNames.cpu(c), TlaValue.set(List.of()));
            spin.put(TlaNames.cpu(c), TlaNames.NIL);
        }
        Map<String, TlaValue> v = new LinkedHashMap<>();
        v.put("cpu", TlaValue.fun(cpu));
        v.put("st", TlaValue.fun(st));
        v.put("partner", TlaValue.fun(partner));
        v.put("phase", TlaValue.fun(phase));
        v.put("recvFrom", TlaValue.fun(none));
        v.put("sendQ", TlaValue.fun(sendQ));
        v.put("inbox", TlaValue.fun(inbox));
        v.put("ipi", TlaValue.fun(ipi));
        v.put("spin", TlaValue.fun(spin));
        v.put("lock", TlaValue.fun(none));
        v.put("proxy", TlaValue.fun(proxy));
        v.put("mb", TlaValue.fun(mb));
        v.put("rcvd", TlaValue.seq(rcvd));
        v.put("by", step == null ? TlaNames.NIL : TlaNames.cpu(step.cpu()));
        return v;
    }

    /** A sender after its one send; the receiver after one message from each sender. */
    private boolean finished(ThreadId id) {
        return id.equals(roles.receiver) ? rcvd.size() == roles.senders.size() : history.of(id).ipcs > 0;
    }

    private static String threadState(ThreadSnap t, MailboxView m) {
        if (t == null || t.waitsForMailbox() || t.resume() == Resume.XP_OP_RETURN) {
            return ThreadState.READY.label();
        }
        if (m != null || t.resume() == Resume.XP_RETURN) {
            return ThreadState.LOCKED_WAITING.label();
        }
        return t.state() == ThreadState.RUNNING ? ThreadState.READY.label() : t.state().label();
    }

    // ---- step labels ----

    private ActionLabel label(KernelStep step, KernelSnapshot before, KernelSnapshot after, Map<String, TlaValue> previous,
                              Map<String, TlaValue> now) {
        for (int i = 0; i < step.segments().size(); i++) {
            PathSegment seg = step.segments().get(i);
            ThreadId subject = step.subjects().get(i);
            if (!threads.contains(subject) && seg != PathSegment.XCPU_IPI && seg != PathSegment.XCPU_CHECK_AND_ACK) {
                continue; // a thread that does not take part in the race
            }
            switch (seg) {
                case XCPU_SEND: return action("SenderXpSend", subject);
                case XCPU_XP_RETURN: return action("SenderXpReturn", subject);
                case PROXY_XP_SEND: return action("ProxyXpSendPath", subject);
                case PROXY_ACTIVATED: return action("ProxyTransfer", subject);
                case RECEIVE_COMPLETE:
                    if (subject.equals(roles.receiver)) {
                        return ActionLabel.named("ReceiverReturn");
                    }
                    break;
                case XCPU_IPI, XCPU_CHECK_AND_ACK:
                    if (!previous.get("mb").equals(now.get("mb"))) {
                        return ActionLabel.named("CheckAndAck");
                    }
                    break;
                default:
                    break;
            }
        }
        ThreadSnap was = before.thread(roles.receiver);
        ThreadSnap is = after.thread(roles.receiver);
        if (was != null && is != null && is.ipcCount() > was.ipcCount() && !history.of(roles.receiver).hiddenNow) {
            return ActionLabel.named("ReceiverReceive");
        }
        return null;
    }

    private ActionLabel action(String name, ThreadId sender) {
        return new ActionLabel(name, Map.of("s", names.thread(sender)), null);
    }

    // ---- the race's setting ----

    /** Who the receiver and the senders are, as far as the run is the race's setting. */
    static final class Roles {
        ThreadId receiver;
        final Set<ThreadId> senders = new LinkedHashSet<>();
        /** Whether the receiver receives openly; null before its first receive. */
        Boolean open;
        final Set<ThreadId> sent = new TreeSet<>();
        int receives;
        final Set<Integer> cpus = new TreeSet<>();
    }

    static SpecScope scope() {
        return new Scope();
    }

    /**
     * UhligRace describes a run while its IPCs are the race's: one receiver; senders, each on a
     * CPU of its own (none shared with the receiver or another sender), each sending once to the
     * receiver with timeout never; the receiver receiving with timeout never, all open or all
     * closed from a sender it has not yet received from, no more often than there are senders so
     * far. The race begins with the first send with timeout never (or the first closed receive
     * with timeout never) between two threads that have done nothing but open receives before;
     * IPC between other threads (sigma0 waiting for page faults) is not the race's and is left
     * alone. Nothing the spec leaves out ({@link LeftOutMechanisms}) may happen.
     */
    static final class Scope implements SpecScope {
        final Roles roles = new Roles();
        /** The sources of the receiver's closed receives so far. */
        private final Set<ThreadId> closedFrom = new TreeSet<>();
        /** The visible IPCs each thread began so far. */
        private final Map<ThreadId, List<IpcView>> seen = new LinkedHashMap<>();
        /** The threads some visible IPC was addressed to (a send's destination, a closed receive's source). */
        private final Set<ThreadId> addressed = new TreeSet<>();

        @Override
        public String leftOut(KernelStep step, KernelSnapshot before, KernelSnapshot after, RunSurvey survey) {
            String why = LeftOutMechanisms.of(step, before, after);
            if (why != null) {
                return why;
            }
            for (ThreadSnap t : after.threads().values()) {
                ThreadSnap old = before.thread(t.id());
                if (t.ipcCount() > (old == null ? 0 : old.ipcCount()) && t.lastIpc() != null
                        && IpcHistory.visible(t.lastIpc(), survey.threads())) {
                    why = begins(t.id(), t.lastIpc(), survey);
                    seen.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(t.lastIpc());
                    if (!t.lastIpc().dest().isNil()) {
                        addressed.add(t.lastIpc().dest());
                    }
                    if (why != null) {
                        return why;
                    }
                }
            }
            return null;
        }

        private boolean participant(ThreadId t) {
            return t.equals(roles.receiver) || roles.senders.contains(t);
        }

        private String begins(ThreadId t, IpcView ipc, RunSurvey survey) {
            if (roles.receiver == null && !participant(t)) {
                if (!opens(t, ipc, survey)) {
                    return null; // IPC before the race, between threads that do not take part in it
                }
            } else if (!participant(t) && (ipc.dest().isNil() || !participant(ipc.dest()))) {
                return null; // IPC between threads that do not take part in the race
            }
            String name = survey.name(t);
            if (ipc.op().hasSendPhase()) {
                if (ipc.op() != IpcOp.SEND) {
                    return name + " does a " + ipc.op() + ": in the race every sender sends once and the receiver receives";
                }
                if (!ipc.dest().equals(roles.receiver)) {
                    return name + " sends to " + survey.name(ipc.dest()) + ", not to the receiver " + survey.name(roles.receiver);
                }
                if (ipc.sendTimeout() != Timeout.Kind.NEVER) {
                    return name + " sends with a " + ipc.sendTimeout().label() + " timeout: the race's sends wait for ever";
                }
                if (!roles.sent.add(t)) {
                    return name + " sends a second time: in the race every sender sends once";
                }
                return addSender(t, survey);
            }
            if (!t.equals(roles.receiver)) {
                return name + " receives from " + survey.name(ipc.dest()) + ", a thread of the race: only "
                        + survey.name(roles.receiver) + " receives there";
            }
            return receives(name, ipc, survey);
        }

        /**
         * Whether {@code ipc} begins the race: a send with timeout never, or a closed receive with
         * timeout never, between two threads with nothing but open receives before. It sets the
         * receiver and counts the receiver's earlier open receives.
         */
        private boolean opens(ThreadId t, IpcView ipc, RunSurvey survey) {
            boolean send = ipc.op() == IpcOp.SEND && ipc.sendTimeout() == Timeout.Kind.NEVER;
            boolean closed = ipc.op() == IpcOp.RECEIVE && ipc.receiveTimeout() == Timeout.Kind.NEVER;
            if (!send && !closed || ipc.dest().isNil() || ipc.dest().equals(t)) {
                return false;
            }
            ThreadId receiver = send ? ipc.dest() : t;
            ThreadId sender = send ? t : ipc.dest();
            if (!seen.getOrDefault(sender, List.of()).isEmpty() || addressed.contains(sender) || addressed.contains(receiver)) {
                return false;
            }
            List<IpcView> earlier = seen.getOrDefault(receiver, List.of());
            for (IpcView e : earlier) {
                if (e.op() != IpcOp.OPEN_RECEIVE || e.receiveTimeout() != Timeout.Kind.NEVER) {
                    return false;
                }
            }
            if (survey.homeOf(receiver) == survey.homeOf(sender)) {
                return false;
            }
            roles.receiver = receiver;
            roles.cpus.add(survey.homeOf(receiver));
            if (!earlier.isEmpty()) {
                roles.open = true;
                roles.receives = earlier.size();
            }
            return true;
        }

        private String receives(String name, IpcView ipc, RunSurvey survey) {
            if (ipc.receiveTimeout() != Timeout.Kind.NEVER) {
                return name + " receives with a " + ipc.receiveTimeout().label() + " timeout: the race's receives wait for ever";
            }
            boolean open = ipc.op() == IpcOp.OPEN_RECEIVE;
            if (roles.open != null && roles.open != open) {
                return name + " mixes open and closed receives";
            }
            roles.open = open;
            if (!open) {
                if (!closedFrom.add(ipc.dest())) {
                    return name + " receives from " + survey.name(ipc.dest()) + " again: every sender sends once";
                }
                String bad = addSender(ipc.dest(), survey);
                if (bad != null) {
                    return bad;
                }
            }
            roles.receives++;
            if (roles.receives > roles.senders.size() && !roles.senders.isEmpty()) {
                return name + " receives a " + ordinal(roles.receives) + " time, but only " + roles.senders.size()
                        + " sender" + (roles.senders.size() == 1 ? "" : "s") + " sent so far";
            }
            return null;
        }

        private String addSender(ThreadId s, RunSurvey survey) {
            if (roles.senders.contains(s)) {
                return null;
            }
            if (s.equals(roles.receiver)) {
                return survey.name(s) + " sends to itself";
            }
            if (!seen.getOrDefault(s, List.of()).isEmpty() && !roles.sent.contains(s) || addressed.contains(s)) {
                return survey.name(s) + " took part in other IPC before it takes part in the race";
            }
            int cpu = survey.homeOf(s);
            if (!roles.cpus.add(cpu)) {
                return survey.name(s) + " shares cpu" + cpu + " with another thread of the race: in the race every "
                        + "thread has a CPU of its own";
            }
            roles.senders.add(s);
            return null;
        }

        private static String ordinal(int n) {
            return n + (n % 10 == 1 && n % 100 != 11 ? "st" : n % 10 == 2 && n % 100 != 12 ? "nd"
                    : n % 10 == 3 && n % 100 != 13 ? "rd" : "th");
        }
    }
}
