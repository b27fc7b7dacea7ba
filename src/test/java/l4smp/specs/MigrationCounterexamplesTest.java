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
import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.of;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bug and finding configurations of MigrationBarriers (8.7.2-8.7.4): each fix removed, TLC
 * finds the property docs/specs.md names, and the counterexample has the shape described there.
 */
class MigrationCounterexamplesTest {
    private static final TlaValue NIL = model("Nil");
    private static final TlaValue M = model("m");
    private static final TlaValue S1 = model("s1");
    private static final TlaValue S2 = model("s2");

    private static CheckResult check(String config) throws Exception {
        return ModelConfigsTest.check("MigrationBarriers", config);
    }

    @Test
    void withoutBarrierOneAExchangesWhileTheMigrantRunsOnB() throws Exception {
        CheckResult r = check("MigrationBarriersNoBarrier1");
        assertEquals("RunsAtItsPriorityInv", r.violated());
        Trace t = exported(r.trace());
        assertEquals(6, t.size());
        assertEquals("SchedulerPassBarrier1", t.actionNames().get(t.size() - 2));
        TraceState last = t.last();
        TlaValue b = at(last, "src", S1);
        assertEquals(M, at(last, "current", b), "m runs on B");
        assertEquals(NIL, at(last, "part", b), "in user mode: B has not entered the kernel");
        assertNotEquals(at(last, "prio", M), at(last, "listPrio", M));
    }

