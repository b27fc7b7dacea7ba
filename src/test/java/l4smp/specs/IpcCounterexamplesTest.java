package l4smp.specs;

import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import l4smp.trace.format.HtmlFormat;
import l4smp.trace.format.Itf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static l4smp.specs.TraceValues.at;
import static l4smp.specs.TraceValues.elements;
import static l4smp.specs.TraceValues.field;
import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bug and witness configurations of XpIpc and UhligRace: TLC finds the bug the thesis describes, and the
 * counterexample shows it (the end states in docs/specs.md); each
 * counterexample exports to ITF and HTML.
 */
class IpcCounterexamplesTest {
    private static final TlaValue NIL = model("Nil");

    @Test
    void theUhligRaceEndsWithTheSenderPollingAndTheReceiverWaitingForEachOther() throws Exception {
        CheckResult r = ModelConfigsTest.check("UhligRace", "UhligRaceNaive");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        Trace t = exported(r.trace());
        assertEquals(9, t.size());
        assertEquals(List.of("SenderEnter", "ReceiverEnter", "SenderCheck", "ReceiverCheck", "SenderAct", "ReceiverAct",
                "CpuTakeIpi", "CpuTakeIpi"), t.actionNames());
        TraceState last = t.last();
        TlaValue s1 = model("s1");
        TlaValue rcv = model("r");
        assertEquals(str("polling"), at(last, "st", s1));
        assertEquals(rcv, at(last, "partner", s1));
        assertEquals(TlaValue.seq(s1), at(last, "sendQ", rcv));
        assertEquals(str("waiting"), at(last, "st", rcv));
        assertEquals(s1, at(last, "partner", rcv));
        assertEquals(TlaValue.seq(), at(last, "inbox", rcv));
        for (TlaValue c : List.of(model("c1"), model("c2"))) {
            assertEquals(TlaValue.set(), at(last, "ipi", c), "nothing in flight");
            assertEquals(NIL, at(last, "spin", c));
        }
    }

    @Test
    void theClashPutsTwoMessagesIntoOneOpenReceiver() throws Exception {
        CheckResult r = ModelConfigsTest.check("UhligRace", "UhligRaceClash");
        assertEquals("OneIpcPerReceiverInv", r.violated());
        TraceState last = exported(r.trace()).last();
        TlaValue rcv = model("r");
        assertEquals(str("locked_waiting"), at(last, "st", rcv));
        List<TlaValue> inbox = elements(at(last, "inbox", rcv));
        assertEquals(2, inbox.size());
        assertNotEquals(inbox.get(0), inbox.get(1));
    }

    @Test
    void directRemoteChangesLoseTheWakeup() throws Exception {
        CheckResult r = ModelConfigsTest.check("XpIpc", "XpIpcDirectLostWakeup");
        assertEquals("NoLostWakeupInv", r.violated());
        Trace t = exported(r.trace());
        assertEquals(List.of("ThreadCheckRemote", "ThreadReceive", "ThreadActRemote"), t.actionNames());
        assertLostWakeup(t.last());
    }

    @Test
    void directRemoteChangesLetTwoSendersTransferIntoOneReceiver() throws Exception {
        CheckResult r = ModelConfigsTest.check("XpIpc", "XpIpcDirectClash");
        assertEquals("OneIpcPerReceiverInv", r.violated());
        TraceState last = exported(r.trace()).last();
        TlaValue receiver = receiverWithTwoMessages(last);
        assertEquals(str("open_receive"), field(at(last, "args", receiver), "op"));
        for (TlaValue m : elements(at(last, "inbox", receiver))) {
            TlaValue sender = elements(m).get(0);
            assertEquals(str("ok"), at(last, "cc", sender), "both senders are told ok");
            assertEquals(NIL, at(last, "args", sender));
        }
    }

    @Test
    void directRemoteChangesViolateLivenessByTheSameRace() throws Exception {
        CheckResult r = ModelConfigsTest.check("XpIpc", "XpIpcDirectLiveness");
        assertEquals("SendCompletesProp", r.violated());
        Trace t = exported(r.trace());
        assertTrue(t.endsStuttering(), "the lost wakeup stutters forever");
        assertLostWakeup(t.last());
    }

    @Test
    void theLiteralNaiveProtocolHangsBeforeEitherPathChecks() throws Exception {
        CheckResult r = ModelConfigsTest.check("UhligRace", "UhligRaceNaiveAck");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        Trace t = exported(r.trace());
        assertEquals(List.of("SenderEnter", "ReceiverEnter"), t.actionNames());
        TraceState last = t.last();
        TlaValue s1 = model("s1");
        TlaValue rcv = model("r");
        assertEquals(str("entered"), at(last, "phase", s1));
        assertEquals(str("entered"), at(last, "phase", rcv));
        assertEquals(TlaValue.set(s1), at(last, "ipi", at(last, "cpu", rcv)), "each IPI is pending");
        assertEquals(TlaValue.set(rcv), at(last, "ipi", at(last, "cpu", s1)), "at a CPU with interrupts disabled");
    }

