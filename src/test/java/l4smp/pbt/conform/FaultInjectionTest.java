package l4smp.pbt.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import l4smp.hw.RunResult;
import l4smp.kernel.RemovedFix;
import l4smp.refine.ConformanceCheck;
import l4smp.refine.ConformanceMonitor;
import l4smp.refine.ConformanceReport;
import l4smp.refine.SpecCheckers;
import l4smp.tlc.Project;
import l4smp.tlc.TraceVerdict;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioReader;
import l4smp.workload.Simulation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each fault-injection switch ({@link RemovedFix}) is caught: a scenario run on a kernel without the
 * fix, with the interleaving of a fixed seed (the generated properties' {@link Interleaving}, no
 * delays), is checked step by step by the {@link ConformanceMonitor} against the spec whose bug
 * configuration the switch mirrors, and the checker reports the spec's own bug: the invariant the
 * spec's counterexample violates (or the standard configuration's invariant that the same wrong
 * step breaks first, named in each test), at the action that the fix guards. A switch that ends in
 * a stuck state (a deadlock in the spec) is caught as the progress property sees it. The seeds are
 * fixed so CI runs each in seconds; docs/refine.md, "Fault-injection switches", lists the outcomes.
 */
class FaultInjectionTest {
    private static SpecCheckers checkers;

    @BeforeAll
    static void checkers() {
        checkers = new SpecCheckers(Project.locate(null), 6);
    }

    private static Scenario scenario(String file, Set<RemovedFix> removed) throws Exception {
        Scenario s = ScenarioReader.read(Files.readString(Path.of("scenarios", file)));
        return new Scenario(s.name(), s.description(), s.machine(), s.kernel().withRemovedFixes(removed), s.run(), s.programs(),
                s.tasks(), s.images(), s.interrupts());
    }

    /** The run of {@code file} on a kernel without {@code removed}, interleaved by {@code seed}, checked against {@code specs}. */
    private static ConformanceCheck.Outcome check(String file, Set<RemovedFix> removed, long seed, String... specs) throws Exception {
        Scenario s = scenario(file, removed);
        return ConformanceCheck.run(s, new Interleaving(seed, List.of()).scheduler(s.machine().cpus()), s.run().steps(),
                List.of(specs), checkers, ConformanceMonitor.WINDOW);
    }

    /** Asserts that {@code spec} rejected the run at a state that violates {@code invariant}, reached by {@code action}. */
    private static ConformanceReport.Rejection assertViolates(ConformanceCheck.Outcome out, String spec, String invariant,
                                                             String action) {
        assertNull(out.crash(), () -> "the kernel threw: " + out.crash());
        ConformanceReport.Rejection r = out.report().rejection();
        assertNotNull(r, () -> "no spec rejected the run: " + out.report().specs());
        assertEquals(spec, r.spec(), r::describe);
        assertEquals(TraceVerdict.Kind.INVARIANT, r.failure().kind(), r::describe);
        assertEquals(invariant, r.failure().invariant(), r::describe);
        assertEquals(action, r.failure().claimed().name(), r::describe);
        assertTrue(r.describe().contains("violated invariant: " + invariant), r::describe);
        return r;
    }

    /** NoBarrier1: A exchanges t1's scheduling parameters while t1 still runs on B. */
    @Test
    void withoutBarrier1TheMigrantRunsAtAPriorityItsReadyListDoesNotHave() throws Exception {
        assertViolates(check("migrate-schedulers.json", Set.of(RemovedFix.BARRIER_1), 1, "MigrationBarriers"),
                "MigrationBarriers", "RunsAtItsPriorityInv", "SchedulerPassBarrier1");
    }

    /**
     * NoBarrier2: C links t1 into its ready list while it is still linked in B's. The spec's bug
     * config checks only NoLostOrDanglingLinksInv; the standard invariants, which the run is checked
     * with, catch the same double link one state earlier as ReadyListsWellFormedInv.
     */
    @Test
    void withoutBarrier2TheTargetLinksTheMigrantWhileTheSourceStillHasIt() throws Exception {
        assertViolates(check("migrate-crossing.json", Set.of(RemovedFix.BARRIER_2), 1, "MigrationBarriers"),
                "MigrationBarriers", "ReadyListsWellFormedInv", "TargetPassBarrier2");
    }

