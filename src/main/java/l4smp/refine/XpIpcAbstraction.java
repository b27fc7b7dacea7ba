package l4smp.refine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
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
 * The abstraction function from the kernel to spec-tla/XpIpc.tla's variables, and the step labels:
 * the spec header's REFINEMENT MAPPING, written out. Px(t), the proxy XpIpc gives each sender, is
 * the kernel's proxy thread while it works on t's mailbox.
 * <ul>
 *   <li>{@code st[t]}: {@code Tcb.state}, running as ready; a cross-processor sender is
 *       locked_waiting from its send until XP_RETURN, though check_n_ack makes it runnable when its
 *       reply is back (XpIpc merges that with XP_RETURN); a thread waiting for a mailbox has not
 *       begun its IPC: ready. {@code st[Px(t)]}: waiting while t's mailbox is flagged or t has none,
 *       ready once linked, then the proxy's state while {@code ProxyThread.current} is t's mailbox.</li>
 *   <li>{@code partner}, {@code proxy}, {@code xpCc}, {@code sendQ}: the TCB fields; a proxy's
 *       partner only while it works on t's mailbox.</li>
 *   <li>{@code args}: the {@code IpcState} in progress; {@code nops}: {@code Tcb.ipcCount};
 *       {@code cc}: the completion code of the last IPC, none while one runs.</li>
 *   <li>{@code inbox[b]}: the message of a receiver its sender transferred to that has not
 *       returned; {@code mb[t]}: t's {@code IpcMailbox}: request while flagged, linked in a
 *       proxy's list, reply after wakeup_sender.</li>
 *   <li>{@code wakeupQ[c]}: the wakeup queue, a proxy standing for the sender it works for.</li>
 *   <li>History: {@code by} the step's CPU; {@code sentTo}, {@code rcvdBy} kept from the steps
 *       that begin an IPC with a send phase and that return a transferred message.</li>
 * </ul>
 */
public final class XpIpcAbstraction implements KernelRefinement.Abstraction, StepAbstraction {
    public static final String MODULE = "XpIpc";
    static final List<String> VARIABLES = List.of("cpu", "st", "partner", "proxy", "xpCc", "xpAbort", "args", "nops", "cc", "inbox",
            "sendQ", "wakeupQ", "mb", "xpSeen", "by", "sentTo", "rcvdBy", "dying");

    private final KernelRun run;
    private final RunSurvey survey;
    private final java.util.function.Function<ThreadId, String> modelNames;
    private final TlaNames names;
    private final List<ThreadId> threads;
    /** The run's threads the spec sees (no padding, no pagers), for lookups. */
    private final Set<ThreadId> spec;
    private final int maxOps;
    private final int cpus;

    private IpcHistory history;
    private LongTransfers transfers;
    /**
     * xpAbort: the senders whose cross-processor send lthread_ex_regs canceled
     * ({@code Tcb.cancelAtXpReturn}), until their XP_RETURN. The kernel clears the flag earlier
     * when the sender answers a fault request of its proxy with "aborted" (§8.4.2); the abort is
     * pending for XpIpc until the sender's mailbox is freed.
     */
    private final Set<ThreadId> aborting = new java.util.HashSet<>();
    /** The deletions in progress, by the thread that called task_new: the threads it deletes ({@link Deletions}). */
    private Deletions deletions = new Deletions();
    /** The per-thread variables a long transfer's window freezes ({@link LongTransfers}). */
    private static final List<String> FROZEN = List.of("st", "partner", "proxy", "xpCc", "args", "cc", "mb");

    /** The abstraction of a recorded run, as a whole ({@link #trace()}). */
    public XpIpcAbstraction(KernelRun run) {
        this(run, RunSurvey.of(run), 1);
    }

    /**
     * The abstraction of the run {@code survey} describes, step by step; XpIpc's MaxOps is the
     * run's, rounded up to a multiple of {@code opsQuantum} (so that runs of a family share one
     * configuration).
     */
    public XpIpcAbstraction(RunSurvey survey, int opsQuantum) {
        this(null, survey, opsQuantum, 1);
    }

    /**
     * As {@link #XpIpcAbstraction(RunSurvey, int)}, with the Thread set padded by threads that
     * never exist ({@code pad1}, ...) to a multiple of {@code threadQuantum}: runs with a few
     * threads more or less then share one configuration, and one parsed spec.
     */
    public XpIpcAbstraction(RunSurvey survey, int opsQuantum, int threadQuantum) {
        this(null, survey, opsQuantum, threadQuantum);
    }

