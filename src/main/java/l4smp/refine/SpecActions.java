package l4smp.refine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.PathSegment;

/**
 * The actions of each spec a kernel run is checked against, for coverage: every action of the
 * spec's Next, the variants of its enabling condition where the spec splits it (the branches of
 * its IF, each told by the kernel path segment that takes it), and for an action the kernel
 * cannot take, why.
 */
public final class SpecActions {
    /** The variant of an action the spec does not split. */
    public static final String ANY = "-";

    /**
     * @param variants    the branches: name -> the path segment a kernel step that takes it runs
     *                    (null for an action of a spec checked over the whole recorded run, whose
     *                    branch {@code byState} tells)
     * @param unreachable why the kernel never takes this action, or null
     * @param byState     for a spec checked over the whole run: the branch a step took, from its
     *                    label and the state after it; null otherwise
     */
    public record Action(String name, Map<String, PathSegment> variants, String unreachable,
                         java.util.function.BiFunction<l4smp.trace.ActionLabel, l4smp.trace.TraceState, String> byState) {
    }

    private SpecActions() {
    }

    private static final String DIRECT = "Variant \"Direct\" only: the kernel sends through proxies (no fault switch removes them yet)";
    private static final String NAIVE = "Variants \"Naive\" and \"PartnerLock\" only: the kernel implements \"Proxy\" (§8.3.5)";
    private static final String ICR = "a stalled ICR's retry (Apic.sendIpi waiting for a free slot) is the machine's, not a kernel "
            + "step: the abstraction labels no step with it, and with IpiOnlyIfUnacked (§8.3.4) no generated run stalled an ICR";
    private static final String SAVE_FIRST = "SaveContextFirst = FALSE only (§8.7.2's literal order): the kernel saves t1's "
            + "context and switches away in the step that publishes its CPU number (SourcePassBarrier2)";
    private static final String NO_IPC = "a run with IPC is outside the abstraction's scope (IPC during a migration, §8.5, "
            + "is XpMigration's): no thread of a checked run is woken by an IPC";
    private static final String NO_COPY = "TempProxyCopy = FALSE only: the kernel copies the proxy pointer (no fault switch removes the copy yet)";

    private static final Map<String, List<Action>> ACTIONS = Map.of(
            "XpIpc", List.of(
                    split("ThreadReceive", "waits", PathSegment.RECEIVE_WAIT, "timeout 0", PathSegment.RECEIVE_TIMEOUT,
                            "activates its sender", PathSegment.RECEIVE_WAKE_SENDER,
                            "activates the sender's proxy", PathSegment.RECEIVE_ACTIVATE_PROXY),
                    split("ThreadSendLocal", "transfers", PathSegment.TRANSMIT_SHORT, "timeout 0", PathSegment.SEND_TIMEOUT,
                            "polls", PathSegment.SEND_ENQUEUE),
                    plain("ThreadSendRemote"), plain("SenderTransfer"), plain("ReceiverReturn"),
                    split("CheckAndAck", "IPI handler", PathSegment.XCPU_IPI, "kernel exit", PathSegment.XCPU_CHECK_AND_ACK),
                    split("ProxyXpSendPath", "transfers", PathSegment.PROXY_TRANSFER, "timeout 0", PathSegment.PROXY_SEND_TIMEOUT,
                            "polls", PathSegment.PROXY_POLL),
                    plain("ProxyTransfer"), plain("SenderXpReturn"),
                    plain("TimerExpireReceiver"), plain("TimerExpireSender"), plain("TimerExpireProxy"),
                    unreachable("ThreadCheckRemote", DIRECT), unreachable("ThreadActRemote", DIRECT),
                    // Events (§8.4.2, §8.4.3): lthread_ex_regs aborts and page-fault timeouts of long copies
                    plain("AbortCancel"), plain("AbortTransfer"), plain("AbortXpSender"), plain("ProxyCancel"),
                    plain("ProxyTransferFails")),
            "ProxyWakeup", List.of(
                    plain("SenderXpSend"), plain("SenderXpReturn"),
                    split("ReceiverReceive", "waits", PathSegment.RECEIVE_WAIT, "timeout 0", PathSegment.RECEIVE_TIMEOUT,
                            "activates the sender's proxy", PathSegment.RECEIVE_ACTIVATE_PROXY),
                    unreachable("ReceiverRecheckPolling", NO_COPY), unreachable("ReceiverRecheckPartner", NO_COPY),
                    unreachable("ReceiverActivateReread", NO_COPY),
                    plain("TimerReceiveTimeout"),
                    split("ProxyXpSendPath", "transmits", PathSegment.PROXY_TRANSFER, "timeout 0", PathSegment.PROXY_SEND_TIMEOUT,
                            "polls", PathSegment.PROXY_POLL),
                    plain("ProxyTransmitActivated"), plain("TimerSendTimeout"), plain("ProxySleep"),
                    plain("CpuIpiHandler"), plain("CpuCheckAndAck"), unreachable("CpuIcrRetry", ICR),
                    // operation mailboxes (§8.3.4, §8.4.3): lthread_ex_regs, thread_schedule, task deletion, TLB shootdown
                    plain("OpPost"), plain("OpProxyPerform"), plain("OpCallerReturn")),
            "UhligRace", List.of(
                    plain("SenderXpSend"), plain("CheckAndAck"),
                    split("ProxyXpSendPath", "transfers", PathSegment.PROXY_TRANSFER, "polls", PathSegment.PROXY_POLL),
                    plain("ProxyTransfer"), plain("SenderXpReturn"),
                    split("ReceiverReceive", "waits", PathSegment.RECEIVE_WAIT,
                            "activates the sender's proxy", PathSegment.RECEIVE_ACTIVATE_PROXY),
                    plain("ReceiverReturn"),
                    unreachable("SenderEnter", NAIVE), unreachable("SenderCheck", NAIVE), unreachable("SenderAct", NAIVE),
                    unreachable("SenderTransfer", NAIVE), unreachable("ReceiverEnter", NAIVE),
                    unreachable("ReceiverCheck", NAIVE), unreachable("ReceiverAct", NAIVE),
                    unreachable("CpuTakeIpi", NAIVE), unreachable("CpuLeaveIpi", NAIVE)),
            // checked over whole recorded runs (conform.migration), not step by step
            "MigrationBarriers", List.of(
                    plain("SchedulerIssue"), byState("SchedulerCall", SpecActions::schedulerCall, "nothing to move", "A = B",
                            "A = C", "A apart"), plain("SchedulerPassBarrier1"),
                    plain("SchedulerPassBarrier2"), plain("SchedulerReturn"), plain("SourceEnter"),
                    plain("SourcePassBarrier2"), unreachable("SourceSwitch", SAVE_FIRST), plain("TargetEnter"),
                    plain("TargetPassBarrier2"), plain("TargetPassBarrier3"), plain("ThreadBlock"), plain("ThreadYield"),
                    plain("TimerWakeup"), unreachable("IpcWakeup", NO_IPC), plain("DispatcherSwitch"),
                    plain("DispatcherDropWaiting")),
            "XpMigration", List.of(
                    plain("SenderCheck"), plain("SenderTrigger"), plain("SenderTransfer"), plain("SenderXpReturn"),
                    plain("CheckAndAck"), plain("ProxyXpSendPath"), plain("ProxyTransfer"), plain("ReceiverReceive"),
                    plain("ReceiverReturn"), plain("Migrate")));

