package l4smp.specs;

import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.trace.TlaValue;
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
 * The bug configurations of ProxyWakeup and MigrationBarriers: TLC finds the bug, and the
 * counterexample's last state is the one docs/specs.md
 * describe; each counterexample exports to ITF and HTML.
 */
class MechanismCounterexamplesTest {
    private static final TlaValue NIL = model("Nil");
    private static final TlaValue A = model("A");
    private static final TlaValue B = model("B");
    private static final TlaValue PROXY_AB = TlaValue.seq(model("a"), model("b"));
    private static final TlaValue M = model("m");

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
    void withoutBarrierTwoTheTargetLinksTheThreadWhileTheSourceRingStillLeadsToIt() throws Exception {
        CheckResult r = ModelConfigsTest.check("MigrationBarriers", "MigrationBarriersNoBarrier2");
        assertEquals("NoLostOrDanglingLinksInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(5, r.trace().size());
        TlaValue s = model("s1");
        assertEquals(str("wait3"), at(last, "cPc", s));
        assertTrue(Set.of(str("none"), str("triggered")).contains(at(last, "bPc", s)));
        assertEquals(of(false), at(last, "cpuSet", s));
        TlaValue next = at(last, "next", M);
        assertTrue(next.equals(M) || at(last, "cpu", next).equals(at(last, "dst", s)), "m is linked into the target's ring");
        boolean stillLeadsToM = false;
        for (TlaValue t : List.of(model("s1"), model("u"))) {
            stillLeadsToM |= at(last, "cpu", t).equals(at(last, "src", s)) && at(last, "next", t).equals(M);
        }
        assertTrue(stillLeadsToM, "a thread of the source ring still points at m");
    }

    @Test
    void withoutTheWeakBarrierThreeTheFinishedMigrationShowsTheOldCpu() throws Exception {
        CheckResult r = ModelConfigsTest.check("MigrationBarriers", "MigrationBarriersNoBarrier3");
        assertEquals("MigrationDoneSeesNewCpuInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(8, r.trace().size());
        TlaValue s = model("s1");
        assertEquals(str("done"), at(last, "cPc", s));
        assertEquals(of(false), at(last, "cpuSet", s));
        assertTrue(Set.of(str("triggered"), str("wait2")).contains(at(last, "bPc", s)));
        assertEquals(at(last, "dst", s), last.get("settled"));
        assertEquals(at(last, "src", s), at(last, "cpu", M), "m's cpu is still the old one");
    }

    @Test
    void migratingTheMigratorRunsTheRestOfItsCallOnTheOtherCpu() throws Exception {
        CheckResult r = ModelConfigsTest.check("MigrationBarriers", "MigrationBarriersMigrateMigrator");
        assertEquals("MigratorStackInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(9, r.trace().size());
        assertEquals(str("return"), at(last, "aPc", M));
        assertEquals(str("done"), at(last, "cPc", M));
        assertEquals(M, at(last, "current", at(last, "dst", M)), "the target CPU runs m");
        assertEquals(at(last, "src", M), at(last, "aCpu", M), "while part A still runs on the source");
        assertEquals(at(last, "dst", M), at(last, "cpu", M));
    }

    @Test
    void twoConcurrentRequestsForOneThreadDeadlockWithoutTheLock() throws Exception {
        CheckResult r = ModelConfigsTest.check("MigrationBarriers", "MigrationBarriersNoLock");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        TraceState last = exported(r.trace()).last();
        assertEquals(7, r.trace().size());
        List<TlaValue> schedulers = List.of(model("s1"), model("s2"));
        for (TlaValue s : schedulers) {
            assertTrue(Set.of(str("wait1"), str("wait2"), str("return")).contains(at(last, "aPc", s)));
            assertNotEquals(str("done"), at(last, "bPc", s));
            assertNotEquals(str("done"), at(last, "cPc", s));
        }
        boolean nested = false;
        for (TlaValue s : schedulers) {
            TlaValue part = at(last, "part", at(last, "aCpu", s));
            nested |= !part.equals(NIL) && schedulers.contains(elements(part).get(0)) && !elements(part).get(0).equals(s);
        }
        assertTrue(nested, "each scheduler's CPU runs the other request's part nested in its call");
    }
}