    private XpIpcAbstraction(KernelRun run, RunSurvey survey, int opsQuantum) {
        this(run, survey, opsQuantum, 1);
    }

    /** A thread that never exists, standing in for the k-th padding thread of the spec's Thread set. */
    private static ThreadId pad(int k) {
        return ThreadId.of(ThreadId.TASKS - 1, k, ThreadId.VERSION_MASK);
    }

    private XpIpcAbstraction(KernelRun run, RunSurvey survey, int opsQuantum, int threadQuantum) {
        this.run = run;
        this.survey = survey;
        List<ThreadId> all = new ArrayList<>(survey.threads());
        java.util.Map<ThreadId, String> pads = new java.util.HashMap<>();
        for (int k = 1; all.size() % threadQuantum != 0; k++) {
            all.add(pad(k));
            pads.put(pad(k), "pad" + k);
        }
        this.modelNames = id -> pads.containsKey(id) ? pads.get(id) : survey.name(id);
        this.names = new TlaNames(modelNames);
        this.threads = List.copyOf(all);
        this.spec = Set.copyOf(survey.threads());
        int ops = Math.max(1, survey.maxVisibleIpcs(MODULE));
        this.maxOps = (ops + opsQuantum - 1) / opsQuantum * opsQuantum;
        this.cpus = survey.cpus();
        this.history = new IpcHistory(names, threads);
        this.transfers = new LongTransfers(survey.threads());
    }