    /** NoBarrier2A: C inserts t1 before A wrote its new priority; t1 runs from a list of the old one. */
    @Test
    void withoutAsSideOfBarrier2TheMigrantRunsFromAListOfItsOldPriority() throws Exception {
        assertViolates(check("migrate-schedulers.json", Set.of(RemovedFix.BARRIER_2A), 1, "MigrationBarriers"),
                "MigrationBarriers", "RunsAtItsPriorityInv", "TargetPassBarrier3");
    }

    /**
     * NoBarrier3: C returns before B set t1's processor number. The spec's bug config checks
     * CurrentInv (C's CPU runs t1 while B's still does); in this run C does not switch to t1, and the
     * standard invariant MigrationDoneSeesNewCpuInv names the same missing wait: C is done while t1's
     * TCB does not have its new CPU yet.
     */
    @Test
    void withoutBarrier3TheTargetFinishesBeforeTheMigrantHasItsNewCpu() throws Exception {
        assertViolates(check("migrate-crossing.json", Set.of(RemovedFix.BARRIER_3), 2, "MigrationBarriers"),
                "MigrationBarriers", "MigrationDoneSeesNewCpuInv", "TargetPassBarrier3");
    }

    /** The fixed kernel's runs of the same scenarios and seeds are behaviours of MigrationBarriers. */
    @Test
    void withEveryFixTheSameMigrationRunsConform() throws Exception {
        for (var run : List.of(check("migrate-schedulers.json", Set.of(), 1, "MigrationBarriers"),
                check("migrate-crossing.json", Set.of(), 2, "MigrationBarriers"))) {
            assertTrue(run.conforms(), () -> run.report().rejection().describe());
            assertEquals(ConformanceReport.SpecResult.Status.ACCEPTED, run.report().of("MigrationBarriers").status());
        }
    }

    /**
     * ProxyWakeupNoSenderCheck: b.main's closed receive from a.one activates the proxy that polls
     * for it on a.two's behalf. Without the switch the same interleaving conforms.
     */
    @Test
    void withoutTheSenderCheckAClosedReceiveActivatesAnotherSendersProxy() throws Exception {
        ConformanceReport.Rejection r = assertViolates(check("xp-no-sender-check.json", Set.of(RemovedFix.PROXY_SENDER_CHECK), 3,
                "ProxyWakeup"), "ProxyWakeup", "ActivatedPairInv", "ReceiverReceive");
        assertTrue(r.describe().contains("ipc.receivePath.activateProxy"), r::describe);
        var fixed = check("xp-no-sender-check.json", Set.of(), 3, "ProxyWakeup");
        assertTrue(fixed.conforms(), () -> fixed.report().rejection().describe());
    }

    /**
     * The generated property catches the same switch within its default budget (its tries): the
     * shared-proxy family queues two senders' requests at one proxy and names the one behind in a
     * closed receive. ProxyWakeup reports the spec's own bug, ActivatedPairInv at ReceiverReceive
     * (XpIpc, which has no such switch, rejects the same step as not one of its steps), and the
     * failure shrinks to a shared-proxy run. A minute or two: slow.
     */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void theGeneratedPropertyCatchesAClosedReceiveActivatingAnotherSendersProxy() {
        var result = new l4smp.pbt.PropertyRunner().run(ConformanceProperties.specs(false, Set.of(RemovedFix.PROXY_SENDER_CHECK)),
                l4smp.pbt.RunConfig.defaults().withSeed(2).withTries(ConformanceProperties.DEFAULT_TRIES)
                        .withTimeBudget(java.time.Duration.ofMinutes(30)));
        assertEquals(l4smp.pbt.PropertyResult.Status.FAILED, result.status(), () -> result.report("-"));
        var c = result.counterexample().orElseThrow();
        assertTrue(c.failure().kind().contains("ProxyWakeup invariant ActivatedPairInv at ReceiverReceive"), c.failure()::kind);
        assertEquals("shared-proxy", ((KernelInput) c.shrunkValue()).workload().family(), c::shrunk);
    }

