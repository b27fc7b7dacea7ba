package l4smp.refine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.observe.IpcView;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.MailboxView;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.observe.ProxyView;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.refine.KernelSnapshot.ThreadSnap;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

/**
 * The abstraction function from the kernel to spec-tla/XpMigration.tla (XpIpc's cross-processor
 * send with §8.5's migration races and fixes), and the step labels, for whole recorded runs.
 *
 * <p>REFINEMENT MAPPING ({@code tcb(t)} is t's {@code l4smp.kernel.thread.Tcb}, Px(s) the
 * {@code l4smp.kernel.xcpu.ProxyThread} working on s's {@code IpcMailbox}, as in
 * {@link XpIpcAbstraction}):
 * <ul>
 *   <li>{@code cpu[t]}: {@code tcb(t).cpu}.</li>
 *   <li>{@code st}, {@code partner}, {@code sendQ}, {@code proxy}, {@code xpCc}: as XpIpc's
 *       ({@code Tcb.state} with running as ready and a sender with its mailbox out locked_waiting;
 *       {@code Tcb.partner}, Nil for a sender with its mailbox out, whose proxy's partner stands
 *       for it in the spec; {@code Tcb.sendQueue}, {@code Tcb.proxy}, {@code Tcb.xpCc}); Px(s)'s
 *       state and partner while {@code ProxyThread.current} is s's mailbox.</li>
 *   <li>{@code mb[s]}: s's {@code IpcMailbox}: request while flagged ({@code MailboxFlags}),
 *       linked in a proxy's list, reply once {@code kind} is xp_reply; {@code cpu} its
 *       {@code targetCpu}, {@code to} its {@code dest}.</li>
 *   <li>{@code dnm}: Nil throughout. The spec's sender holds the receiver's do-not-migrate lock
 *       from its check of the receiver's CPU until its proxy starts (LockTarget); the kernel's XP
 *       send path reads the CPU and triggers the mailbox in one atomic step
 *       ({@code xcpu.sendPath.xpSend}), so no migration can fall between them and the lock is not
 *       needed: the trace shows that step as SenderCheck then SenderTrigger, and the cfg sets
 *       {@code LockTarget = FALSE}. ({@code Tcb.doNotMigrate} is the lock a migration request
 *       holds, MigrationBarriers' {@code lock}.)</li>
 *   <li>{@code seen[s]}: the receiver's CPU in the state between SenderCheck and SenderTrigger,
 *       else Nil; {@code fault[s]}: FALSE (a send with the fault bit is outside the scope);
 *       {@code reported}: Nil.</li>
 *   <li>{@code phase[t]}: user before a sender's send, blocked while it runs, done after; the
 *       receiver's: blocked inside a receive, done after it returned one message per sender,
 *       else user.</li>
 *   <li>{@code cc[t]}: the code of t's last IPC ({@code Tcb.completion}), none before the first;
 *       {@code inbox[r]}: the message transferred to r and not yet returned
 *       ({@code IpcState.delivered}), with bit 11 (history: whether a proxy's step delivered it).</li>
 *   <li>History: {@code how[s]} local or xp by the path s's send took; {@code rcvd} the messages r
 *       returned; {@code nmig} the migrations of the run's threads so far; {@code by} the CPU of
 *       the last labelled step.</li>
 * </ul>
 * Labels: {@code xcpu.sendPath.xpSend} is SenderCheck(s, FALSE) and SenderTrigger(s) (two trace
 * states); a sender beginning its send otherwise is SenderCheck(s, FALSE) on the local path; the
 * IPI handler or kernel-exit check that links requests is CheckAndAck(c); {@code xcpu.xpReturn}
 * SenderXpReturn(s); {@code xcpu.proxy.xpSendPath} ProxyXpSendPath(s); {@code xcpu.proxy.activated}
 * ProxyTransfer(s); {@code ipc.sendPath.woken} SenderTransfer(s); the receiver beginning a receive
 * ReceiverReceive; {@code ipc.receivePath.complete} ReceiverReturn; B's
 * {@code migrate.source.passBarrier2} (t's new processor number set, the requests to t taken
 * along: {@code RequestMigration.take}) Migrate(t, d). Every other step (the migration's other
 * parts, refused attempts, schedulers, the dispatcher) must stutter.
 *
 * <p>Scope (else {@link #trace} refuses the run, saying why): one receiver that only receives,
 * openly or closed, once per sender; senders that each send it one message and make no other IPC
 * the specs see; no request restarted on its sender's CPU ({@code ipc.sendPath.restart}: the
 * kernel splits the spec's ProxyRestartsLocally between C's step and the sender's).
 */