    /**
     * XpIpc describes short IPC of every kind between the run's threads, with timeouts, and with
     * its Events lthread_ex_regs aborts and the page-fault timeouts of long copies across CPUs.
     */
    static SpecScope scope() {
        return (step, before, after, survey) -> LeftOutMechanisms.forXpIpc(step, before, after);
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

    /**
     * The run as a behaviour of XpIpc, each step labelled with the action it claims to be.
     *
     * @throws NotApplicable if the run uses a mechanism XpIpc leaves out
     */
    @Override
    public Trace trace() {
        history = new IpcHistory(names, threads);
        transfers = new LongTransfers(survey.threads());
        aborting.clear();
        deletions = new Deletions();
        return StepAbstraction.wholeRun(this, run, survey);
    }

    @Override
    public TraceState initial() {
        return new TraceState(state(survey.initial(), null), null);
    }

    @Override
    public TraceState next(KernelSnapshot before, KernelStep step, KernelSnapshot afterSnap, TraceState previousState) {
        Map<String, TlaValue> previous = previousState.values();
        history.step(before, afterSnap);
        deletions.step(step, before, afterSnap, spec);
        Map<String, TlaValue> after = state(afterSnap, step);
        deletions.freezeDead(previous, after, names, threads);
        List<LongTransfers.Window> ended = transfers.step(step, before, afterSnap, previous);
        java.util.function.Function<LongTransfers.Window, List<TlaValue>> keys = w -> List.of(names.thread(w.sender()),
                names.thread(w.receiver()), px(w.sender()), px(w.receiver()));
        transfers.freeze(after, w -> LongTransfers.each(FROZEN, keys.apply(w)), "wakeupQ", keys);
        ActionLabel deletion = deletions.label(previous, after, names);
        ActionLabel label = deletion != null ? deletion : ended.isEmpty() ? abortOrLabel(step, before, afterSnap, previous, after)
                : transferEnd(ended.get(0), after);
        if (label == null) {
            after.put("by", previous.get("by")); // `by` names the CPU of the last step XpIpc sees
        }
        return new TraceState(after, label);
    }

    /** The trace-checking configuration: constants from the run, the invariants of the spec's standard cfg. */
    @Override
    public String config(List<String> invariants, String moduleName) {
        StringBuilder cfg = new StringBuilder("\\* generated by l4smp from a kernel run: its CPUs, threads and IPC count\n");
        cfg.append("CONSTANTS\n");
        cfg.append("    CPU = {").append(String.join(", ", TlaNames.cpuNames(cpus))).append("}\n");
        cfg.append("    Thread = {").append(String.join(", ", threadNames())).append("}\n");
        cfg.append("    Nil = Nil\n");
        cfg.append("    MaxOps = ").append(maxOps).append('\n');
        cfg.append("    Ops = {\"send\", \"receive\", \"open_receive\", \"call\", \"reply_and_wait\"}\n");
        cfg.append("    Timeouts = {\"zero\", \"finite\", \"never\"}\n");
        cfg.append("    Variant = \"Proxy\"\n");
        cfg.append("    Events = {").append(String.join(", ", events())).append("}\n");
        // XpIpc turns off one fix at a time: the first the kernel left out (fault injection), if it has one
        String removed = Stream.of("SenderTimeoutNever", "ClearProxyPointer", "ProxyPolls").filter(survey::removed).findFirst()
                .orElse("none");
        cfg.append("    RemovedFix = \"").append(removed).append("\"\n");
        cfg.append(TlaNames.behaviourAndInvariants("Init", invariants));
        return cfg.toString();
    }

    /**
     * XpIpc's Events for the run: "abort" if lthread_ex_regs ended some IPC or canceled a
     * cross-processor send, "pf_timeout" if a page fault of a long copy timed out, "kill" if a
     * thread died (task_new, the kernel stopping it); none else, so a run without them is checked
     * against the spec of short IPC with timeouts.
     */
    private List<String> events() {
        List<String> out = new ArrayList<>();
        if (survey.sawXpCancel() || KernelSnapshot.ABORT_CODES.stream().anyMatch(survey::saw)) {
            out.add("\"abort\"");
        }
        if (KernelSnapshot.PF_TIMEOUT_CODES.stream().anyMatch(survey::saw)) {
            out.add("\"pf_timeout\"");
        }
        if (survey.sawDeath()) {
            out.add("\"kill\"");
        }
        return out;
    }

    private List<String> threadNames() {
        return threads.stream().map(modelNames).toList();
    }

    private TlaValue px(ThreadId t) {
        return TlaValue.seq(TlaValue.str("proxy"), names.thread(t));
    }

    // ---- the abstraction function ----

    private Map<String, TlaValue> state(KernelSnapshot s, KernelStep step) {
        Map<TlaValue, TlaValue> cpu = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> st = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> partner = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> proxy = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> xpCc = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> xpAbort = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> args = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> nops = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> cc = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> inboxes = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> sendQ = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> mb = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> xpSeen = new LinkedHashMap<>();
        for (ThreadId id : threads) {
            TlaValue t = names.thread(id);
            ThreadSnap dead = Deletions.dead(s, id);
            ThreadSnap snap = dead != null ? null : s.thread(id);
            int home = dead != null ? dead.cpu() : snap == null ? survey.homeOf(id) : snap.cpu();
            cpu.put(t, TlaNames.cpu(home));
            MailboxView m = s.mailboxOf(id);
            boolean hidden = history.hidden(snap);
            IpcHistory.Seen h = history.of(id);
            boolean over = hidden || snap != null && snap.endedByError(); // an aborted IPC is over (§8.4.3)
            // ---- replay2 (RemovedFix.SENDER_TIMEOUT_NEVER): the sender's own timer ended its send, its mailbox
            // still with the proxy; with the fix a thread whose request is in flight is always inside its IPC ----
            // (its proxy still writes its partner: "from.partner = B")
            boolean timedOut = snap != null && m != null && snap.ipc() == null && snap.resume() == Resume.USER;
            over |= timedOut;
            // ---- end replay2 ----
            st.put(t, TlaValue.str(dead != null ? ThreadState.DEAD.label()
                    : over ? ThreadState.READY.label() : threadState(snap, m)));
            partner.put(t, snap == null || over && !timedOut ? TlaNames.NIL : names.thread(snap.partner()));
            ThreadSnap tcb = dead != null ? dead : snap; // a deleted sender's proxy fields and xp cc, while its request lasts
            if (tcb != null && tcb.cancelAtXpReturn() && !hidden) {
                aborting.add(id); // not a hidden IPC's: a page fault's XP IPC to its pager is canceled so too
            } else if (m == null) {
                aborting.remove(id);
            }
            xpAbort.put(t, TlaValue.of(!hidden && aborting.contains(id)));
            proxy.put(t, tcb == null || hidden || tcb.proxy().isNil() ? TlaNames.NIL : px(id));
            // a dead sender's xp cc is its reply's, until check_n_ack frees the reply (it runs no XP_RETURN)
            xpCc.put(t, TlaNames.code(tcb == null || hidden || dead != null && m == null ? CompletionCode.NONE : tcb.xpCc()));
            boolean inIpc = history.inIpc(snap);
            args.put(t, inIpc ? args(snap.ipc()) : TlaNames.NIL);
            nops.put(t, TlaValue.of(h.ipcs));
            cc.put(t, TlaNames.code(inIpc ? CompletionCode.NONE : h.code));
            inboxes.put(t, snap != null && snap.holdsDelivery() && history.inbox(id) != null ? TlaValue.seq(history.inbox(id))
                    : TlaValue.seq());
            sendQ.put(t, TlaValue.seq(snap == null ? List.of() : snap.sendQueue().stream().filter(spec::contains)
                    .map(names::thread).toList()));
            mb.put(t, m == null || hidden ? TlaNames.NIL : mailbox(m, snap));
            xpSeen.put(t, TlaNames.NIL);
            ProxyView working = m == null || hidden || !m.kind().equals("xp_send") ? null : workingOn(s, m);
            boolean current = working != null && working.current() == m.id();
            st.put(px(id), TlaValue.str(m == null || hidden || !m.kind().equals("xp_send") || m.flagged() ? "waiting"
                    : current ? working.state().label() : "ready"));
            partner.put(px(id), current ? names.thread(working.partner()) : TlaNames.NIL);
        }
        Map<TlaValue, TlaValue> wakeupQ = new LinkedHashMap<>();
        for (KernelSnapshot.CpuSnap c : s.cpus()) {
            Set<TlaValue> queued = new LinkedHashSet<>();
            for (ThreadId id : c.wakeupQueue()) {
                ProxyView p = s.proxy(id);
                if (p == null) {
                    if (spec.contains(id) && !history.hidden(s.thread(id))) {
                        queued.add(names.thread(id));
                    }
                } else if (p.current() >= 0) {
                    ThreadId sender = s.mailboxes().get(p.current()).sender();
                    if (spec.contains(sender) && !history.hidden(s.thread(sender))) {
                        queued.add(px(sender));
                    }
                }
            }
            wakeupQ.put(TlaNames.cpu(c.id()), TlaValue.set(queued));
        }
        Map<String, TlaValue> v = new LinkedHashMap<>();
        v.put("cpu", TlaValue.fun(cpu));
        v.put("st", TlaValue.fun(st));
        v.put("partner", TlaValue.fun(partner));
        v.put("proxy", TlaValue.fun(proxy));
        v.put("xpCc", TlaValue.fun(xpCc));
        v.put("xpAbort", TlaValue.fun(xpAbort));
        v.put("args", TlaValue.fun(args));
        v.put("nops", TlaValue.fun(nops));
        v.put("cc", TlaValue.fun(cc));
        v.put("inbox", TlaValue.fun(inboxes));
        v.put("sendQ", TlaValue.fun(sendQ));
        v.put("wakeupQ", TlaValue.fun(wakeupQ));
        v.put("mb", TlaValue.fun(mb));
        v.put("xpSeen", TlaValue.fun(xpSeen));
        v.put("by", step == null ? TlaNames.NIL : TlaNames.cpu(step.cpu()));
        v.put("sentTo", messages(history::sentTo));
        v.put("rcvdBy", messages(m -> TlaValue.seq(history.receipts(m))));
        v.put("dying", TlaValue.set(deletions.dying().stream().map(names::thread).toList()));
        return v;
    }

    private TlaValue messages(java.util.function.Function<TlaValue, TlaValue> value) {
        Map<TlaValue, TlaValue> f = new LinkedHashMap<>();
        for (ThreadId t : threads) {
            for (int n = 1; n <= maxOps; n++) {
                TlaValue m = names.message(t, n);
                f.put(m, value.apply(m));
            }
        }
        return TlaValue.fun(f);
    }

    /**
     * The proxy working on mailbox {@code m}: the instance whose current mailbox it is (after a
     * hand-over, §8.4.4, not the one it was linked to), else the one it is linked to.
     */
    static ProxyView workingOn(KernelSnapshot s, MailboxView m) {
        for (ProxyView p : s.proxies()) {
            if (p.current() == m.id()) {
                return p;
            }
        }
        return s.proxy(m.performer());
    }

    static String threadState(ThreadSnap t, MailboxView m) {
        if (t == null || t.waitsForMailbox() || t.resume() == Resume.XP_OP_RETURN) {
            return ThreadState.READY.label(); // no IPC begun; a cross-processor operation is no IPC
        }
        if (m != null || t.resume() == Resume.XP_RETURN) {
            return ThreadState.LOCKED_WAITING.label();
        }
        return t.state() == ThreadState.RUNNING ? ThreadState.READY.label() : t.state().label();
    }

    private TlaValue args(IpcView ipc) {
        IpcOp op = ipc.op();
        return TlaValue.rec("op", TlaValue.str(op.label()), "dest", names.thread(ipc.dest()),
                "sto", TlaNames.timeout(ipc.sendTimeout()), "rto", TlaNames.timeout(ipc.receiveTimeout()));
    }

    private TlaValue mailbox(MailboxView m, ThreadSnap sender) {
        String state = m.kind().equals("xp_reply") ? "reply" : m.flagged() ? "request" : "linked";
        return TlaValue.rec("state", TlaValue.str(state), "cpu", TlaNames.cpu(m.targetCpu()), "to", names.thread(m.dest()),
                "msg", names.message(m.sender(), history.of(m.sender()).ipcs), "tmo", TlaNames.timeout(m.timeout()));
    }

    // ---- step labels ----

    /** The XpIpc action the step claims to be, or null: a step XpIpc does not see (it must stutter). */
    private ActionLabel label(KernelStep step, KernelSnapshot before, KernelSnapshot afterSnap,
                              Map<String, TlaValue> previous, Map<String, TlaValue> after) {
        TlaValue c = TlaNames.cpu(step.cpu());
        for (int i = 0; i < step.segments().size(); i++) {
            PathSegment seg = step.segments().get(i);
            ThreadId subject = step.subjects().get(i);
            boolean cpuWide = seg == PathSegment.XCPU_IPI || seg == PathSegment.XCPU_CHECK_AND_ACK; // subject: who ran
            if (!cpuWide && !subject.isNil() && !sees(subject, before, afterSnap)) {
                continue;
            }
            TlaValue t = names.thread(subject);
            switch (seg) {
                case XCPU_SEND: return action("ThreadSendRemote", "t", t);
                case XCPU_XP_RETURN: return action("SenderXpReturn", "t", t);
                case PROXY_ACTIVATED: return action("ProxyTransfer", "t", t);
                case PROXY_TIMEOUT: return action("TimerExpireProxy", "c", c, "t", t);
                case PROXY_XP_SEND, PROXY_NOT_EXISTENT: return action("ProxyXpSendPath", "t", t); // "check again if destination exists"
                case SEND_WOKEN: return action("SenderTransfer", "t", t);
                case RECEIVE_COMPLETE:
                    if (before.thread(subject) != null && before.thread(subject).endedByError()) {
                        break; // the return from an IPC an abort or a transfer error ended: over already
                    }
                    return action("ReceiverReturn", "t", t);
                case TIMER_TIMEOUT: {
                    String was = ((TlaValue.Str) ((TlaValue.Fun) previous.get("st")).mapping().get(t)).value();
                    if (was.equals("ready")) {
                        return null; // the end of a hidden IPC
                    }
                    // ---- replay2 (RemovedFix.SENDER_TIMEOUT_NEVER): an XP sender's own timer ----
                    if (was.equals("locked_waiting")) {
                        return action("TimerExpireXpSender", "c", c, "t", t);
                    }
                    // ---- end replay2 ----
                    return action(was.equals("polling") ? "TimerExpireSender" : "TimerExpireReceiver", "c", c, "t", t);
                }
                case XCPU_IPI, XCPU_CHECK_AND_ACK: {
                    ActionLabel freed = Deletions.deadReplyFreed(previous, after);
                    if (freed != null) {
                        return freed;
                    }
                    if (!previous.get("mb").equals(after.get("mb"))) {
                        return action("CheckAndAck", "c", c);
                    }
                    break;
                }
                default:
                    break;
            }
        }
        ThreadId actor = step.subjects().isEmpty() ? ThreadId.NIL : step.subjects().get(0);
        ThreadSnap was = before.thread(actor);
        ThreadSnap now = afterSnap.thread(actor);
        if (!actor.isNil() && was != null && now != null && now.ipcCount() > was.ipcCount() && !history.of(actor).hiddenNow
                && sees(actor, before, afterSnap)) {
            IpcOp op = now.lastIpc().op();
            if (now.lastIpc().code() == CompletionCode.NOT_EXISTENT) {
                return action("ThreadPartnerGone", "t", names.thread(actor)); // its partner is dead
            }
            return action(op.hasSendPhase() ? "ThreadSendLocal" : "ThreadReceive", "t", names.thread(actor));
        }
        return null;
    }

    // ---- aborts and transfer errors (§8.4.2, §8.4.3) ----

    /** The sender's code of each transfer error, and XpIpc's name for the error (its TransferCodes). */
    private static final Map<TlaValue, TlaValue> TRANSFER_ERRORS = Map.of(
            TlaNames.code(CompletionCode.SEND_ABORTED), TlaValue.str("aborted"),
            TlaNames.code(CompletionCode.SEND_SND_PF_TIMEOUT), TlaValue.str("snd_pf_timeout"),
            TlaNames.code(CompletionCode.SEND_RCV_PF_TIMEOUT), TlaValue.str("rcv_pf_timeout"));
    private static final TlaValue SEND_CANCELED = TlaNames.code(CompletionCode.SEND_CANCELED);
    private static final TlaValue RECEIVE_CANCELED = TlaNames.code(CompletionCode.RECEIVE_CANCELED);
    private static final TlaValue SEND_ABORTED = TlaNames.code(CompletionCode.SEND_ABORTED);

    /** The end of a long transfer's window: the proxy transferred, or the transfer failed (§8.4.2, §8.4.3). */
    private ActionLabel transferEnd(LongTransfers.Window w, Map<String, TlaValue> after) {
        TlaValue t = names.thread(w.sender());
        TlaValue error = TRANSFER_ERRORS.get(at(after, "xpCc", t));
        if (error != null) {
            return action("ProxyTransferFails", "t", t, "e", error);
        }
        return action(w.activated() ? "ProxyTransfer" : "ProxyXpSendPath", "t", t);
    }

    /**
     * The action of a step that aborts an IPC or ends a transfer with an error, told by what it
     * changed in XpIpc's variables (the kernel's abort runs in whichever step lthread_ex_regs or
     * a part of its cross-processor operation takes, §8.4.3); else {@link #label}.
     */
    private ActionLabel abortOrLabel(KernelStep step, KernelSnapshot before, KernelSnapshot afterSnap,
                                     Map<String, TlaValue> previous, Map<String, TlaValue> after) {
        for (ThreadId id : threads) {
            TlaValue t = names.thread(id);
            TlaValue xp = at(after, "xpCc", t);
            if (!xp.equals(at(previous, "xpCc", t))) {
                if (xp.equals(SEND_CANCELED)) {
                    return action("ProxyCancel", "t", t);
                }
                if (TRANSFER_ERRORS.containsKey(xp)) {
                    return action("ProxyTransferFails", "t", t, "e", TRANSFER_ERRORS.get(xp));
                }
            }
            if (at(after, "xpAbort", t).equals(TlaValue.of(true)) && !at(previous, "xpAbort", t).equals(TlaValue.of(true))) {
                return action("AbortXpSender", "t", t);
            }
        }
        if (!step.ran(PathSegment.XCPU_XP_RETURN)) {
            for (ThreadId id : threads) {
                TlaValue t = names.thread(id);
                TlaValue code = at(after, "cc", t);
                if (code.equals(at(previous, "cc", t))) {
                    continue;
                }
                if (code.equals(SEND_CANCELED) || code.equals(RECEIVE_CANCELED)) {
                    return action("AbortCancel", "t", t);
                }
                if (code.equals(SEND_ABORTED)) {
                    return action("AbortTransfer", "t", t);
                }
            }
        }
        return label(step, before, afterSnap, previous, after);
    }

    private static TlaValue at(Map<String, TlaValue> values, String variable, TlaValue key) {
        return ((TlaValue.Fun) values.get(variable)).mapping().get(key);
    }

    /**
     * Whether XpIpc sees what the kernel does for thread {@code t} in a step: not if t is no
     * thread of the spec (a pager), is inside a hidden IPC before or after it (a page fault's IPC,
     * a sleep), or takes part in a long transfer in progress ({@link LongTransfers}).
     */
    private boolean sees(ThreadId t, KernelSnapshot before, KernelSnapshot after) {
        return spec.contains(t) && !history.hidden(before.thread(t)) && !history.hidden(after.thread(t))
                && !transfers.involves(t);
    }

    static ActionLabel action(String name, Object... parameters) {
        Map<String, TlaValue> p = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            p.put((String) parameters[i], (TlaValue) parameters[i + 1]);
        }
        return new ActionLabel(name, p, null);
    }

    /** The model values the trace uses: CPUs, threads, Nil. */
    public Set<String> modelValues() {
        Set<String> all = new TreeSet<>(TlaNames.cpuNames(cpus));
        all.addAll(threadNames());
        all.add("Nil");
        return all;
    }
}
