package l4smp.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.tlc.Project;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs in which an IPC ends from outside against XpIpc with its Events: page-fault timeouts of a
 * long copy across CPUs (§8.4.2, xp-pf-timeouts), lthread_ex_regs aborting an IPC whose sender,
 * receiver, pager and caller sit on four CPUs (§8.4.3, xp-abort-four-cpus), and the three-IPI
 * situation of §8.3.3 (xp-three-ipis). Each participant ends with the code the uniprocessor abort
 * gives it, and a trace that says otherwise is rejected naming the variable.
 */
class AbortRefinementTest {
    private static final Project PROJECT = Project.locate(null);
    private static final long[] SEEDS = {0, 1, 2};
    private static final List<String> SCENARIOS = List.of("xp-pf-timeouts.json", "xp-abort-four-cpus.json", "xp-three-ipis.json");

    static KernelRefinement xpIpc(String scenario, long seed) throws Exception {
        KernelRun run = KernelRefinementTest.recordFile(scenario, seed);
        KernelRefinement r = KernelRefinement.check(PROJECT, new XpIpcAbstraction(run));
        assertTrue(r.verdict().accepted(), () -> scenario + " seed " + seed + ": " + KernelRefinementTest.explain(r));
        return r;
    }

    /** The index of the first state whose step the trace labels {@code action} with {@code e}, or -1. */
    static int labelled(Trace trace, String action, String e) {
        for (int i = 1; i < trace.size(); i++) {
            var a = trace.state(i).action();
            if (a != null && a.name().equals(action) && (e == null || TlaValue.str(e).equals(a.parameters().get("e")))) {
                return i;
            }
        }
        return -1;
    }

    static TlaValue entry(TraceState s, String variable, String key) {
        return ((TlaValue.Fun) s.values().get(variable)).mapping().get(TlaValue.model(key));
    }

    static TraceState last(Trace t) {
        return t.state(t.size() - 1);
    }

    @Test
    void pageFaultTimeoutsAcrossCpusEndBothSidesWithTheirCodes() throws Exception {
        for (long seed : SEEDS) {
            KernelRefinement r = xpIpc("xp-pf-timeouts.json", seed);
            assertTrue(r.config().contains("Events = {\"pf_timeout\"}"), r.config());
            assertTrue(labelled(r.trace(), "ProxyTransferFails", "snd_pf_timeout") > 0, "seed " + seed);
            assertTrue(labelled(r.trace(), "ProxyTransferFails", "rcv_pf_timeout") > 0, "seed " + seed);
            TraceState end = last(r.trace());
            assertEquals(TlaValue.str("send_snd_pf_timeout"), entry(end, "cc", "snd_one"));
            assertEquals(TlaValue.str("receive_snd_pf_timeout"), entry(end, "cc", "rcv_one"));
            assertEquals(TlaValue.str("send_rcv_pf_timeout"), entry(end, "cc", "snd_two"));
            assertEquals(TlaValue.str("receive_rcv_pf_timeout"), entry(end, "cc", "rcv_two"));
        }
    }

    @Test
    void anAbortAcrossFourCpusAbortsTheTransferForBothPartners() throws Exception {
        for (long seed : SEEDS) {
            KernelRefinement r = xpIpc("xp-abort-four-cpus.json", seed);
            assertTrue(r.config().contains("Events = {\"abort\"}"), r.config());
            int abort = labelled(r.trace(), "ProxyTransferFails", "aborted");
            assertTrue(abort > 0, "seed " + seed);
            assertEquals(TlaValue.str("receive_aborted"), entry(r.trace().state(abort), "cc", "rcv_main"));
            assertEquals(TlaValue.str("send_aborted"), entry(r.trace().state(abort), "xpCc", "snd_main"));
            TraceState end = last(r.trace());
            assertEquals(TlaValue.str("send_aborted"), entry(end, "cc", "snd_main"));
            assertEquals(TlaValue.str("receive_aborted"), entry(end, "cc", "rcv_main"));
        }
    }

    @Test
    void theThreeIpiSituationEndsWithTheAbortAndTheOtherMessageArrives() throws Exception {
        for (long seed : SEEDS) {
            KernelRefinement r = xpIpc("xp-three-ipis.json", seed);
            assertTrue(labelled(r.trace(), "ProxyTransferFails", "aborted") > 0, "seed " + seed);
            TraceState end = last(r.trace());
            assertEquals(TlaValue.str("send_aborted"), entry(end, "cc", "snd_main"));
            assertEquals(TlaValue.str("receive_aborted"), entry(end, "cc", "rcv_main"));
            assertEquals(TlaValue.str("ok"), entry(end, "cc", "sink_main"));
        }
    }

