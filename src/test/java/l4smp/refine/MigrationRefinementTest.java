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
}