    @Test
    void withoutBarrierTwoTheTargetLinksTheThreadWhileTheSourceRingStillLeadsToIt() throws Exception {
        CheckResult r = check("MigrationBarriersNoBarrier2");
        assertEquals("NoLostOrDanglingLinksInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(6, r.trace().size());
        assertEquals(str("wait3"), at(last, "cPc", S1));
        assertTrue(Set.of(str("none"), str("triggered")).contains(at(last, "bPc", S1)), "B has not deleted m");
        TlaValue next = at(last, "next", M);
        assertTrue(next.equals(M) || at(last, "cpu", next).equals(at(last, "dst", S1)), "m is linked into the target's ring");
        boolean stillLeadsToM = false;
        for (TlaValue t : List.of(S1, model("u"))) {
            stillLeadsToM |= at(last, "cpu", t).equals(at(last, "src", S1)) && at(last, "next", t).equals(M);
        }
        assertTrue(stillLeadsToM, "a thread of the source ring still points at m");
    }

    @Test
    void withoutAsSideOfBarrierTwoTheTargetLinksWithTheOldPriority() throws Exception {
        CheckResult r = check("MigrationBarriersNoBarrier2A");
        assertEquals("RunsAtItsPriorityInv", r.violated());
        Trace t = exported(r.trace());
        assertEquals(10, t.size());
        List<String> actions = t.actionNames();
        assertTrue(actions.indexOf("TargetPassBarrier2") < actions.indexOf("SchedulerPassBarrier1"),
                "C links m before A exchanges: " + actions);
        TraceState last = t.last();
        TlaValue c = at(last, "dst", S1);
        assertEquals(3, Set.of(at(last, "aCpu", S1), at(last, "src", S1), c).size(), "A, B and C distinct");
        assertEquals(M, at(last, "current", c));
        assertNotEquals(at(last, "prio", M), at(last, "listPrio", M));
    }

    @Test
    void withoutBarrierThreeTheTargetRunsTheMigrantBeforeItsCpuIsSet() throws Exception {
        CheckResult r = check("MigrationBarriersNoBarrier3");
        assertEquals("CurrentInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(9, r.trace().size());
        TlaValue c = at(last, "dst", S1);
        assertEquals(M, at(last, "current", c));
        assertEquals(NIL, at(last, "part", c), "C is over");
        assertEquals(at(last, "src", S1), at(last, "cpu", M), "m still carries the old cpu");
        assertEquals(of(false), at(last, "cpuSet", S1));
        assertEquals(str("wait2"), at(last, "bPc", S1));
    }

    @Test
    void withoutBarrierThreeTheFinishedMigrationShowsTheOldCpu() throws Exception {
        CheckResult r = check("MigrationBarriersNoBarrier3Cpu");
        assertEquals("MigrationDoneSeesNewCpuInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(9, r.trace().size());
        assertEquals(str("done"), at(last, "cPc", S1));
        assertEquals(of(false), at(last, "cpuSet", S1));
        assertEquals(at(last, "dst", S1), at(last, "settled", M));
        assertEquals(at(last, "src", S1), at(last, "cpu", M), "m's cpu is still the old one");
    }

    @Test
    void theLiteralOrderOfBLetsTwoCpusRunTheMigrant() throws Exception {
        CheckResult r = check("MigrationBarriersLiteralSourceOrder");
        assertEquals("CurrentInv", r.violated());
        Trace t = exported(r.trace());
        assertEquals(12, t.size());
        TraceState last = t.last();
        TlaValue b = at(last, "src", S1);
        TlaValue c = at(last, "dst", S1);
        assertEquals(M, at(last, "current", b), "B has not switched away from m yet");
        assertEquals(M, at(last, "current", c), "C switched to m");
        assertEquals(str("switch"), at(last, "bPc", S1), "between B's cpu number and its switch");
        assertEquals(of(true), at(last, "cpuSet", S1));
    }

    @Test
    void migratingTheMigratorRunsTheRestOfItsCallOnTheOtherCpu() throws Exception {
        CheckResult r = check("MigrationBarriersMigrateMigrator");
        assertEquals("MigratorStackInv", r.violated());
        TraceState last = exported(r.trace()).last();
        assertEquals(10, r.trace().size());
        assertEquals(str("return"), at(last, "aPc", M));
        assertEquals(str("done"), at(last, "cPc", M));
        assertEquals(M, at(last, "current", at(last, "dst", M)), "the target CPU runs m");
        assertEquals(at(last, "src", M), at(last, "aCpu", M), "while part A still runs on the source");
    }

    @Test
    void twoConcurrentRequestsForOneThreadDeadlockWithoutTheLock() throws Exception {
        CheckResult r = check("MigrationBarriersNoLock");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        TraceState last = exported(r.trace()).last();
        assertEquals(9, r.trace().size());
        assertEquals(M, at(last, "tgt", S1));
        assertEquals(M, at(last, "tgt", S2));
        assertCyclicWait(last);
    }

    @Test
    void crossingMigrationsDeadlockWithEveryFixOfTheThesis() throws Exception {
        CheckResult r = check("MigrationBarriersCrossing");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        Trace t = exported(r.trace());
        assertEquals(9, t.size());
        TraceState last = t.last();
        assertEquals(model("m1"), at(last, "tgt", S1));
        assertEquals(model("m2"), at(last, "tgt", S2));
        assertEquals(at(last, "src", S1), at(last, "dst", S2), "the migrations cross");
        assertEquals(at(last, "dst", S1), at(last, "src", S2));
        for (TlaValue s : List.of(S1, S2)) {
            assertEquals(str("wait2"), at(last, "cPc", s), "each C spins at (=2) for its B");
            assertEquals(str("none"), at(last, "bPc", s), "which runs only after its A, on the CPU the other C holds");
        }
        assertCyclicWait(last);
    }

    @Test
    void migratingASchedulerInsideItsCallDeadlocksWithEveryFixOfTheThesis() throws Exception {
        CheckResult r = check("MigrationBarriersMigrateScheduler");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        TraceState last = exported(r.trace()).last();
        assertEquals(9, r.trace().size());
        assertEquals(S1, at(last, "tgt", S2), "s2 moves s1");
        TlaValue a1 = at(last, "aCpu", S1);
        assertEquals(a1, at(last, "src", S2), "from the CPU where s1 is inside its own call");
        assertEquals(S1, at(last, "current", a1));
        assertTrue(Set.of(str("wait1"), str("wait2"), str("return")).contains(at(last, "aPc", S1)));
        assertEquals(TlaValue.seq(S2, str("B")), at(last, "part", a1), "s2's B interrupts s1's call");
        assertCyclicWait(last);
    }

    /** Each CPU runs a part of one request, nested in the call of the other, and no request is done. */
    private static void assertCyclicWait(TraceState last) {
        for (TlaValue s : List.of(S1, S2)) {
            assertNotEquals(str("done"), at(last, "aPc", s));
            TlaValue part = at(last, "part", at(last, "aCpu", s));
            assertNotEquals(NIL, part, "the CPU of " + s + "'s call runs a part");
            assertNotEquals(s, elements(part).get(0), "of the other request");
        }
    }
}
