package l4smp.refine;

import static l4smp.refine.AbortRefinementTest.entry;
import static l4smp.refine.AbortRefinementTest.labelled;
import static l4smp.refine.AbortRefinementTest.last;
import static l4smp.refine.AbortRefinementTest.withEntry;
import static l4smp.refine.AbortRefinementTest.xpIpc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import l4smp.tlc.Project;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.Trace;
import l4smp.trace.TlaValue;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Test;

/**
 * task_new deleting a task whose threads are in IPC with threads of three other CPUs
 * (xp-task-delete, §8.3.5, §8.4.3) against XpIpc with its Events "kill": the deletion begins on the
 * caller's CPU, each CPU's part stops or tells only its own threads, and every partner ends with
 * the code the uniprocessor deletion gives it.
 */
class KillRefinementTest {
    private static final Project PROJECT = Project.locate(null);
    private static final String SCENARIO = "xp-task-delete.json";
    private static final String DEAD = "dead";

    @Test
    void deletingATaskTellsItsPartnersOnOtherCpusAsLocally() throws Exception {
        for (long seed = 0; seed <= 2; seed++) {
            KernelRefinement r = xpIpc(SCENARIO, seed);
            Trace t = r.trace();
            // with "abort" too where a part gives a canceled or aborted code (the abstraction tells codes, not causes)
            assertTrue(r.config().lines().anyMatch(l -> l.contains("Events = {") && l.contains("\"kill\"")), r.config());
            int begins = labelled(t, "DeleteBegins", null);
            int part = labelled(t, "DeletePart", null);
            assertTrue(begins > 0 && part > begins, "seed " + seed + ": begins at " + begins + ", first part at " + part);
            TraceState end = last(t);
            for (String child : List.of("th11_0v3", "th11_1v3", "th11_2v3")) {
                assertEquals(TlaValue.str(DEAD), entry(end, "st", child), "seed " + seed + ": " + child);
            }
            // the remote sender whose proxy polled for the dead receiver, and the caller waiting for its reply
            assertEquals(TlaValue.str("not_existent"), entry(end, "cc", "snd_main"), "seed " + seed);
            assertEquals(TlaValue.str("not_existent"), entry(end, "cc", "cal_main"), "seed " + seed);
            // the dead sender's request was given up at its proxy: nothing reaches its receiver
            assertTrue(canceledAtItsProxy(t, "th11_1v3"), "seed " + seed);
            assertEquals(TlaValue.str("receive_timeout"), entry(end, "cc", "rcv_main"), "seed " + seed);
            assertEquals(TlaNames.NIL, entry(end, "mb", "th11_1v3"), "seed " + seed + ": its reply is freed");
        }
    }

    /** Whether a DeletePart step answered {@code sender}'s request send_canceled (wakeup_sender at its proxy). */
    private static boolean canceledAtItsProxy(Trace t, String sender) {
        for (int i = 1; i < t.size(); i++) {
            var a = t.state(i).action();
            if (a != null && a.name().equals("DeletePart")
                    && entry(t.state(i), "xpCc", sender).equals(TlaValue.str("send_canceled"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller's code after the deletion replaced by receive_canceled (what lthread_ex_regs, not
     * a deletion, gives a waiting receiver): rejected at the part that tells it, naming cc.
     */
    @Test
    void aWrongPartnerCodeAfterADeletionIsRejectedNamingTheVariable() throws Exception {
        KernelRefinement r = xpIpc(SCENARIO, 0);
        int told = -1;
        for (int i = 1; i < r.trace().size() && told < 0; i++) {
            var a = r.trace().state(i).action();
            if (a != null && a.name().equals("DeletePart")
                    && entry(r.trace().state(i), "cc", "cal_main").equals(TlaValue.str("not_existent"))) {
                told = i;
            }
        }
        assertTrue(told > 0, "a part tells the caller");
        Trace wrong = withEntry(r.trace(), "cc", "cal_main", TlaValue.str("receive_canceled"), told);
        TraceVerdict v;
        try (TraceChecker checker = KernelRefinement.load(PROJECT, "XpIpc", "XpIpcKernelRun", r.moduleText(), r.config())) {
            v = checker.check(wrong);
        }
        assertFalse(v.accepted());
        assertEquals(told, v.failure().index(), v.failure().message());
        assertEquals(List.of("cc"), v.failure().diverging(), v.failure().message());
        assertEquals("DeletePart", v.failure().claimed().name());
    }

    /** A run in which no thread dies is checked with "kill" off. */
    @Test
    void aRunWithoutDeathsIsCheckedWithoutKill() throws Exception {
        KernelRefinement r = xpIpc("xp-abort-four-cpus.json", 0);
        assertTrue(r.config().contains("Events = {\"abort\"}"), r.config());
    }

    /** The online check ({@code l4smp pbt conform.specs}): XpIpc follows these runs to their end and accepts them. */
    @Test
    void theOnlineMonitorAcceptsTheRunsToTheirEnd() throws Exception {
        try (SpecCheckers checkers = new SpecCheckers(PROJECT, 4)) {
            String json = java.nio.file.Files.readString(java.nio.file.Path.of("scenarios", SCENARIO));
            for (long seed = 0; seed <= 2; seed++) {
                l4smp.workload.Scenario s = l4smp.workload.ScenarioReader.read(json);
                s = s.withRun(new l4smp.workload.Scenario.RunSpec(s.run().steps(), "random", seed));
                ConformanceCheck.Outcome out = ConformanceCheck.run(s, l4smp.workload.Simulation.scheduler(s), s.run().steps(),
                        List.of("XpIpc"), checkers, ConformanceMonitor.WINDOW);
                ConformanceReport.SpecResult res = out.report().specs().get(0);
                final long sd = seed;
                assertTrue(out.conforms(), () -> "seed " + sd + ": " + res);
                assertEquals(null, res.cut(), "seed " + seed);
                assertTrue(res.actions() > 0, "seed " + seed);
            }
        }
    }
}