public final class XpMigrationAbstraction implements KernelRefinement.Abstraction {
    public static final String MODULE = "XpMigration";
    static final List<String> VARIABLES = List.of("cpu", "st", "partner", "sendQ", "proxy", "xpCc", "mb", "dnm", "seen",
            "fault", "phase", "cc", "inbox", "how", "reported", "rcvd", "nmig", "by");

    private final KernelRun run;
    private final RunSurvey survey;
    private final TlaNames names;
    private final ThreadId receiver;
    private final List<ThreadId> senders = new ArrayList<>();
    private final List<ThreadId> threads = new ArrayList<>();
    private final boolean openReceive;
    private final int migrations;

    private IpcHistory history;
    /** origin.get(i): the kernel step that produced trace state i (a sender's XP send path makes two). */
    private final List<Integer> origin = new ArrayList<>();
    /** History: how each sender's send went, the receiver's returned messages, migrations so far, bit 11 of r's inbox. */
    private final Map<ThreadId, String> how = new LinkedHashMap<>();
    private final List<TlaValue> rcvd = new ArrayList<>();
    private int nmig;
    private boolean inboxXp;

    /**
     * @throws IllegalArgumentException if the run is outside the spec's scope (see the class comment)
     */
    public XpMigrationAbstraction(KernelRun run) {
        this.run = run;
        this.survey = RunSurvey.of(run);
        this.names = new TlaNames(run);
        String spec = MODULE;
        ThreadId r = null;
        for (ThreadId t : survey.threads()) {
            List<IpcView> ipcs = survey.visibleIpcs(spec, t);
            if (ipcs.stream().noneMatch(i -> i.op().hasSendPhase())) {
                continue;
            }
            if (ipcs.size() != 1 || ipcs.get(0).op() != IpcOp.SEND || r != null && !ipcs.get(0).dest().equals(r)) {
                throw outOfScope(run.name(t) + " makes an IPC other than one send to the receiver");
            }
            r = ipcs.get(0).dest();
            senders.add(t);
        }
        if (r == null) {
            throw outOfScope("no thread sends");
        }
        this.receiver = r;
        threads.add(r);
        threads.addAll(senders);
        if (senders.contains(r)) {
            throw outOfScope(run.name(r) + " sends to itself");
        }
        List<IpcView> receives = survey.visibleIpcs(spec, r);
        if (receives.stream().anyMatch(i -> i.op() != IpcOp.RECEIVE && i.op() != IpcOp.OPEN_RECEIVE)) {
            throw outOfScope(run.name(r) + " makes an IPC other than a receive");
        }
        this.openReceive = receives.stream().allMatch(i -> i.op() == IpcOp.OPEN_RECEIVE);
        if (!openReceive && receives.stream().anyMatch(i -> i.op() == IpcOp.OPEN_RECEIVE)) {
            throw outOfScope(run.name(r) + " receives both openly and closed");
        }
        if (senders.isEmpty() || receives.size() > senders.size()) {
            throw outOfScope(run.name(r) + " receives " + receives.size() + " times from " + senders.size() + " senders");
        }
        int moved = 0;
        for (KernelRun.Step s : run.steps()) {
            if (s.step().segments().contains(PathSegment.SEND_RESTART)) {
                throw outOfScope("a send restarts on its sender's CPU (" + PathSegment.SEND_RESTART.label() + ")");
            }
            if (migrates(s.step()) != null) {
                moved++;
            }
        }
        this.migrations = moved;
    }

    private static IllegalArgumentException outOfScope(String why) {
        return new IllegalArgumentException("the run is outside XpMigration's scope: " + why);
    }

