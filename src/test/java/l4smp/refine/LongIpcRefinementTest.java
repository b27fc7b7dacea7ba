package l4smp.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.tlc.Project;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import l4smp.tlc.TraceVerdict;
import org.junit.jupiter.api.Test;

/**
 * Long IPC across CPUs with page faults (§8.4.2) against XpIpc and ProxyWakeup, which model
 * neither: the proxy's copy steps, the faults and the redo-fault round trip are stuttering steps
 * for them, the transfer is the step that ends the copy ({@link LongTransfers}), and the pagers'
 * IPC is hidden. Two scenarios: faults on both sides with the pager on a third CPU
 * (xp-long-ipc-both-faults), and a 3000-byte string copied in several steps with a fault in the
 * receiver's space served on the receiver's CPU (xp-long-ipc-receiver-faults).
 */
class LongIpcRefinementTest {
    private static final Project PROJECT = Project.locate(null);

    private static int ran(KernelRun run, String segment) {
        int n = 0;
        for (KernelRun.Step s : run.steps()) {
            n += (int) s.step().segments().stream().filter(g -> g.label().equals(segment)).count();
        }
        return n;
    }

    /** The index of the state the first step running {@code segment} leads to. */
    private static int firstStateOf(KernelRun run, String segment) {
        for (int i = 0; i < run.steps().size(); i++) {
            if (run.steps().get(i).step().segments().stream().anyMatch(g -> g.label().equals(segment))) {
                return i + 1;
            }
        }
        throw new AssertionError("the run never ran " + segment);
    }

