package l4smp.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import l4smp.tlc.Project;
import l4smp.trace.TraceState;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Kernel runs of the migration scenarios are behaviours of MigrationBarriers. */
class MigrationRefinementTest {
    /**
     * The abstraction follows the version of MigrationBarriers with several schedulers and the
     * global migration lock (SerialiseMigrations); an older spec-tla/ lacks them.
     */
    private static void assumeSerialisingSpec() throws Exception {
        Path spec = Project.locate(null).resolveSpec(MigrationBarriersAbstraction.MODULE);
        assumeTrue(Files.readString(spec).contains("SerialiseMigrations"), "spec-tla/MigrationBarriers.tla predates SerialiseMigrations");
    }

    private static KernelRun record(String file, long seed) throws Exception {
        Scenario scenario = ScenarioReader.read(Files.readString(Path.of("scenarios", file)));
        scenario = scenario.withRun(new Scenario.RunSpec(scenario.run().steps(), "random", seed));
        return KernelRefinementTest.record(scenario, scenario.run().steps());
    }

    private static List<String> actions(KernelRefinement r) {
        return r.trace().states().stream().map(TraceState::action).filter(a -> a != null).map(a -> a.name()).toList();
    }

    private static List<String> refined(String file, long seed) throws Exception {
        KernelRun run = record(file, seed);
        KernelRefinement r = KernelRefinement.check(Project.locate(null), new MigrationBarriersAbstraction(run));
        assertTrue(r.verdict().accepted(), () -> file + ", seed " + seed + ": " + KernelRefinementTest.explain(r));
        return actions(r);
    }

    @Test
    void crossingMigrationsRefineMigrationBarriers() throws Exception {
        assumeSerialisingSpec();
        crossing(2);
    }

    private static void crossing(int seeds) throws Exception {
        for (long seed = 1; seed <= seeds; seed++) {
            List<String> actions = refined("migrate-crossing.json", seed);
            assertEquals(2, actions.stream().filter("SourcePassBarrier2"::equals).count(), "seed " + seed + ": " + actions);
            assertEquals(2, actions.stream().filter("TargetPassBarrier3"::equals).count(), "seed " + seed);
            assertEquals(2, actions.stream().filter("SchedulerReturn"::equals).count(), "seed " + seed);
        }
    }

    @Test
    void aMovedSleeperAndMigratedSchedulersRefineMigrationBarriers() throws Exception {
        assumeSerialisingSpec();
        sleeperAndSchedulers(1);
    }

    /** Twenty seeds of each scenario (a few minutes). */
    @Test
    @Tag("slow")
    void everyMigrationScenarioRefinesMigrationBarriersUnderTwentySeeds() throws Exception {
        assumeSerialisingSpec();
        crossing(20);
        sleeperAndSchedulers(20);
    }

    private static void sleeperAndSchedulers(int seeds) throws Exception {
        for (long seed = 1; seed <= seeds; seed++) {
            List<String> sleeper = refined("migrate-sleeper.json", seed);
            assertTrue(sleeper.contains("TimerWakeup"), "the sleeper's timeout fires, seed " + seed);
            assertEquals(2, sleeper.stream().filter("TargetPassBarrier2"::equals).count());
            List<String> schedulers = refined("migrate-schedulers.json", seed);
            assertEquals(2, schedulers.stream().filter("SchedulerReturn"::equals).count(), "seed " + seed + ": " + schedulers);
        }
    }

    /** A run the spec cannot describe is refused with the reason, not checked into a false verdict. */
    @Test
    void aLoadBalancerCallingManyTimesIsOutsideTheSpec() throws Exception {
        KernelRun run = record("migrate-load-balancer.json", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MigrationBarriersAbstraction(run).trace());
        assertTrue(e.getMessage().contains("outside MigrationBarriers' scope"), e.getMessage());
    }

    /**
     * §8.5 checked: a receiver moved while requests to it wait in its send queue (they go with it),
     * a sender moved after its refused attempts, against XpMigration with the kernel's fixes.
     */
    @Test
    void movesDuringCrossCpuSendsRefineXpMigration() throws Exception {
        xpSend(2);
    }

