package l4smp.pbt.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import l4smp.cli.Main;
import l4smp.hw.RunResult;
import l4smp.hw.sched.ChoiceList;
import l4smp.hw.sched.ReplayScheduler;
import l4smp.hw.sched.Scheduler;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioReader;
import l4smp.workload.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure that needs a particular interleaving: migrate-crossing without the migration lock
 * deadlocks only when both callers pass (=1) before either B reaches (=2) (docs/specs.md's first
 * deadlock). A random schedule that deadlocks shrinks to a few deviations from the default choice,
 * and the written schedule replays the deadlock with {@code l4smp simulate --schedule}.
 */
class ScheduleShrinkerTest {
    private static final long STEPS = 6_000;

    /** The deadlock: the run does not come to rest and neither migration completed. */
    private static final Predicate<Simulation> DEADLOCK = sim -> sim.kernel().migration().migrations() == 0
            && sim.kernel().view().migrations().size() == 2;

    /**
     * migrate-crossing without the lock, s.two starting its call some 9 µs after s.one: under the
     * timing-realistic default one migration is over before the other starts.
     */
    private static String json() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(Files.readString(Path.of("scenarios",
                "migrate-crossing.json")));
        root.putObject("kernel").put("withoutMigrationLock", true);
        var programs = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("programs");
        var late = programs.putArray("latemover").add("        compute 4000");
        programs.get("mover").forEach(late::add);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("tasks").get(0).get("threads").get(1)).put("program", "latemover");
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    @Test
    void aDeadlockingScheduleShrinksToFewerEarlierDeviationsThatStillDeadlock(@TempDir Path dir) throws Exception {
        Scenario scenario = ScenarioReader.read(json());
        ChoiceList original = null;
        for (long seed = 1; seed <= 200 && original == null; seed++) {
            Simulation sim = Simulation.build(scenario, Scheduler.seededRandom(seed));
            sim.run(STEPS);
            if (DEADLOCK.test(sim)) {
                original = sim.machine().choices();
            }
        }
        assertTrue(original != null, "no random schedule of 200 deadlocked");
        Simulation byDefault = Simulation.build(scenario, Scheduler.earliestClockFirst());
        byDefault.run(STEPS);
        assertTrue(!DEADLOCK.test(byDefault), "the default interleaving does not deadlock: the failure needs deviations");

        ScheduleShrinker shrinker = new ScheduleShrinker(scenario, STEPS, DEADLOCK, 300);
        int before = shrinker.deviations(original).size();
        ScheduleShrinker.Result shrunk = shrinker.shrink(original);
        System.out.println("SHRINK " + before + " -> " + shrunk.deviations() + " in " + shrunk.runs() + " runs, choices " + original.size() + " -> " + shrunk.choices().size());
        // seen: 4029 deviations to 18, all in the first 50 steps, in 101 runs
        assertTrue(shrunk.deviations().size() < before / 4, "from " + before + " deviations to " + shrunk.deviations());
        assertTrue(shrunk.deviations().get(shrunk.deviations().size() - 1).step() < 500, "earlier: " + shrunk.deviations());
        assertTrue(!shrunk.deviations().isEmpty());
        assertNotEquals(original, shrunk.choices());

        Simulation replayed = Simulation.build(scenario, new ReplayScheduler(shrunk.choices()));
        replayed.run(shrunk.choices().size());
        assertTrue(DEADLOCK.test(replayed), "the shrunk schedule replays the deadlock");

        Files.writeString(dir.resolve("scenario.json"), json());
        shrunk.choices().write(dir.resolve("schedule.txt"));
        StringWriter out = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute("simulate",
                dir.resolve("scenario.json").toString(), "--schedule", dir.resolve("schedule.txt").toString());
        assertEquals(0, exit, out.toString());
        assertEquals(2, out.toString().lines().filter(l -> l.startsWith("migration unfinished")).count(), out.toString());
        assertTrue(out.toString().contains("cpu1 spins in part C") && out.toString().contains("cpu2 spins in part C"), out.toString());
    }
}
