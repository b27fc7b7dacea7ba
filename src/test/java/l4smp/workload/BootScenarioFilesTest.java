package l4smp.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import l4smp.hw.Cpu;
import l4smp.hw.RunResult;
import l4smp.kernel.boot.KernelInfoPage;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import org.junit.jupiter.api.Test;

/** scenarios/smp-boot-failing-cpu.json runs to rest under many seeds and shows what scenarios/README.md says. */
class BootScenarioFilesTest {
    private static final String FILE = "smp-boot-failing-cpu.json";

    private static Simulation load(Scenario.RunSpec run) throws Exception {
        String json = Files.readString(Path.of("scenarios", FILE));
        return ScenarioReader.load(json, s -> run == null ? s : s.withRun(run));
    }

    private static void assertShown(Simulation sim, String where) {
        assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason(), where + ": comes to rest");
        Report report = sim.report();
        assertEquals(5, report.row("log.ok").ipcs(IpcOp.OPEN_RECEIVE, CompletionCode.OK),
                where + ": each probe found the count 3 and its own processor number in TR and UTCB, the reader no "
                        + "longer saw the shared page after the unmap, and the sharer deleted its child task");
        assertTrue(report.row("log.wrong").stats().ipcs().isEmpty(), where + ": no probe found a wrong number");
        assertEquals(20, report.row("cl.a").ipcs(IpcOp.CALL, CompletionCode.OK), where);
        assertEquals(20, report.row("cl.b").ipcs(IpcOp.CALL, CompletionCode.OK), where);
        assertEquals(1, report.row("rd.main").pageFaults(), where + ": the reader's access after the unmap faulted, "
                + "none before it (the map item installed the page)");
        assertEquals(null, sim.kernel().task(11), where + ": the child task is gone");
        for (var proxy : sim.kernel().xcpu().proxies().operationProxies()) {
            long ran = sim.kernel().statistics().of(proxy.tcb().myself()).millicycles();
            assertEquals(proxy.target() < 3, ran > 0, where + ": processors 1..3, and only they, performed their part "
                    + "of the task deletion (" + proxy + ")");
        }
        var boot = sim.kernel().smpBoot();
        assertEquals(List.of(2), boot.maskedOut(), where);
        assertEquals(3, sim.machine().memory().readWord(sim.kernel().kernelInfoPage().address()
                + KernelInfoPage.OFFSET_PROCESSORS), where);
        assertEquals(Cpu.StartupState.RESET, sim.machine().cpu(2).startupState(), where);
        assertEquals(0, sim.machine().cpu(2).millicycles(), where + ": nothing ever ran on cpu2");
    }

    @Test
    void oneCpuFailsToStartAndTheOthersRunEverything() throws Exception {
        Simulation sim = load(null);
        assertShown(sim, "earliest clock first");
        var boot = sim.kernel().smpBoot();
        assertEquals(List.of(0, 1, 3), List.of(boot.apicIdOf(1), boot.apicIdOf(2), boot.apicIdOf(3)));
        assertEquals(39, sim.report().row("srv.main").ipcs(IpcOp.REPLY_AND_WAIT, CompletionCode.OK));
        assertEquals(91667, boot.releasedAt() / 1000, "README: the barrier opened at 91667 cycles");
    }

    @Test
    void anySeedBootsTheSameThreeProcessors() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            assertShown(load(new Scenario.RunSpec(200_000, "random", seed)), "seed " + seed);
        }
    }
}