    /** Twenty seeds of migrate-xp-send against XpMigration. */
    @Test
    @Tag("slow")
    void movesDuringCrossCpuSendsRefineXpMigrationUnderTwentySeeds() throws Exception {
        xpSend(20);
    }

    /**
     * The check tells the fixes apart: against XpMigration without request migration, the same run
     * is rejected at the receiver's move, whose requests the kernel took along.
     */
    @Test
    void withoutRequestMigrationInTheSpecTheKernelsMoveIsRejected() throws Exception {
        KernelRun run = record("migrate-xp-send.json", 1);
        XpMigrationAbstraction fixed = new XpMigrationAbstraction(run);
        KernelRefinement.Abstraction unfixed = new KernelRefinement.Abstraction() {
            public String spec() {
                return fixed.spec();
            }

            public l4smp.trace.Trace trace() {
                return fixed.trace();
            }

            public String module(String name) {
                return fixed.module(name);
            }

            public String config(List<String> invariants, String moduleName) {
                return fixed.config(invariants, moduleName).replace("MigrateRequests = TRUE", "MigrateRequests = FALSE");
            }
        };
        KernelRefinement r = KernelRefinement.check(Project.locate(null), unfixed);
        assertTrue(!r.verdict().accepted(), "accepted without request migration");
        String claimed = r.verdict().failure().claimed().name();
        assertEquals("Migrate", claimed, KernelRefinementTest.explain(r));
        assertTrue(r.verdict().failure().diverging().contains("mb"), KernelRefinementTest.explain(r));
    }

    /** A run with calls is outside XpMigration's scope, refused with the reason. */
    @Test
    void callsAreOutsideXpMigrationsScope() throws Exception {
        KernelRun run = record("migrate-xp-call.json", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new XpMigrationAbstraction(run));
        assertTrue(e.getMessage().contains("outside XpMigration's scope") && e.getMessage().contains("makes an IPC other than one send"), e.getMessage());
    }

    private static void xpSend(int seeds) throws Exception {
        for (long n = 1; n <= seeds; n++) {
            long seed = n;
            KernelRun run = record("migrate-xp-send.json", seed);
            KernelRefinement r = KernelRefinement.check(Project.locate(null), new XpMigrationAbstraction(run));
            assertTrue(r.verdict().accepted(), () -> "seed " + seed + ": " + KernelRefinementTest.explain(r));
            List<String> actions = actions(r);
            String where = "seed " + seed + ": " + actions;
            assertEquals(2, actions.stream().filter("Migrate"::equals).count(), where);
            assertEquals(2, actions.stream().filter("SenderTrigger"::equals).count(), where);
            assertEquals(2, actions.stream().filter("ReceiverReturn"::equals).count(), where);
            assertTrue(actions.indexOf("Migrate") < actions.lastIndexOf("CheckAndAck"), "the moved requests are flagged anew: " + where);
            assertTrue(r.config().contains("LockTarget = FALSE") && r.config().contains("MigrateRequests = TRUE"), r.config());
        }
    }

    /**
     * XpIpc checks a run with migrations up to the first migration, which ends its description of
     * the run (docs/refine.md: the rest is XpMigration's and MigrationBarriers'); the cross-CPU
     * calls before it are its actions.
     */
    @Test
    void xpIpcChecksTheCallsBeforeTheFirstMigration() throws Exception {
        Scenario scenario = ScenarioReader.read(Files.readString(Path.of("scenarios", "migrate-xp-call.json")));
        try (SpecCheckers checkers = new SpecCheckers(Project.locate(null), 2)) {
            ConformanceCheck.Outcome out = ConformanceCheck.run(scenario, l4smp.workload.Simulation.scheduler(scenario),
                    scenario.run().steps(), List.of(XpIpcAbstraction.MODULE), checkers, ConformanceMonitor.WINDOW);
            ConformanceReport.SpecResult xp = out.report().of(XpIpcAbstraction.MODULE);
            assertEquals(ConformanceReport.SpecResult.Status.ACCEPTED, xp.status(), xp.summary());
            assertTrue(xp.cut() != null && xp.cut().why().contains("migrates from cpu"), xp.summary());
            assertTrue(xp.actions() > 20, "calls were checked before the first move: " + xp.summary());
        }
    }
}
