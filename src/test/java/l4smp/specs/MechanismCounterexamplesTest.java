package l4smp.specs;

import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static l4smp.specs.IpcCounterexamplesTest.exported;
import static l4smp.specs.TraceValues.at;
import static l4smp.specs.TraceValues.elements;
import static l4smp.specs.TraceValues.field;
import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.of;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bug and witness configurations of ProxyWakeup: TLC finds the bug, and the counterexample's
 * last state is the one docs/specs.md describes; each counterexample exports to ITF and HTML.
 * (MigrationBarriers: {@link MigrationCounterexamplesTest}.)
 */
class MechanismCounterexamplesTest {
    private static final TlaValue NIL = model("Nil");
    private static final TlaValue A = model("A");
    private static final TlaValue B = model("B");
    private static final TlaValue PROXY_AB = TlaValue.seq(model("a"), model("b"));

    @Test
    void withoutTheTemporaryCopyTheReceiverDereferencesAClearedProxyPointer() throws Exception {
        CheckResult r = ModelConfigsTest.check("ProxyWakeup", "ProxyWakeupNoTempCopy");
        assertEquals("NoDanglingProxyInv", r.violated());
        List<TraceState> states = exported(r.trace()).states();
        assertEquals(13, states.size());
        TraceState last = states.get(12);
        assertEquals(str("fault"), at(last, "rcvPc", B));
        assertEquals(A, at(last, "rcvFrom", B));
        assertEquals(NIL, at(last, "proxyPtr", A), "the proxy cleared A's pointer between B's two reads");
        assertEquals(of(2), at(last, "pc", B), "in B's second receive");
        assertEquals(TlaValue.seq(str("ok")), at(last, "results", model("C")));
    }

    @Test
    void aLateEoiHangsTheThirdIpi() throws Exception {
        CheckResult r = ModelConfigsTest.check("ProxyWakeup", "ProxyWakeupLateEoi");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        TraceState last = exported(r.trace()).last();
        assertEquals(8, r.trace().size());
        assertEquals(model("b"), at(last, "icr", model("a")), "CPU a spins on a third IPI to b");
        assertEquals(2, elements(at(last, "isr", model("b"))).size(), "two unacknowledged IPIs hold b's slots");
        assertEquals(of(0), at(last, "irr", model("b")));
        assertEquals(str("locked_waiting"), at(last, "st", B));
        assertEquals(of(1), at(last, "pc", B));
        assertEquals(of(1), at(last, "pc", model("A5")));
        assertEquals(str("polling"), at(last, "st", PROXY_AB));
    }

    @Test
    void eoiFirstAloneLetsTwoCpusSpinOnEachOthersFullSlots() throws Exception {
        CheckResult r = ModelConfigsTest.check("ProxyWakeup", "ProxyWakeupThreeIpisEoiOnly");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        TraceState last = exported(r.trace()).last();
        assertEquals(13, r.trace().size());
        assertEquals(model("b"), at(last, "icr", model("a")), "a spins to send a third IPI to b");
        assertEquals(model("a"), at(last, "icr", model("b")), "and b one to a");
        assertEquals(of(2), at(last, "irr", model("a")), "each holds two IPIs it cannot take: its interrupts are off");
        assertEquals(of(2), at(last, "irr", model("b")));
        assertEquals(TlaValue.seq(), at(last, "isr", model("a")), "EOI first: no IPI is in service");
    }

    @Test
    void theAcknowledgeCheckDoesNotStandInForEoiFirst() throws Exception {
        CheckResult r = ModelConfigsTest.check("ProxyWakeup", "ProxyWakeupLateEoiAcked");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        TraceState last = exported(r.trace()).last();
        TlaValue spinner = at(last, "icr", model("a")).equals(NIL) ? model("b") : model("a");
        TlaValue target = at(last, "icr", spinner);
        assertEquals(2, elements(at(last, "isr", target)).size(), "two handled but unacknowledged IPIs hold the slots");
        assertEquals(of(0), at(last, "irr", target), "no IPI is pending: the check sent none while one was");
    }

    @Test
    void withoutTheSenderCheckAClosedReceiveActivatesTheProxyOfAnotherSender() throws Exception {
        CheckResult r = ModelConfigsTest.check("ProxyWakeup", "ProxyWakeupNoSenderCheck");
        assertEquals("ActivatedPairInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(6, r.trace().size());
        assertEquals(str("locked_running"), at(last, "st", PROXY_AB));
        TlaValue current = at(last, "curMb", PROXY_AB);
        assertEquals(model("A2"), field(at(last, "mb", current), "sender"), "the proxy works on A2's mailbox");
        assertEquals(str("locked_waiting"), at(last, "st", B));
        assertEquals(of(1), at(last, "pc", B), "B's closed receive from A1");
    }

    @Test
    void aSharedProxyBlocksTheSecondRequestBehindTheFirst() throws Exception {
        CheckResult r = ModelConfigsTest.check("ProxyWakeup", "ProxyWakeupHeadOfLine");
        assertEquals("DebugHeadOfLineBlocking", r.violated());
        Trace t = exported(r.trace());
        assertEquals(6, t.size(), "check_n_ack links both requests in one step");
        TraceState last = t.last();
        assertEquals(str("polling"), at(last, "st", PROXY_AB));
        TlaValue first = at(last, "firstMb", PROXY_AB);
        TlaValue second = field(at(last, "mb", first), "next");
        assertEquals(model("A2"), field(at(last, "mb", first), "sender"), "the proxy works on A2's request");
        assertEquals(model("A1"), field(at(last, "mb", second), "sender"), "A1's waits behind it");
        assertEquals(str("waiting"), at(last, "st", B));
        assertEquals(model("A1"), at(last, "partner", B), "while B waits for A1");
    }

    @Test
    void withOneProxyPerPairASendWaitsForEverBehindAnotherWhoseReceiverNeverReceives() throws Exception {
        CheckResult r = ModelConfigsTest.check("ProxyWakeup", "ProxyWakeupRefinesXpIpcHeadOfLine");
        assertEquals(Outcome.PROPERTY_VIOLATED, r.outcome());
        assertEquals("XSendCompletesProp", r.violated());
        Trace t = exported(r.trace());
        assertEquals(6, t.size(), "C waits, A1 and A2 send, check_n_ack links both, the proxy polls for B");
        TraceState last = t.last();
        assertEquals(str("polling"), at(last, "st", PROXY_AB));
        TlaValue inWork = at(last, "curMb", PROXY_AB);
        assertEquals(model("A1"), field(at(last, "mb", inWork), "sender"), "the proxy polls for A1's receiver B");
        assertEquals(str("running"), at(last, "st", B), "which never receives");
        TlaValue behind = field(at(last, "mb", inWork), "next");
        assertEquals(model("A2"), field(at(last, "mb", behind), "sender"), "A2's request is linked behind it");
        assertEquals(model("C"), field(at(last, "mb", behind), "dest"));
        assertEquals(str("waiting"), at(last, "st", model("C")));
        assertEquals(model("A2"), at(last, "partner", model("C")), "while C waits for A2");
        assertEquals(str("locked_waiting"), at(last, "st", model("A2")));
        assertEquals(Integer.valueOf(5), r.trace().loopIndex(), "and nothing else happens: the last state stutters for ever");
    }
}
