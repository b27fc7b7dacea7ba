package l4smp.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import l4smp.hw.RunResult;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import org.junit.jupiter.api.Test;

/**
 * The migration scenarios in scenarios/ (migrate-*.json) run to rest under many seeds, and show
 * what scenarios/README.md says they show.
 */
class MigrationScenarioFilesTest {
    private static Simulation load(String file, long seed) throws Exception {
        String json = Files.readString(Path.of("scenarios", file));
        return ScenarioReader.load(json, scenario -> scenario.withRun(new Scenario.RunSpec(
                scenario.run().steps(), scenario.run().scheduler(), seed)));
    }

    private static Simulation ran(String file, long seed) throws Exception {
        Simulation sim = load(file, seed);
        assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason(), file + " comes to rest under seed " + seed);
        return sim;
    }

    private static String printed(Simulation sim) {
        StringWriter text = new StringWriter();
        sim.report().print(new PrintWriter(text, true));
        return text.toString();
    }

    @Test
    void theLoadBalancerMovesEveryWorkerWhileItsCallsAreAnswered() throws Exception {
        for (long seed = 1; seed <= 8; seed++) {
            Simulation sim = ran("migrate-load-balancer.json", seed);
            String where = "seed " + seed;
            assertEquals(300, sim.report().row("w.a").ipcs(IpcOp.CALL, CompletionCode.OK), where);
            assertEquals(240, sim.report().row("w.b").ipcs(IpcOp.CALL, CompletionCode.OK), where);
            assertEquals(300, sim.report().row("w.c").ipcs(IpcOp.CALL, CompletionCode.OK), where);
            assertEquals(200, sim.report().row("w.d").ipcs(IpcOp.CALL, CompletionCode.OK), where);
            assertEquals(36, sim.kernel().migration().migrations(), "every request of the balancer is carried out, " + where);
            for (String w : List.of("w.a", "w.b", "w.c", "w.d")) {
                var stats = sim.report().row(w).stats();
                assertEquals(stats.migrations() + 1, stats.cpuHistory().size(), w);
                assertEquals(w.equals("w.a") || w.equals("w.c") ? 12 : 6, stats.migrations(), w + ", " + where);
            }
            assertTrue(sim.report().row("w.a").stats().cpuHistory().containsAll(List.of(0, 1, 2, 3)), "w.a visits every CPU");
            String out = printed(sim);
            assertTrue(out.contains("cpus cpu1 > cpu0 > cpu1 > cpu2 > cpu3 > cpu0"), out);
            assertTrue(out.contains("migration: 36 threads moved"), out);
        }
    }
}