    /**
     * XpIpcStaleProxyPointer: a pointer left set is harmless (the spec's config holds with every
     * invariant but ProxyPointerInv, which states the fix); the kernel's run breaks exactly that one.
     */
    @Test
    void withoutClearingTheProxyPointerOnlyTheInvariantThatStatesTheFixBreaks() throws Exception {
        assertViolates(check("xp-timeouts.json", Set.of(RemovedFix.CLEAR_PROXY_POINTER), 1, "XpIpc"),
                "XpIpc", "ProxyPointerInv", "ProxyXpSendPath");
    }

    /**
     * XpIpcWaitingProxy: a proxy that waits instead of polling is in no state the receive path looks
     * for. The spec's config checks the liveness that breaks (SendCompletesProp); the first state
     * of the kernel's run already breaks SendQueueInv, which says why: B's send queue holds a sender
     * whose proxy does not poll.
     */
    @Test
    void aProxyThatWaitsInsteadOfPollingLeavesASenderInTheQueueThatNobodyPollsFor() throws Exception {
        assertViolates(check("xp-timeouts.json", Set.of(RemovedFix.PROXY_POLLS), 1, "XpIpc"),
                "XpIpc", "SendQueueInv", "ProxyXpSendPath");
    }

    /**
     * ProxyWakeupNoTempCopy cannot happen in the kernel: its receive path is one atomic step of one
     * CPU, so reading the sender's proxy pointer again for each check reads the same value. The run
     * without the temporary conforms to every spec, as the fixed one does.
     */
    @Test
    void withoutTheTemporaryCopyTheKernelStillConformsBecauseTheReceivePathIsAtomic() throws Exception {
        var out = check("xp-timeouts.json", Set.of(RemovedFix.TEMP_PROXY_COPY), 1, "XpIpc", "ProxyWakeup");
        assertTrue(out.conforms(), () -> out.report().rejection().describe());
        assertEquals(ConformanceReport.SpecResult.Status.ACCEPTED, out.report().of("ProxyWakeup").status());
    }

    /**
     * ProxyWakeupThreeIpisEoiOnly: with an IPI for every trigger two CPUs each stall sending an IPI to
     * the other while both of the other's slots are taken, interrupts disabled: the hang of §8.3.3.
     * The progress property sees it (no IPC for the rest of the run, both CPUs stalled); with the fix
     * the same seed comes to rest having sent every message.
     */
    @Test
    void anIpiForEveryTriggerHangsTwoCpusThatEachWaitForTheOthersSlot() throws Exception {
        String json = Files.readString(Path.of("scenarios", "xp-ipi-pressure.json"));
        for (boolean removed : new boolean[] {true, false}) {
            Simulation sim = ScenarioReader.load(json, s -> new Scenario(s.name(), s.description(), s.machine(),
                    s.kernel().withRemovedFixes(removed ? Set.of(RemovedFix.IPI_ONLY_IF_UNACKED) : Set.of()),
                    new Scenario.RunSpec(s.run().steps(), "random", 3), s.programs(), s.tasks(), s.images(), s.interrupts()));
            Progress progress = new Progress(sim);
            sim.listener(progress);
            RunResult result = sim.run();
            List<String> stalled = java.util.stream.IntStream.range(0, sim.machine().cpuCount())
                    .filter(c -> sim.machine().cpu(c).isStalled()).mapToObj(c -> "cpu" + c).toList();
            if (removed) {
                assertEquals(RunResult.Reason.STEP_LIMIT, result.reason());
                assertEquals(List.of("cpu0", "cpu1"), stalled);
                List<String> bad = progress.violations(result);
                assertEquals(1, bad.size(), bad::toString);
                assertTrue(bad.get(0).startsWith("no IPC began or ended"), bad::toString);
            } else {
                assertEquals(RunResult.Reason.QUIESCENT, result.reason());
                assertEquals(List.of(), stalled);
                assertEquals(List.of(), progress.violations(result));
            }
        }
    }