    /** The run's thread B moves in this step (its new processor number set), or null. */
    private ThreadId migrates(KernelStep step) {
        int i = step.segments().indexOf(PathSegment.MIGRATE_SOURCE_PASS_BARRIER2);
        return i < 0 || !threads.contains(step.subjects().get(i)) ? null : step.subjects().get(i);
    }

    @Override
    public String spec() {
        return MODULE;
    }

    @Override
    public String module(String name) {
        return null;
    }

    /**
     * The constants from the run; the kernel's fixes are KeepSender and MigrateRequests, FALSE where
     * the run's kernel has them removed ({@link l4smp.kernel.RemovedFix}), so that the check goes on
     * to the invariant the race breaks (LockTarget: see the mapping).
     */
    @Override
    public String config(List<String> invariants, String moduleName) {
        StringBuilder cfg = new StringBuilder("\\* generated by l4smp from a kernel run: its CPUs, receiver, senders, migrations\n");
        cfg.append("CONSTANTS\n    Nil = Nil\n");
        List<String> cpus = TlaNames.cpuNames(survey.cpus());
        cfg.append("    CPU = {").append(String.join(", ", cpus)).append("}\n");
        cfg.append("    Thread = {").append(String.join(", ", threads.stream().map(survey::name).toList())).append("}\n");
        cfg.append("    Receiver = ").append(survey.name(receiver)).append('\n');
        cfg.append("    OpenReceive = ").append(openReceive ? "TRUE" : "FALSE").append('\n');
        cfg.append("    MaxMigrations = ").append(migrations).append('\n');
        cfg.append("    LockTarget = FALSE\n");
        for (String fix : List.of("KeepSender", "MigrateRequests")) {
            boolean removed = run.removedFixes().stream().anyMatch(f -> f.specConstant().equals(fix));
            cfg.append("    ").append(fix).append(removed ? " = FALSE\n" : " = TRUE\n");
        }
        cfg.append(TlaNames.behaviourAndInvariants("Init", invariants));
        return cfg.toString();
    }

    @Override
    public Trace trace() {
        history = new IpcHistory(names, threads);
        how.clear();
        rcvd.clear();
        nmig = 0;
        inboxXp = false;
        List<TraceState> states = new ArrayList<>();
        KernelSnapshot before = run.initial();
        states.add(new TraceState(state(before, null), null));
        origin.clear();
        origin.add(0);
        int kernelStep = 0;
        for (KernelRun.Step s : run.steps()) {
            kernelStep++;
            Map<String, TlaValue> previous = states.get(states.size() - 1).values();
            step(before, s.step(), s.after(), previous, states);
            while (origin.size() < states.size()) {
                origin.add(kernelStep);
            }
            before = s.after();
        }
        return new Trace(VARIABLES, states, null, null, Map.of("source", "l4smp kernel run", "spec", MODULE));
    }

    @Override
    public int kernelStep(int state) {
        return origin.get(Math.min(state, origin.size() - 1));
    }

    /** Appends the states of one kernel step: one, or two for a sender's XP send path. */
    private void step(KernelSnapshot before, KernelStep step, KernelSnapshot after, Map<String, TlaValue> previous,
                      List<TraceState> out) {
        history.step(before, after);
        ActionLabel label = label(step, before, after, previous);
        Map<String, TlaValue> next = state(after, step);
        if (label == null) {
            next.put("by", previous.get("by"));
        } else if (label.name().equals("SenderTrigger")) {
            ThreadId s = subject(step, PathSegment.XCPU_SEND);
            Map<String, TlaValue> checked = new LinkedHashMap<>(previous);
            checked.put("phase", update(previous.get("phase"), names.thread(s), TlaValue.str("checked")));
            checked.put("seen", update(previous.get("seen"), names.thread(s), TlaNames.cpu(after.thread(receiver).cpu())));
            checked.put("by", TlaNames.cpu(step.cpu()));
            out.add(new TraceState(checked, action("SenderCheck", "s", names.thread(s), "f", TlaValue.of(false))));
        }
        out.add(new TraceState(next, label));
    }

    private static TlaValue update(TlaValue function, TlaValue key, TlaValue value) {
        Map<TlaValue, TlaValue> f = new LinkedHashMap<>(((TlaValue.Fun) function).mapping());
        f.put(key, value);
        return TlaValue.fun(f);
    }