    /** A run without aborts or transfer errors is checked against the spec without Events. */
    @Test
    void aRunWithoutAbortsIsCheckedWithoutEvents() throws Exception {
        KernelRefinement r = xpIpc("xp-timeouts.json", 0);
        assertTrue(r.config().contains("Events = {}"), r.config());
        assertEquals(-1, labelled(r.trace(), "ProxyTransferFails", null));
    }

    /**
     * The receiver's code after the abort replaced by the code of a canceled receive (which the
     * uniprocessor abort gives a receiver still waiting, not one whose transfer runs): rejected at
     * the abort's step, naming cc.
     */
    @Test
    void aWrongCompletionCodeAfterAnAbortIsRejectedNamingTheVariable() throws Exception {
        KernelRefinement r = xpIpc("xp-abort-four-cpus.json", 0);
        int abort = labelled(r.trace(), "ProxyTransferFails", "aborted");
        Trace wrong = withEntry(r.trace(), "cc", "rcv_main", TlaValue.str("receive_canceled"), abort);
        TraceVerdict v;
        try (TraceChecker checker = KernelRefinement.load(PROJECT, "XpIpc", "XpIpcKernelRun", r.moduleText(), r.config())) {
            v = checker.check(wrong);
        }
        assertFalse(v.accepted());
        assertEquals(abort, v.failure().index(), v.failure().message());
        assertEquals(List.of("cc"), v.failure().diverging(), v.failure().message());
        assertEquals("ProxyTransferFails", v.failure().claimed().name());
    }

    /**
     * ProxyWakeup models neither the redo-fault round trip of a long copy nor the operation
     * mailboxes of a cross-processor lthread_ex_regs (§8.4.3): these runs are not its behaviours,
     * and the abstraction says which step leaves it.
     */
    @Test
    void proxyWakeupSaysWhyTheseRunsAreNotItsBehaviours() throws Exception {
        for (String scenario : SCENARIOS) {
            KernelRun run = KernelRefinementTest.recordFile(scenario, 0);
            NotApplicable e = assertThrows(NotApplicable.class, () -> new ProxyWakeupAbstraction(run).trace());
            assertTrue(e.getMessage().contains("redo-fault round trip"), scenario + ": " + e.getMessage());
        }
    }

    /**
     * The online check (what {@code l4smp pbt conform.specs} runs): XpIpc describes these runs
     * to their end and accepts them.
     */
    @Test
    void theOnlineMonitorAcceptsTheseRunsToTheirEnd() throws Exception {
        try (SpecCheckers checkers = new SpecCheckers(PROJECT, 4)) {
            for (String file : SCENARIOS) {
                String json = java.nio.file.Files.readString(java.nio.file.Path.of("scenarios", file));
                l4smp.workload.Scenario s = l4smp.workload.ScenarioReader.read(json);
                s = s.withRun(new l4smp.workload.Scenario.RunSpec(s.run().steps(), "random", 1));
                ConformanceCheck.Outcome out = ConformanceCheck.run(s, l4smp.workload.Simulation.scheduler(s), s.run().steps(),
                        List.of("XpIpc"), checkers, ConformanceMonitor.WINDOW);
                ConformanceReport.SpecResult r = out.report().specs().get(0);
                assertTrue(out.conforms(), () -> file + ": " + r);
                assertEquals(null, r.cut(), file);
                assertTrue(r.actions() > 0, file);
            }
        }
    }