    /** The actions of {@code spec} (none for a spec registered without a list). */
    public static List<Action> of(String spec) {
        for (Map.Entry<String, List<Action>> e : ACTIONS.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(spec.toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /**
     * Which variant of {@code action}, labelled {@code label}, the step into state {@code after} of
     * a whole-run check took ({@link #ANY} if the spec does not split it or the state does not tell).
     */
    static String variant(String spec, l4smp.trace.ActionLabel label, l4smp.trace.TraceState after) {
        for (Action a : of(spec)) {
            if (a.name().equals(label.name()) && a.byState() != null) {
                String v = a.byState().apply(label, after);
                return v == null ? ANY : v;
            }
        }
        return ANY;
    }

    /**
     * MigrationBarriers' SchedulerCall(s) splits on where t1 is (§8.7.2): nothing to do (t1 is the
     * caller, or on the target CPU already), A = B (A deletes t1 itself, no IPI to B), A = C (no
     * IPI to C), or A apart from both. The state after the call tells which: A done at once; B's
     * or C's part not triggered.
     */
    private static String schedulerCall(l4smp.trace.ActionLabel label, l4smp.trace.TraceState after) {
        l4smp.trace.TlaValue s = label.parameters().get("s");
        String a = at(after, "aPc", s);
        String b = at(after, "bPc", s);
        String c = at(after, "cPc", s);
        if (a == null || b == null || c == null) {
            return null;
        }
        return a.equals("done") ? "nothing to move" : b.equals("none") ? "A = B" : c.equals("none") ? "A = C" : "A apart";
    }

    /** The string {@code variable[key]} of state {@code state}, or null. */
    private static String at(l4smp.trace.TraceState state, String variable, l4smp.trace.TlaValue key) {
        if (key == null || !(state.get(variable) instanceof l4smp.trace.TlaValue.Fun f)
                || !(f.mapping().get(key) instanceof l4smp.trace.TlaValue.Str str)) {
            return null;
        }
        return str.value();
    }

    /** Which variant of {@code action} kernel step {@code step} took ({@link #ANY} if the spec does not split it). */
    static String variant(String spec, String action, KernelStep step) {
        for (Action a : of(spec)) {
            if (a.name().equals(action)) {
                for (Map.Entry<String, PathSegment> v : a.variants().entrySet()) {
                    if (step.ran(v.getValue())) {
                        return v.getKey();
                    }
                }
            }
        }
        return ANY;
    }

    private static Action plain(String name) {
        return new Action(name, Map.of(), null, null);
    }

    private static Action unreachable(String name, String why) {
        return new Action(name, Map.of(), why, null);
    }

    private static Action byState(String name, java.util.function.BiFunction<l4smp.trace.ActionLabel, l4smp.trace.TraceState,
            String> told, String... variants) {
        Map<String, PathSegment> v = new LinkedHashMap<>();
        for (String variant : variants) {
            v.put(variant, null);
        }
        return new Action(name, java.util.Collections.unmodifiableMap(v), null, told);
    }

    private static Action split(String name, Object... variants) {
        Map<String, PathSegment> v = new LinkedHashMap<>();
        for (int i = 0; i < variants.length; i += 2) {
            v.put((String) variants[i], (PathSegment) variants[i + 1]);
        }
        return new Action(name, v, null, null);
    }
}