    private static int labelled(Trace trace, String action) {
        for (int i = 1; i < trace.size(); i++) {
            if (trace.state(i).action() != null && trace.state(i).action().name().equals(action)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void faultsOnBothSidesAndTheRedoFaultRoundTripAreStutteringStepsForXpIpc() throws Exception {
        for (long seed : new long[] {0, 3}) {
            KernelRun run = KernelRefinementTest.recordFile("xp-long-ipc-both-faults.json", seed);
            assertTrue(ran(run, "xcpu.proxy.senderFault") >= 1 && ran(run, "xcpu.sender.redoFault") >= 1
                    && ran(run, "ipc.transmitPath.commSpaceFault") >= 1 && ran(run, "pagefault.sendToPager") >= 2,
                    "the run faults on both sides");
            KernelRefinement r = KernelRefinement.check(PROJECT, new XpIpcAbstraction(run));
            assertTrue(r.verdict().accepted(), () -> "seed " + seed + ": " + KernelRefinementTest.explain(r));
            // the transfer is the proxy's last copy step, after the round trip, not its first
            int transfer = labelled(r.trace(), "ProxyXpSendPath");
            assertTrue(transfer > firstStateOf(run, "xcpu.sender.answer"), "transfer at state " + transfer);
            assertTrue(run.steps().get(transfer - 1).step().segments().stream().anyMatch(g -> g.label().equals("xcpu.proxy.copy")));
        }
    }

    @Test
    void proxyWakeupDoesNotApplyOnceTheSendersSpaceFaultsAndSaysWhy() throws Exception {
        KernelRun run = KernelRefinementTest.recordFile("xp-long-ipc-both-faults.json", 0);
        NotApplicable e = assertThrows(NotApplicable.class, () -> new ProxyWakeupAbstraction(run).trace());
        assertTrue(e.getMessage().contains("xcpu.proxy.senderFault") && e.getMessage().contains("redo-fault round trip"),
                e.getMessage());
    }

    @Test
    void aLongCopyInSeveralStepsWithAReceiverFaultRefinesXpIpcAndProxyWakeup() throws Exception {
        for (long seed : new long[] {0, 1, 5}) {
            KernelRun run = KernelRefinementTest.recordFile("xp-long-ipc-receiver-faults.json", seed);
            assertTrue(ran(run, "xcpu.proxy.copy") >= 3, "copied in several steps: " + ran(run, "xcpu.proxy.copy"));
            assertTrue(ran(run, "ipc.transmitPath.redoFault") >= 1, "the receiver redid a fault");
            KernelRefinementTest.refines(run, "XpIpc", "ProxyWakeup");
        }
    }

    /**
     * The abstraction without its window for the receiver: inside the transfer the receiver shows
     * the kernel's locked state. The step that locks it claims no action, so the check rejects it
     * there, naming st.
     */
    @Test
    void aReceiverThatIsNotFrozenDuringTheCopyIsRejectedWhereTheCopyBegins() throws Exception {
        KernelRun run = KernelRefinementTest.recordFile("xp-long-ipc-receiver-faults.json", 0);
        KernelRefinement r = KernelRefinement.check(PROJECT, new XpIpcAbstraction(run));
        assertTrue(r.verdict().accepted(), () -> KernelRefinementTest.explain(r));
        int begin = firstStateOf(run, "xcpu.proxy.copy");
        int end = labelled(r.trace(), "ProxyXpSendPath");
        assertTrue(end > begin + 1, "the copy spans states " + begin + ".." + end);
        TlaValue receiver = TlaValue.model("rcv_main");
        Trace unfrozen = withEntry(r.trace(), "st", receiver, TlaValue.str("locked_waiting"), begin, end);

        TraceVerdict v = recheck(r, unfrozen);
        assertFalse(v.accepted());
        assertEquals(begin, v.failure().index(), v.failure().message());
        assertEquals(null, v.failure().claimed(), "the step claims no action: a stuttering step");
        assertTrue(v.failure().diverging().contains("st"), v.failure().diverging().toString());
    }

    /**
     * The kernel without the partner restored after the sender's redo-fault round trip
     * (TransmitPath.senderFaultDone, before this branch fixed it): the transfer leaves the sender
     * without its partner, which ProxyXpSendPath sets ("from TCB.partner = B").
     */
    @Test
    void aSenderThatLosesItsPartnerInTheRoundTripIsRejectedAtTheTransfer() throws Exception {
        KernelRun run = KernelRefinementTest.recordFile("xp-long-ipc-both-faults.json", 0);
        KernelRefinement r = KernelRefinement.check(PROJECT, new XpIpcAbstraction(run));
        assertTrue(r.verdict().accepted(), () -> KernelRefinementTest.explain(r));
        int transfer = labelled(r.trace(), "ProxyXpSendPath");
        TlaValue sender = TlaValue.model("snd_main");
        assertEquals(TlaValue.model("rcv_main"), entry(r.trace().state(transfer), "partner", sender));
        int end = transfer;
        while (end + 1 < r.trace().size() && r.trace().state(end + 1).action() == null) {
            end++;
        }
        Trace lost = withEntry(r.trace(), "partner", sender, TlaValue.model("Nil"), transfer, end + 1);

        TraceVerdict v = recheck(r, lost);
        assertFalse(v.accepted());
        assertEquals(transfer, v.failure().index(), v.failure().message());
        assertTrue(v.failure().diverging().contains("partner"), v.failure().diverging().toString());
        assertNotNull(v.failure().claimed());
        assertEquals("ProxyXpSendPath", v.failure().claimed().name());
    }

    private static TlaValue entry(TraceState s, String variable, TlaValue key) {
        return ((TlaValue.Fun) s.values().get(variable)).mapping().get(key);
    }

    /** {@code trace} with {@code variable}'s entry for {@code key} set to {@code value} in states from..to-1. */
    private static Trace withEntry(Trace trace, String variable, TlaValue key, TlaValue value, int from, int to) {
        List<TraceState> states = new ArrayList<>(trace.states());
        for (int i = from; i < to; i++) {
            Map<String, TlaValue> values = new LinkedHashMap<>(states.get(i).values());
            Map<TlaValue, TlaValue> f = new LinkedHashMap<>(((TlaValue.Fun) values.get(variable)).mapping());
            f.put(key, value);
            values.put(variable, TlaValue.fun(f));
            states.set(i, new TraceState(values, states.get(i).action()));
        }
        return new Trace(trace.variables(), states, null, null, trace.meta());
    }

    private static TraceVerdict recheck(KernelRefinement r, Trace trace) throws Exception {
        String name = "XpIpcKernelRun";
        try (TraceChecker checker = KernelRefinement.load(PROJECT, "XpIpc", name, r.moduleText(), r.config())) {
            return checker.check(trace);
        }
    }
}
