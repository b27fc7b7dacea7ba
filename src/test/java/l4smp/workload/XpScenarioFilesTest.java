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

    /** Runs {@code file} with the random scheduler under seeds 1..{@code seeds}; each comes to rest. */
    private static void underSeeds(String file, int seeds, java.util.function.Consumer<Simulation> check) throws Exception {
        String json = Files.readString(Path.of("scenarios", file));
        for (long seed = 1; seed <= seeds; seed++) {
            long s = seed;
            Simulation sim = ScenarioReader.load(json, scenario -> scenario.withRun(new Scenario.RunSpec(
                    scenario.run().steps(), "random", s)));
            assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason(), file + " under seed " + seed);
            check.accept(sim);
        }
    }

    /** {@code length} ASCII bytes at {@code va} in task {@code task}'s space. */
    static String stringAt(Simulation sim, int task, int va, int length) {
        var space = sim.kernel().task(task).space();
        byte[] got = new byte[length];
        for (int i = 0; i < length; i++) {
            long pa = space.translate(sim.machine().memory(), va + i);
            got[i] = (byte) (sim.machine().memory().readWord(pa & ~3L) >>> (8 * (pa & 3)));
        }
        return new String(got, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static long faults(Simulation sim, String thread) {
        return sim.report().row(thread).pageFaults();
    }

    @Test
    void aLongIpcAcrossCpusFaultsInBothSpacesAndCompletes() throws Exception {
        Simulation sim = ran("xp-long-ipc-faults.json");
        assertEquals(1, ipcs(sim, "snd.main", IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, ipcs(sim, "rcv.main", IpcOp.RECEIVE, CompletionCode.OK));
        assertEquals(2L, faults(sim, "snd.main"), "the string's two pages, each redone by the sender at the proxy's request");
        assertEquals(2L, faults(sim, "rcv.main"), "the buffer's two pages, each redone by the receiver");
        String text = "The first thing this newly created thread will do when being started is to raise a pagefault.";
        assertEquals(text, stringAt(sim, 6, 0x350800, text.length()), "the string arrived");
        underSeeds("xp-long-ipc-faults.json", 20, run -> {
            assertEquals(1, ipcs(run, "snd.main", IpcOp.SEND, CompletionCode.OK));
            assertEquals(1, ipcs(run, "rcv.main", IpcOp.RECEIVE, CompletionCode.OK));
        });
    }

    @Test
    void pageFaultTimeoutsAcrossCpusEndBothSidesWithTheirCodes() throws Exception {
        Simulation sim = ran("xp-pf-timeouts.json");
        assertEquals(1, ipcs(sim, "snd.one", IpcOp.SEND, CompletionCode.SEND_SND_PF_TIMEOUT));
        assertEquals(1, ipcs(sim, "rcv.one", IpcOp.RECEIVE, CompletionCode.RECEIVE_SND_PF_TIMEOUT));
        assertEquals(1, ipcs(sim, "snd.two", IpcOp.SEND, CompletionCode.SEND_RCV_PF_TIMEOUT));
        assertEquals(1, ipcs(sim, "rcv.two", IpcOp.RECEIVE, CompletionCode.RECEIVE_RCV_PF_TIMEOUT));
        underSeeds("xp-pf-timeouts.json", 20, run -> {
            assertEquals(1, ipcs(run, "snd.one", IpcOp.SEND, CompletionCode.SEND_SND_PF_TIMEOUT));
            assertEquals(1, ipcs(run, "snd.two", IpcOp.SEND, CompletionCode.SEND_RCV_PF_TIMEOUT));
        });
    }

    @Test
    void anAbortOnFourCpusEndsTheTransferForBoth() throws Exception {
        Simulation sim = ran("xp-abort-four-cpus.json");
        assertEquals(1, ipcs(sim, "snd.main", IpcOp.SEND, CompletionCode.SEND_ABORTED));
        assertEquals(1, ipcs(sim, "rcv.main", IpcOp.RECEIVE, CompletionCode.RECEIVE_ABORTED));
        underSeeds("xp-abort-four-cpus.json", 20, XpScenarioFilesTest::bothEndAlike);
    }

    /** Whatever the interleaving, the abort ends the send, and a transfer aborted for the sender is aborted for the receiver. */
    private static void bothEndAlike(Simulation run) {
        long sent = ipcs(run, "snd.main", IpcOp.SEND, CompletionCode.SEND_ABORTED)
                + ipcs(run, "snd.main", IpcOp.SEND, CompletionCode.SEND_CANCELED);
        long received = ipcs(run, "rcv.main", IpcOp.RECEIVE, CompletionCode.RECEIVE_ABORTED);
        assertEquals(1, sent, "the sender's IPC ended by the abort");
        assertEquals(ipcs(run, "snd.main", IpcOp.SEND, CompletionCode.SEND_ABORTED), received,
                "a transfer aborted for the sender is aborted for the receiver");
    }

    @Test
    void threeRequestsToOneCpuWithAFaultPendingDoNotHang() throws Exception {
        Simulation sim = ran("xp-three-ipis.json");
        assertEquals(1, ipcs(sim, "snd.main", IpcOp.SEND, CompletionCode.SEND_ABORTED));
        assertEquals(1, ipcs(sim, "rcv.main", IpcOp.RECEIVE, CompletionCode.RECEIVE_ABORTED));
        assertEquals(1, ipcs(sim, "other.main", IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, ipcs(sim, "sink.main", IpcOp.RECEIVE, CompletionCode.OK));
        for (int c = 0; c < 2; c++) {
            assertEquals(0, sim.machine().cpu(c).apic().waitingIpis(), "no IPI waits for a slot");
        }
        underSeeds("xp-three-ipis.json", 20, run -> {
            bothEndAlike(run);
            assertEquals(1, ipcs(run, "other.main", IpcOp.SEND, CompletionCode.OK));
        });
    }

    @Test
    void aProxyWaitingForItsReceiverHandsTheRequestsBehindItToAnotherInstance() throws Exception {
        Simulation sim = ran("xp-proxy-handover.json");
        assertEquals(1, ipcs(sim, "two.main", IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, ipcs(sim, "one.main", IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, sim.kernel().xcpu().counters().handOvers());
        String json = Files.readString(Path.of("scenarios", "xp-proxy-handover.json"));
        Simulation without = ScenarioReader.load(json.replace("\"run\"", "\"kernel\": {\"proxyHandover\": false}, \"run\""));
        assertEquals(RunResult.Reason.QUIESCENT, without.run().reason());
        assertEquals(0, without.kernel().xcpu().counters().handOvers());
        assertEquals(1, ipcs(without, "two.main", IpcOp.SEND, CompletionCode.OK), "late, but it arrives");
    }

    @Test
    void anUnmapShootsDownTheOtherCpusTranslation() throws Exception {
        Simulation sim = ran("xp-unmap-shootdown.json");
        assertEquals(0x5A5A, sim.kernel().tcbs().present(sim.thread("b.main")).register(Reg.EDI), "B read the page");
        assertEquals(l4smp.kernel.thread.ThreadState.DEAD, sim.kernel().tcbs().present(sim.thread("b.main")).state(),
                "its access after the unmap faulted");
        underSeeds("xp-unmap-shootdown.json", 20, run -> assertEquals(l4smp.kernel.thread.ThreadState.DEAD,
                run.kernel().tcbs().present(run.thread("b.main")).state()));
    }
}
