package l4smp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l4smp replay}: the output beside the spec trace, the scenario and schedule it writes (which
 * {@code simulate --check} rejects with the same invariant), and a clear error with its exit code
 * for every input it cannot replay.
 */
class ReplayCommandTest {
    private static final Path NO_BARRIER_2 = Path.of("src/test/resources/replay/NoBarrier2.itf.json");

    @TempDir
    Path tmp;

    @Test
    void printsTheKernelRunBesideTheCounterexampleAndWritesAScenarioThatSimulateRejectsTheSameWay() {
        Path dir = tmp.resolve("out");
        CliRun run = CliRun.of("replay", NO_BARRIER_2.toString(), "--spec", "MigrationBarriers", "--out", dir.toString());
        assertEquals(ExitCodes.OK, run.exit(), run.toString());
        assertTrue(run.out().contains("kernel: removedFixes [barrier2, migrationLock]"), run.out());
        assertTrue(run.out().matches("(?s).*\\n    4  TargetEnter\\(s = s1\\) @c2 +\\| step \\d+ cpu1 migrate\\.target\\.enter \\[m\\.main\\] +\\| same action\\n.*"),
                run.out());
        assertTrue(run.out().matches("(?s).*\\n    5  TargetPassBarrier2\\(s = s1\\) @c2 +\\| step \\d+ cpu1 migrate\\.target\\.passBarrier2 .*\\| same action; violates NoLostOrDanglingLinksInv\\n.*"),
                run.out());
        assertTrue(run.out().contains("reproduced: the kernel's run, abstracted to the spec, violates NoLostOrDanglingLinksInv"), run.out());

        CliRun again = CliRun.of("simulate", dir.resolve("scenario.json").toString(), "--schedule", dir.resolve("schedule.txt").toString(),
                "--check", "MigrationBarriers");
        assertEquals(ExitCodes.REJECTED, again.exit(), again.toString());
        assertTrue(again.out().contains("violates the invariant"), again.out());
    }

    /** NO_BARRIER_2 with its title's cfg replaced, or state {@code state}'s action renamed to {@code action}. */
    private Path edited(String cfg, int state, String action) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(NO_BARRIER_2.toFile());
        if (cfg != null) {
            ((ObjectNode) json.get("#meta")).put("title", "MCMigrationBarriers with " + cfg);
        }
        if (action != null) {
            ((ObjectNode) json.get("states").get(state).get("#meta").get("action")).put("name", action);
        }
        Path file = tmp.resolve("edited.itf.json");
        Files.writeString(file, json.toPrettyString());
        return file;
    }

    private static CliRun replay(Path trace, String spec, int exit, String message) {
        CliRun run = CliRun.of("replay", trace.toString(), "--spec", spec);
        assertEquals(exit, run.exit(), run.toString());
        assertTrue(run.err().contains(message), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
        return run;
    }

    @Test
    void aFileThatIsNoItfTraceIsAUsageError() throws Exception {
        Path file = tmp.resolve("x.itf.json");
        Files.writeString(file, "{\"states\": 3}");
        replay(file, "MigrationBarriers", ExitCodes.USAGE, "is not an ITF trace");
    }

    @Test
    void aSpecReplayCannotDriveIsUnsupportedAndAnUnknownOneIsAUsageError() {
        replay(NO_BARRIER_2, "UhligRace", ExitCodes.REPLAY_UNSUPPORTED, "cannot drive counterexamples of UhligRace");
        replay(NO_BARRIER_2, "NoSuchSpec", ExitCodes.USAGE, "cannot drive counterexamples of NoSuchSpec");
    }

    @Test
    void aConfigurationThatHoldsHasNothingToReplay() throws Exception {
        replay(edited("MigrationBarriers.cfg: invariant CurrentInv is violated", 0, null), "MigrationBarriers", ExitCodes.USAGE,
                "MigrationBarriers.cfg is a configuration that holds");
    }

    @Test
    void aFixWithoutAKernelSwitchALivenessViolationAndAnActionReplayCannotDriveAreUnsupported() throws Exception {
        replay(edited("MigrationBarriersLiteralSourceOrder.cfg: invariant CurrentInv is violated", 0, null), "MigrationBarriers",
                ExitCodes.REPLAY_UNSUPPORTED, "SaveContextFirst = FALSE has no kernel switch");
        replay(edited("MigrationBarriersNoBarrier2.cfg: property SomeProp is violated", 0, null), "MigrationBarriers",
                ExitCodes.REPLAY_UNSUPPORTED, "reproduces invariant violations and deadlocks only");
        replay(edited(null, 1, "ThreadYield"), "MigrationBarriers", ExitCodes.REPLAY_UNSUPPORTED,
                "state 1: the replay cannot drive ThreadYield");
    }

    @Test
    void aKernelThatTakesAnotherActionThanTheTraceIsNotReproducedAndTheStepIsNamed() throws Exception {
        // state 3 claims SchedulerPassBarrier1 where the kernel's cpu0 does SchedulerCall
        replay(edited(null, 3, "SchedulerPassBarrier1"), "MigrationBarriers", ExitCodes.NOT_REPRODUCED,
                "runs migrate.scheduler.call for s1 where the trace's state 3 has SchedulerPassBarrier1");
    }
}