    @Test
    void anXpSenderWithItsOwnTimeoutIsToldTimeoutAlthoughItsMessageArrives() throws Exception {
        CheckResult r = ModelConfigsTest.check("XpIpc", "XpIpcSenderTimeout");
        assertEquals("SendResultInv", r.violated());
        Trace t = exported(r.trace());
        assertEquals(List.of("ThreadReceive", "ThreadSendRemote", "CheckAndAck", "TimerExpireXpSender", "ProxyXpSendPath"),
                t.actionNames());
        TraceState last = t.last();
        TlaValue sender = model("t2");
        TlaValue receiver = model("t1");
        assertEquals(str("send_timeout"), at(last, "cc", sender));
        assertEquals(NIL, at(last, "args", sender), "the sender has left its IPC");
        assertEquals(TlaValue.seq(TlaValue.seq(sender, TlaValue.of(1))), at(last, "inbox", receiver),
                "and its proxy delivered the message");
    }

    @Test
    void aProxyWaitingInsteadOfPollingIsNeverFoundByTheReceiver() throws Exception {
        CheckResult r = ModelConfigsTest.check("XpIpc", "XpIpcWaitingProxy");
        assertEquals("SendCompletesProp", r.violated());
        Trace t = exported(r.trace());
        assertTrue(t.endsStuttering());
        assertEquals(List.of("ThreadSendRemote", "CheckAndAck", "ProxyXpSendPath", "ThreadReceive"), t.actionNames());
        TraceState last = t.last();
        TlaValue sender = model("t2");
        TlaValue proxy = TlaValue.seq(str("proxy"), sender);
        assertEquals(str("waiting"), at(last, "st", proxy), "the proxy waits in `waiting`");
        assertEquals(model("t1"), at(last, "partner", proxy));
        assertEquals(str("waiting"), at(last, "st", model("t1")), "and so does the receiver");
        assertEquals(TlaValue.seq(sender), at(last, "sendQ", model("t1")));
    }

    @Test
    void aZeroTimeoutReceiveMissesARequestWhoseProxyHasNotRun() throws Exception {
        CheckResult r = ModelConfigsTest.check("XpIpc", "XpIpcZeroReceiveMissesProxy");
        assertEquals("DebugZeroReceiveMissesProxy", r.violated());
        Trace t = exported(r.trace());
        assertEquals(List.of("ThreadSendRemote", "ThreadReceive"), t.actionNames());
        TraceState last = t.last();
        assertEquals(str("receive_timeout"), at(last, "cc", model("t2")));
        assertEquals(str("request"), field(at(last, "mb", model("t1")), "state"));
    }

    private static void assertLostWakeup(TraceState last) {
        TlaValue s = null;
        for (TlaValue t : List.of(model("t1"), model("t2"))) {
            if (at(last, "st", t).equals(str("polling"))) s = t;
        }
        assertTrue(s != null, "a sender polls");
        TlaValue rcv = at(last, "partner", s);
        assertNotEquals(at(last, "cpu", s), at(last, "cpu", rcv));
        assertEquals(TlaValue.seq(s), at(last, "sendQ", rcv));
        assertEquals(str("waiting"), at(last, "st", rcv));
        assertEquals(s, at(last, "partner", rcv), "the receiver waits for the sender that polls for it");
        assertEquals(str("send"), field(at(last, "args", s), "op"));
        assertEquals(str("receive"), field(at(last, "args", rcv), "op"));
        assertEquals(NIL, at(last, "mb", s), "no mailbox in flight");
        assertEquals(NIL, at(last, "proxy", s));
    }

    private static TlaValue receiverWithTwoMessages(TraceState last) {
        for (TlaValue t : List.of(model("t1"), model("t2"), model("t3"))) {
            if (elements(at(last, "inbox", t)).size() == 2) return t;
        }
        throw new AssertionError("no thread received two messages: " + last.get("inbox"));
    }

    /** The counterexample written as ITF and read back (it must be equal), and rendered as HTML. */
    static Trace exported(Trace t) throws Exception {
        Trace back = Itf.read(Itf.write(t));
        assertEquals(t, back);
        String html = HtmlFormat.write(t);
        assertTrue(html.contains("<td class=\"idx\">" + (t.size() - 1) + "</td>"));
        return back;
    }
}