    private static ThreadId subject(KernelStep step, PathSegment seg) {
        return step.subjects().get(step.segments().indexOf(seg));
    }

    // ---- the abstraction function ----

    private Map<String, TlaValue> state(KernelSnapshot s, KernelStep step) {
        Map<TlaValue, TlaValue> cpu = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> st = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> partner = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> sendQ = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> proxy = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> xpCc = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> mb = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> dnm = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> phase = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> cc = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> inbox = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> perSender = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> falses = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> hows = new LinkedHashMap<>();
        for (ThreadId id : threads) {
            TlaValue t = names.thread(id);
            ThreadSnap snap = s.thread(id);
            boolean hidden = history.hidden(snap);
            MailboxView m = hidden || id.equals(receiver) ? null : s.mailboxOf(id);
            cpu.put(t, TlaNames.cpu(snap == null ? survey.homeOf(id) : snap.cpu()));
            st.put(t, TlaValue.str(hidden ? ThreadState.READY.label() : XpIpcAbstraction.threadState(snap, m)));
            // the kernel also names the receiver as the partner of a sender its proxy queues (XpIpc's
            // "from TCB.partner = B"); XpMigration keeps that in Px(s)'s partner alone
            partner.put(t, snap == null || hidden || m != null ? TlaNames.NIL : names.thread(snap.partner()));
            sendQ.put(t, TlaValue.seq(snap == null ? List.of() : snap.sendQueue().stream().filter(senders::contains)
                    .map(names::thread).toList()));
            dnm.put(t, TlaNames.NIL);
            IpcHistory.Seen h = history.of(id);
            boolean inIpc = history.inIpc(snap);
            phase.put(t, TlaValue.str(phase(id, h, inIpc)));
            cc.put(t, TlaNames.code(h.code));
            boolean holds = id.equals(receiver) && snap != null && snap.holdsDelivery();
            inbox.put(t, holds ? TlaValue.seq(TlaValue.seq(names.thread(snap.ipc().receivedFrom()), TlaValue.of(inboxXp)))
                    : TlaValue.seq());
            if (id.equals(receiver)) {
                continue;
            }
            proxy.put(t, snap == null || hidden || snap.proxy().isNil() ? TlaNames.NIL : px(id));
            xpCc.put(t, TlaNames.code(snap == null || hidden ? CompletionCode.NONE : snap.xpCc()));
            mb.put(t, m == null ? TlaNames.NIL : mailbox(m));
            perSender.put(t, TlaNames.NIL);
            falses.put(t, TlaValue.of(false));
            hows.put(t, TlaValue.str(how.getOrDefault(id, "none")));
            ProxyView working = m == null || !m.kind().equals("xp_send") ? null : XpIpcAbstraction.workingOn(s, m);
            boolean current = working != null && working.current() == m.id();
            st.put(px(id), TlaValue.str(m == null || !m.kind().equals("xp_send") || m.flagged() ? "waiting"
                    : current ? working.state().label() : "ready"));
            partner.put(px(id), current ? names.thread(working.partner()) : TlaNames.NIL);
        }
        Map<String, TlaValue> v = new LinkedHashMap<>();
        v.put("cpu", TlaValue.fun(cpu));
        v.put("st", TlaValue.fun(st));
        v.put("partner", TlaValue.fun(partner));
        v.put("sendQ", TlaValue.fun(sendQ));
        v.put("proxy", TlaValue.fun(proxy));
        v.put("xpCc", TlaValue.fun(xpCc));
        v.put("mb", TlaValue.fun(mb));
        v.put("dnm", TlaValue.fun(dnm));
        v.put("seen", TlaValue.fun(perSender));
        v.put("fault", TlaValue.fun(falses));
        v.put("phase", TlaValue.fun(phase));
        v.put("cc", TlaValue.fun(cc));
        v.put("inbox", TlaValue.fun(inbox));
        v.put("how", TlaValue.fun(hows));
        v.put("reported", TlaValue.fun(perSender));
        v.put("rcvd", TlaValue.seq(rcvd));
        v.put("nmig", TlaValue.of(nmig));
        v.put("by", step == null ? TlaNames.NIL : TlaNames.cpu(step.cpu()));
        return v;
    }