    /**
     * lthread_ex_regs on a thread whose page fault's IPC waits at a proxy for a pager on another
     * CPU (§8.4.3 on an IPC the specs do not see): the page fault's IPC is hidden, so is its
     * cancel; the thread's visible IPCs before and after are checked as usual.
     */
    @Test
    void canceledPageFaultIpcToARemotePagerIsHidden() throws Exception {
        String json = """
                {"name": "cancel-remote-fault", "machine": {"cpus": 2, "memoryMB": 16}, "run": {"steps": 100000},
                 "programs": {
                   "sleeper": ["        sleep 50ms", "        halt"],
                   "faulter": ["        li   edx, 7", "        ipc  send @rcv.main snd=10ms", "        li   edx, 0x310000",
                               "        ld   ecx, [edx]", "        halt"],
                   "receiver": ["        ipc  receive @snd.main", "        halt"],
                   "aborter": ["        sleep 2ms", "        li   eax, 0", "        li   ecx, -1", "        li   edx, -1",
                               "        li   esi, -1", "        syscall lthread_ex_regs", "        halt"]},
                 "tasks": [
                   {"name": "pager", "number": 4, "threads": [{"name": "main", "priority": 150, "cpu": 1, "program": "sleeper"}]},
                   {"name": "snd", "number": 5, "threads": [
                     {"name": "main", "lthread": 0, "priority": 100, "cpu": 0, "pager": "pager.main", "program": "faulter"},
                     {"name": "killer", "lthread": 1, "priority": 100, "cpu": 0, "program": "aborter"}]},
                   {"name": "rcv", "number": 6, "threads": [{"name": "main", "priority": 100, "cpu": 1, "program": "receiver"}]}]}
                """;
        l4smp.workload.Scenario s = l4smp.workload.ScenarioReader.read(json);
        KernelRun run = KernelRefinementTest.record(s, s.run().steps());
        assertTrue(run.steps().stream().anyMatch(x -> x.step().ran(l4smp.kernel.observe.PathSegment.PROXY_CANCEL)),
                "the page fault's IPC is canceled at its proxy");
        KernelRefinement r = KernelRefinement.check(PROJECT, new XpIpcAbstraction(run));
        assertTrue(r.verdict().accepted(), () -> KernelRefinementTest.explain(r));
        assertEquals(TlaValue.str("ok"), entry(last(r.trace()), "cc", "snd_main"));
        assertEquals(-1, labelled(r.trace(), "ProxyCancel", null));
    }

    /**
     * lthread_ex_regs on an XP sender whose proxy polls for a receiver that sleeps (§8.4.3): the
     * sender's CPU marks the send, the proxy's CPU gives the request up, XP_RETURN ends the send
     * with send_canceled, and the receiver later waits for nothing.
     */
    @Test
    void anXpSendCanceledWhileItsProxyPollsEndsSendCanceled() throws Exception {
        String json = """
                {"name": "cancel-polling-proxy", "machine": {"cpus": 2, "memoryMB": 16}, "run": {"steps": 100000},
                 "programs": {
                   "sender": ["        li   edx, 7", "        ipc  send @rcv.main", "        halt"],
                   "receiver": ["        sleep 5ms", "        ipc  receive @snd.main rcv=1ms", "        halt"],
                   "aborter": ["        sleep 2ms", "        li   eax, 0", "        li   ecx, -1", "        li   edx, -1",
                               "        li   esi, -1", "        syscall lthread_ex_regs", "        halt"]},
                 "tasks": [
                   {"name": "snd", "number": 5, "threads": [
                     {"name": "main", "lthread": 0, "priority": 100, "cpu": 0, "program": "sender"},
                     {"name": "killer", "lthread": 1, "priority": 100, "cpu": 0, "program": "aborter"}]},
                   {"name": "rcv", "number": 6, "threads": [{"name": "main", "priority": 100, "cpu": 1, "program": "receiver"}]}]}
                """;
        l4smp.workload.Scenario s = l4smp.workload.ScenarioReader.read(json);
        KernelRefinement r = KernelRefinement.check(PROJECT, new XpIpcAbstraction(KernelRefinementTest.record(s, s.run().steps())));
        assertTrue(r.verdict().accepted(), () -> KernelRefinementTest.explain(r));
        int mark = labelled(r.trace(), "AbortXpSender", null);
        int unwind = labelled(r.trace(), "ProxyCancel", null);
        assertTrue(mark > 0 && unwind > mark, "marked at " + mark + ", unwound at " + unwind);
        assertEquals(TlaValue.str("send_canceled"), entry(last(r.trace()), "cc", "snd_main"));
        assertEquals(TlaValue.str("receive_timeout"), entry(last(r.trace()), "cc", "rcv_main"));
    }

    /** Twenty seeds of each scenario (minutes). */
    @Test
    @Tag("slow")
    void twentySeedsOfEachScenarioRefineXpIpc() throws Exception {
        for (String scenario : SCENARIOS) {
            for (long seed = 1; seed <= 20; seed++) {
                xpIpc(scenario, seed);
            }
        }
    }

    /** {@code trace} with {@code variable}'s entry for {@code key} set to {@code value} from state {@code from} on. */
    static Trace withEntry(Trace trace, String variable, String key, TlaValue value, int from) {
        List<TraceState> states = new ArrayList<>(trace.states());
        for (int i = from; i < states.size(); i++) {
            Map<String, TlaValue> values = new LinkedHashMap<>(states.get(i).values());
            Map<TlaValue, TlaValue> f = new LinkedHashMap<>(((TlaValue.Fun) values.get(variable)).mapping());
            f.put(TlaValue.model(key), value);
            values.put(variable, TlaValue.fun(f));
            states.set(i, new TraceState(values, states.get(i).action()));
        }
        return new Trace(trace.variables(), states, null, null, trace.meta());
    }
}