    /**
     * XpIpcSenderTimeout: without "from TCB.timeout = NEVER" the XP sender waits in its CPU's
     * wakeup queue with its own send timeout. The standard invariants catch that at the send itself
     * (WakeupQueueInv: a thread locked for its proxy has no timeout to wait for; the spec's bug
     * config, which checks only SendResultInv, takes the same step). The run then shows the bug the
     * bug config is about: snd.main's own timer ends its send with send_timeout, and its proxy
     * still delivers the message to rcv.main. With the fix the sender gets the proxy's verdict
     * and the run conforms.
     */
    @Test
    void withoutTheSendersTimeoutNeverItsOwnTimerEndsASendItsProxyStillDelivers() throws Exception {
        assertViolates(check("xp-sender-timeout.json", Set.of(RemovedFix.SENDER_TIMEOUT_NEVER), 1, "XpIpc"),
                "XpIpc", "WakeupQueueInv", "ThreadSendRemote");
        var fixed = check("xp-sender-timeout.json", Set.of(), 1, "XpIpc");
        assertTrue(fixed.conforms(), () -> fixed.report().rejection().describe());
        for (boolean removed : new boolean[] {true, false}) {
            Simulation sim = Simulation.build(scenario("xp-sender-timeout.json",
                    removed ? Set.of(RemovedFix.SENDER_TIMEOUT_NEVER) : Set.of()));
            sim.run();
            var report = sim.report();
            assertEquals(1, report.row("snd.main").ipcs(l4smp.kernel.ipc.IpcOp.SEND, l4smp.kernel.ipc.CompletionCode.SEND_TIMEOUT));
            assertEquals(removed ? 1 : 0, report.row("rcv.main").ipcs(l4smp.kernel.ipc.IpcOp.RECEIVE,
                    l4smp.kernel.ipc.CompletionCode.OK), () -> "removed " + removed);
        }
    }

    /**
     * ProxyWakeupLateEoiAcked's threads: with the EOI held until the triggered operations are done,
     * a request from cpu0 keeps cpu1's IPI in service while its proxy waits for b.main, which waits
     * for its own send's reply. The reply's IPI cannot be taken while that one is in service, and cpu1, with
     * nothing to run, halts without leaving the kernel, so no check_n_ack finds the flag: the run
     * comes to rest with b.main locked_waiting, its reply flagged for cpu1 and cpu1's IPI in
     * service for ever (§8.3.3's hang, here before any sender stalls: the spec's CPU may run
     * check_n_ack whenever a flag is set, the kernel's only in the handler and at a kernel exit). The progress property
     * does not see it (it leaves an XP sender waiting for its reply to the user's programs), so
     * the test looks at the state. With the fix the same seed delivers every message.
     */
    @Test
    void aLateEoiLeavesTheReplyForAWaitingSenderUntakenForEver() throws Exception {
        for (boolean removed : new boolean[] {true, false}) {
            Simulation sim = Simulation.build(withSeed(scenario("xp-late-eoi.json",
                    removed ? Set.of(RemovedFix.EOI_FIRST) : Set.of()), 1));
            RunResult result = sim.run();
            assertEquals(RunResult.Reason.QUIESCENT, result.reason());
            var b = sim.report().row("b.main");
            var view = sim.kernel().view();
            boolean replyFlagged = view.mailboxes().stream().anyMatch(m -> m.flagged() && m.targetCpu() == 1
                    && m.kind().equals("xp_reply") && m.performer().equals(b.id()));
            if (removed) {
                assertEquals(l4smp.kernel.thread.ThreadState.LOCKED_WAITING, view.thread(b.id()).state());
                assertEquals(0, b.ipcs(l4smp.kernel.ipc.IpcOp.SEND, l4smp.kernel.ipc.CompletionCode.OK));
                assertTrue(replyFlagged, () -> view.mailboxes().toString());
                assertEquals(1, sim.machine().cpu(1).apic().inService().size());
            } else {
                assertEquals(1, b.ipcs(l4smp.kernel.ipc.IpcOp.SEND, l4smp.kernel.ipc.CompletionCode.OK));
                assertEquals(3, b.ipcs(l4smp.kernel.ipc.IpcOp.OPEN_RECEIVE, l4smp.kernel.ipc.CompletionCode.OK));
                assertTrue(!replyFlagged && sim.machine().cpu(1).apic().inService().isEmpty());
            }
        }
    }

