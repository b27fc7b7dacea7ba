package l4smp.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import l4smp.hw.RunResult;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import org.junit.jupiter.api.Test;

/**
 * The scenarios in scenarios/ run, and their statistics are what scenarios/README.md says they
 * show. (The README quotes these figures; a change here is a change there.)
 */
class ScenarioFilesTest {
    private static Simulation load(String file) throws Exception {
        return ScenarioReader.load(Files.readString(Path.of("scenarios", file)));
    }

    @Test
    void callReply() throws Exception {
        Simulation sim = load("call-reply.json");
        assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason());
        Report report = sim.report();
        assertEquals(200, report.row("client.main").ipcs(IpcOp.CALL, CompletionCode.OK));
        assertEquals(100, report.row("client.other").ipcs(IpcOp.CALL, CompletionCode.OK));
        assertEquals(299, report.row("server.main").ipcs(IpcOp.REPLY_AND_WAIT, CompletionCode.OK));
        assertEquals(1, report.row("server.main").ipcs(IpcOp.REPLY_AND_WAIT, CompletionCode.SEND_TIMEOUT),
                "the reply to the client that was not listening is discarded");
        assertEquals(1, report.row("rude.main").ipcs(IpcOp.SEND, CompletionCode.OK));
    }

    @Test
    void addressSpaceHierarchy() throws Exception {
        Simulation sim = load("address-space-hierarchy.json");
        assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason());
        Report report = sim.report();
        assertEquals("dead", report.row("d.main").state());
        assertEquals("page fault at 0x03000000 and no pager", report.row("d.main").stats().killed());
        assertEquals("page fault at 0x05000000 and no pager", report.row("e.main").stats().killed());
        assertEquals(3, report.row("a.main").ipcs(IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, report.row("c.main").ipcs(IpcOp.SEND, CompletionCode.OK), "the grant");
        assertEquals(1, report.row("d.main").pageFaults());
    }

    @Test
    void lazyDispatching() throws Exception {
        Simulation sim = load("lazy-dispatching.json");
        sim.run();
        Report report = sim.report();
        assertTrue(sim.kernel().processor(0).readyList().lazyRemovals() > 1000);
        double spin = share(sim, report.row("spin.main"));
        assertTrue(spin > 0.5 && spin < 0.7, "the spinner gets the CPU whenever both togglers sleep: " + spin);
        assertTrue(report.row("toggle.fast").ipcs(IpcOp.RECEIVE, CompletionCode.RECEIVE_TIMEOUT) > 1000);
    }

    @Test
    void roundRobin() throws Exception {
        Simulation sim = load("round-robin.json");
        sim.run();
        Report report = sim.report();
        for (String name : new String[] {"rr.a", "rr.b", "rr.c"}) {
            double s = share(sim, report.row(name));
            assertTrue(Math.abs(s - 1.0 / 3) < 0.01, name + " gets a third: " + s);
        }
        assertEquals(0, report.row("low.main").cycles());
    }

    @Test
    void interruptPreemption() throws Exception {
        Simulation sim = load("interrupt-preemption.json");
        sim.run();
        Report report = sim.report();
        long received = report.row("drv.fast").ipcs(IpcOp.RECEIVE, CompletionCode.OK);
        assertEquals(961, received);
        assertEquals(received + 1, sim.kernel().interruptThreads().delivered(), "one more went to the slow handler");
        assertEquals(0, report.row("drv.slow").ipcs(IpcOp.RECEIVE, CompletionCode.OK));
        assertEquals("ready", report.row("drv.slow").state());
    }

    @Test
    void longIpcFaults() throws Exception {
        Simulation sim = load("long-ipc-faults.json");
        assertEquals(RunResult.Reason.QUIESCENT, sim.run().reason());
        Report report = sim.report();
        assertEquals(1, report.row("snd.main").ipcs(IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, report.row("rcv.main").ipcs(IpcOp.RECEIVE, CompletionCode.OK));
        assertEquals(2, report.row("snd.main").pageFaults());
        assertEquals(2, report.row("rcv.main").pageFaults());
        assertEquals(3, report.row("pager.main").pageFaults());
    }

    private static double share(Simulation sim, Report.Row row) {
        return (double) row.stats().millicycles() / sim.machine().elapsedMillicycles();
    }
}