    private String phase(ThreadId id, IpcHistory.Seen h, boolean inIpc) {
        if (inIpc) {
            return "blocked";
        }
        if (id.equals(receiver)) {
            return rcvd.size() == senders.size() ? "done" : "user";
        }
        return h.ipcs == 0 ? "user" : "done";
    }

    private TlaValue px(ThreadId s) {
        return TlaValue.seq(TlaValue.str("proxy"), names.thread(s));
    }

    private TlaValue mailbox(MailboxView m) {
        String state = m.kind().equals("xp_reply") ? "reply" : m.flagged() ? "request" : "linked";
        return TlaValue.rec("state", TlaValue.str(state), "cpu", TlaNames.cpu(m.targetCpu()), "to", names.thread(m.dest()));
    }

    // ---- step labels (and the history they write) ----

    private ActionLabel label(KernelStep step, KernelSnapshot before, KernelSnapshot after, Map<String, TlaValue> previous) {
        ThreadSnap r0 = before.thread(receiver);
        ThreadSnap r1 = after.thread(receiver);
        if (r1 != null && r1.holdsDelivery() && (r0 == null || !r0.holdsDelivery())) {
            inboxXp = step.segments().contains(PathSegment.PROXY_XP_SEND) || step.segments().contains(PathSegment.PROXY_ACTIVATED);
        }
        ThreadId moved = migrates(step);
        if (moved != null) {
            nmig++;
            return action("Migrate", "t", names.thread(moved), "d", TlaNames.cpu(after.thread(moved).cpu()));
        }
        for (int i = 0; i < step.segments().size(); i++) {
            PathSegment seg = step.segments().get(i);
            ThreadId subject = step.subjects().get(i);
            boolean cpuWide = seg == PathSegment.XCPU_IPI || seg == PathSegment.XCPU_CHECK_AND_ACK;
            if (!cpuWide && !threads.contains(subject)) {
                continue;
            }
            TlaValue t = names.thread(subject);
            switch (seg) {
                case XCPU_SEND:
                    how.put(subject, "xp");
                    return action("SenderTrigger", "s", t);
                case XCPU_XP_RETURN: return action("SenderXpReturn", "s", t);
                case PROXY_ACTIVATED: return action("ProxyTransfer", "s", t);
                case PROXY_XP_SEND: return action("ProxyXpSendPath", "s", t);
                case SEND_WOKEN: return action("SenderTransfer", "s", t);
                case RECEIVE_COMPLETE:
                    rcvd.add(TlaValue.seq(names.thread(r0.ipc().receivedFrom()), TlaValue.of(inboxXp)));
                    return action("ReceiverReturn");
                case XCPU_IPI, XCPU_CHECK_AND_ACK:
                    if (!mailboxes(before).equals(mailboxes(after))) {
                        return action("CheckAndAck", "c", TlaNames.cpu(step.cpu()));
                    }
                    break;
                default:
                    break;
            }
        }
        ThreadId actor = step.subjects().isEmpty() ? ThreadId.NIL : step.subjects().get(0);
        ThreadSnap was = before.thread(actor);
        ThreadSnap now = after.thread(actor);
        if (threads.contains(actor) && was != null && now != null && now.ipcCount() > was.ipcCount()
                && !history.of(actor).hiddenNow) {
            if (actor.equals(receiver)) {
                return action("ReceiverReceive");
            }
            how.put(actor, "local");
            return action("SenderCheck", "s", names.thread(actor), "f", TlaValue.of(false));
        }
        return null;
    }

    /** The senders' mailboxes as {@code mb} shows them: check_n_ack changes them when it links requests. */
    private List<TlaValue> mailboxes(KernelSnapshot s) {
        List<TlaValue> out = new ArrayList<>();
        for (ThreadId id : senders) {
            MailboxView m = s.mailboxOf(id);
            out.add(m == null ? TlaNames.NIL : mailbox(m));
        }
        return out;
    }

    private static ActionLabel action(String name, Object... parameters) {
        return XpIpcAbstraction.action(name, parameters);
    }
}