    private static Scenario withSeed(Scenario s, long seed) {
        return new Scenario(s.name(), s.description(), s.machine(), s.kernel(), new Scenario.RunSpec(s.run().steps(), "random", seed),
                s.programs(), s.tasks(), s.images(), s.interrupts());
    }

    // ---- migfix: XpMigration's KeepSender and MigrateRequests (§8.5 races 1 and 3) ----

    /** The run of {@code file} on a kernel without {@code removed}, under the file's own (timing-realistic) scheduler. */
    private static ConformanceCheck.Outcome checkAsFiled(String file, Set<RemovedFix> removed, String... specs) throws Exception {
        Scenario s = scenario(file, removed);
        return ConformanceCheck.run(s, Simulation.scheduler(s), s.run().steps(), List.of(specs), checkers, ConformanceMonitor.WINDOW);
    }

    /**
     * XpMigrationMigrateSender (race 1): B lets a.one go to cpu2 while its proxy on cpu1 has already
     * sent the reply to cpu0. XpMigration (KeepSender = FALSE, from the run's switch) rejects the
     * Migrate step with the bug config's ReplyReachesSenderInv; the kernel's own check of
     * implementation decision 3 fails later, when cpu0's check_n_ack links the reply to a thread
     * that lives on cpu2. With the fix, B refuses, the call is redone after the send, and the run
     * conforms.
     */
    @Test
    void withoutKeepingTheSenderItsReplyGoesToTheCpuItLeft() throws Exception {
        ConformanceCheck.Outcome out = checkAsFiled("migrate-xp-reply.json", Set.of(RemovedFix.KEEP_SENDER), "XpMigration");
        ConformanceReport.Rejection r = out.report().rejection();
        assertNotNull(r, () -> "no spec rejected the run: " + out.report().specs());
        assertEquals("XpMigration", r.spec(), r::describe);
        assertEquals(TraceVerdict.Kind.INVARIANT, r.failure().kind(), r::describe);
        assertEquals("ReplyReachesSenderInv", r.failure().invariant(), r::describe);
        assertEquals("Migrate", r.failure().claimed().name(), r::describe);
        assertNotNull(out.crash(), "the kernel's decision-3 check fails once the reply arrives");
        assertTrue(out.crash().getMessage().contains("cpu0 modifies 7.0"), out.crash()::getMessage);
        var fixed = checkAsFiled("migrate-xp-reply.json", Set.of(), "XpMigration");
        assertNull(fixed.crash(), () -> "the kernel threw: " + fixed.crash());
        assertTrue(fixed.conforms(), () -> fixed.report().rejection().describe());
    }

    /**
     * XpMigrationNoRequestMigration (race 3): r.main moves to cpu3 while a.one's and a.two's proxies
     * on cpu1 poll for it; without the fix the requests stay behind. XpMigration (MigrateRequests =
     * FALSE) rejects the Migrate step with the bug config's ProxyWithReceiverInv.
     */
    @Test
    void withoutMigratingTheRequestsTheirProxiesAreLeftOnTheReceiversOldCpu() throws Exception {
        // the move comes within the first hundred kernel steps; running on to the file's 200,000-step
        // limit only adds a minute (shared machine) of a run whose check has already ended
        Scenario s = scenario("migrate-xp-send.json", Set.of(RemovedFix.MIGRATE_REQUESTS));
        var out = ConformanceCheck.run(s, new Interleaving(1, List.of()).scheduler(s.machine().cpus()), 2_000,
                List.of("XpMigration"), checkers, ConformanceMonitor.WINDOW);
        assertViolates(out, "XpMigration", "ProxyWithReceiverInv", "Migrate");
        var fixed = check("migrate-xp-send.json", Set.of(), 1, "XpMigration");
        assertTrue(fixed.conforms(), () -> fixed.report().rejection().describe());
    }

    // ---- end migfix ----
}
