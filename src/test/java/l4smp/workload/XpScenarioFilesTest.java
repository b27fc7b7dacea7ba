package l4smp.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import l4smp.hw.Reg;
import l4smp.hw.RunResult;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.xcpu.CrossProcessor;
import org.junit.jupiter.api.Test;

/**
 * The cross-processor scenarios in scenarios/ (xp-*.json) run to rest, and show what
 * scenarios/README.md says they show.
 */
class XpScenarioFilesTest {
    private static Simulation load(String file) throws Exception {
        return ScenarioReader.load(Files.readString(Path.of("scenarios", file)));
    }

    private static Simulation ran(String file) throws Exception {
        Simulation sim = load(file);
        assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason(), file + " comes to rest");
        return sim;
    }

    private static long ipcs(Simulation sim, String thread, IpcOp op, CompletionCode code) {
        return sim.report().row(thread).ipcs(op, code);
    }

    @Test
    void everyRemoteCallIsAnsweredByAZeroTimeoutReply() throws Exception {
        Simulation sim = ran("xp-call-reply.json");
        assertEquals(100, ipcs(sim, "client.local", IpcOp.CALL, CompletionCode.OK));
        assertEquals(100, ipcs(sim, "client.remote", IpcOp.CALL, CompletionCode.OK));
        assertEquals(199, ipcs(sim, "server.main", IpcOp.REPLY_AND_WAIT, CompletionCode.OK));
        CrossProcessor.Counters x = sim.kernel().xcpu().counters();
        assertEquals(200, x.sends(), "the remote call and the reply to it each cross");
        assertTrue(x.yields() > 0, "a proxy bringing a reply lets the caller finish its own send first");
    }

    @Test
    void timeoutsOfZeroFiniteAndNeverOnBothSides() throws Exception {
        Simulation sim = ran("xp-timeouts.json");
        assertEquals(1, ipcs(sim, "snd.main", IpcOp.SEND, CompletionCode.OK));
        assertEquals(2, ipcs(sim, "snd.main", IpcOp.SEND, CompletionCode.SEND_TIMEOUT));
        assertEquals(1, ipcs(sim, "snd.main", IpcOp.RECEIVE, CompletionCode.OK));
        assertEquals(2, ipcs(sim, "snd.main", IpcOp.RECEIVE, CompletionCode.RECEIVE_TIMEOUT));
        assertEquals(1, ipcs(sim, "rcv.main", IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, ipcs(sim, "rcv.main", IpcOp.SEND, CompletionCode.SEND_TIMEOUT));
        assertEquals(1, ipcs(sim, "rcv.main", IpcOp.RECEIVE, CompletionCode.OK));
        assertEquals(1, ipcs(sim, "rcv.main", IpcOp.RECEIVE, CompletionCode.RECEIVE_TIMEOUT));
    }

    @Test
    void senderOnThreeCpusReachOneReceiverOpenAndClosed() throws Exception {
        Simulation sim = ran("xp-many-senders.json");
        for (String s : List.of("a.one", "a.two", "b.main", "c.main")) {
            assertEquals(20, ipcs(sim, s, IpcOp.SEND, CompletionCode.OK), s);
        }
        assertEquals(40, ipcs(sim, "rcv.main", IpcOp.OPEN_RECEIVE, CompletionCode.OK));
        assertEquals(40, ipcs(sim, "rcv.main", IpcOp.RECEIVE, CompletionCode.OK));
        assertTrue(sim.kernel().xcpu().counters().handOvers() > 0,
                "a request of a.one waited behind a.two's polling one: the pair's proxy handed its list over");
    }

    /** Seeds 1..40 of the random scheduler (the scenario file runs seed 1). */
    @Test
    void theUhligRaceNeverHangsUnderFortySeeds() throws Exception {
        String json = Files.readString(Path.of("scenarios", "xp-uhlig-race.json"));
        for (long seed = 1; seed <= 40; seed++) {
            long s = seed;
            Simulation sim = ScenarioReader.load(json, scenario -> scenario.withRun(new Scenario.RunSpec(
                    scenario.run().steps(), scenario.run().scheduler(), s)));
            assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason(), "seed " + seed);
            assertEquals(100, ipcs(sim, "snd.main", IpcOp.SEND, CompletionCode.OK), "seed " + seed);
            assertEquals(100, ipcs(sim, "rcv.main", IpcOp.RECEIVE, CompletionCode.OK), "seed " + seed);
        }
    }

    @Test
    void moreRequestsThanIpiSlotsWithoutAHang() throws Exception {
        Simulation sim = ran("xp-ipi-pressure.json");
        for (String s : List.of("a", "b", "c", "d", "e", "f")) {
            assertEquals(10, ipcs(sim, "s." + s, IpcOp.SEND, CompletionCode.OK));
            assertEquals(10, ipcs(sim, "r." + s, IpcOp.OPEN_RECEIVE, CompletionCode.OK));
        }
        CrossProcessor.Counters x = sim.kernel().xcpu().counters();
        assertTrue(x.ipisSaved() > 0, "some triggers found an IPI unacknowledged and sent none");
        assertEquals(0, sim.machine().cpu(0).apic().lostTicks());
        for (int c = 0; c < 2; c++) {
            assertEquals(0, sim.machine().cpu(c).apic().waitingIpis(), "no IPI waits for a slot");
        }
    }

    @Test
    void sendersWaitForAMailboxWhenThePoolIsEmpty() throws Exception {
        Simulation sim = ran("xp-mailbox-pool-dry.json");
        for (String s : List.of("a", "b", "c", "d", "e", "f")) {
            assertEquals(10, ipcs(sim, "s." + s, IpcOp.SEND, CompletionCode.OK));
        }
        assertTrue(sim.kernel().xcpu().counters().mailboxWaits() > 0);
        assertEquals(2, sim.kernel().xcpu().pool().perCpu());
    }

    @Test
    void crossProcessorIpcIsDetectedAndCanBeRefused() throws Exception {
        Simulation sim = ran("xp-detection.json");
        assertEquals(20, ipcs(sim, "log.xp", IpcOp.OPEN_RECEIVE, CompletionCode.OK), "every remote call, no local one");
        assertEquals(1, ipcs(sim, "log.aborted", IpcOp.OPEN_RECEIVE, CompletionCode.OK));
        assertEquals(2, sim.kernel().tcbs().present(sim.thread("log.aborted")).register(Reg.EDX),
                "the refused call returned the destination's processor number");
        assertEquals(42, ipcs(sim, "cl.main", IpcOp.CALL, CompletionCode.OK), "the refused call is no IPC");
        assertEquals(21, ipcs(sim, "remote.main", IpcOp.REPLY_AND_WAIT, CompletionCode.OK)
                + ipcs(sim, "remote.main", IpcOp.OPEN_RECEIVE, CompletionCode.OK));
    }
}
