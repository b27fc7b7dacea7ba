package l4smp.refine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.tlc.Project;
import l4smp.workload.Scenario;
import l4smp.workload.Simulation;
import org.junit.jupiter.api.Test;

/** Kernel runs with cross-processor IPC are behaviours of the specs. */
class KernelRefinementTest {
    static KernelRun record(Scenario scenario, long steps) throws Exception {
        Simulation sim = Simulation.build(scenario);
        KernelRun run = new KernelRun(sim.kernel().view(), id -> TlaNames.identifier(sim.name(id)), 100_000);
        sim.listener(run);
        sim.run(steps);
        return run;
    }

    /** The rejected step in a few lines: what it claimed, which variables diverge, what changed. */
    static String explain(KernelRefinement r) {
        var f = r.verdict().failure();
        StringBuilder text = new StringBuilder("rejected at state " + f.index() + " (" + f.kind() + "): " + f.message()
                + "\n  claimed: " + f.claimed() + "\n  diverging: " + f.diverging() + "\n  enabled: " + f.enabled() + "\n");
        if (f.before() != null) {
            f.after().values().forEach((k, v) -> {
                if (!v.equals(f.before().values().get(k)) || f.diverging().contains(k)) {
                    text.append("  ").append(k).append(": ").append(f.before().values().get(k)).append("\n    -> ").append(v).append('\n');
                }
            });
        }
        return text.toString();
    }

    @Test
    void aCrossCpuCallAndReplyRefinesXpIpc() throws Exception {
        Scenario s = Scenario.builder("xp").cpus(2).memoryMB(8).steps(100_000)
                .program("client", """
                        li   esp, 0
                loop:   mov  edx, esp
                        ipc  call @srv.main
                        add  esp, 1
                        bne  esp, 3, loop
                        halt
                """)
                .program("server", """
                        ipc  wait
                loop:   add  edx, 1
                        ipc  reply_wait esi snd=0
                        jmp  loop
                """)
                .task("srv", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "server", Map.of()))
                .task("cl", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "client", Map.of())).build();
        KernelRun run = record(s, 20_000);
        KernelRefinement r = KernelRefinement.check(Project.locate(null), new XpIpcAbstraction(run));
        assertTrue(r.verdict().accepted(), () -> explain(r));
    }

    /** Senders on cpu0 and cpu2 send to a receiver on cpu1 that is sometimes late; timeouts on both sides. */
    static Scenario sendsAndReceives() {
        return Scenario.builder("xp-send-receive").cpus(3).memoryMB(8).steps(100_000)
                .program("sender", """
                        ipc  send @r.main
                        ipc  send @r.main snd=0
                        ipc  send @r.main snd=50us
                        compute 20000
                        ipc  send @r.main
                        halt
                """)
                .program("other", """
                        compute 3000
                        ipc  send @r.main snd=30us
                        ipc  send @r.main
                        halt
                """)
                .program("receiver", """
                        compute 8000
                        ipc  receive @s.main
                        ipc  wait rcv=40us
                        ipc  wait
                        ipc  wait
                        compute 30000
                        ipc  wait
                        ipc  wait rcv=0
                        halt
                """)
                .task("s", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "sender", Map.of()))
                .task("o", 7, t -> t.thread("main", 0, 100, 2, "sigma0", "other", Map.of()))
                .task("r", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "receiver", Map.of())).build();
    }

    @Test
    void crossCpuSendsAndReceivesWithTimeoutsRefineXpIpcAndProxyWakeup() throws Exception {
        KernelRun run = record(sendsAndReceives(), 50_000);
        KernelRefinement x = KernelRefinement.check(Project.locate(null), new XpIpcAbstraction(run));
        assertTrue(x.verdict().accepted(), () -> "XpIpc " + explain(x));
        KernelRefinement p = KernelRefinement.check(Project.locate(null), new ProxyWakeupAbstraction(run));
        assertTrue(p.verdict().accepted(), () -> "ProxyWakeup " + explain(p) + "\n" + p.moduleText());
    }

    static KernelRun recordFile(String file, long seed) throws Exception {
        return recordFile(file, seed, true);
    }

    /** With {@code handover} false, the proxy of §8.4 (one per pair) that ProxyWakeup models. */
    static KernelRun recordFile(String file, long seed, boolean handover) throws Exception {
        String json = java.nio.file.Files.readString(java.nio.file.Path.of("scenarios", file));
        Scenario s = l4smp.workload.ScenarioReader.read(json);
        if (!handover) {
            s = s.withKernel(s.kernel().withProxyHandover(false));
        }
        if (seed > 0) {
            s = s.withRun(new Scenario.RunSpec(s.run().steps(), "random", seed));
        }
        return record(s, s.run().steps());
    }

    static void refines(KernelRun run, String... specs) throws Exception {
        for (String spec : specs) {
            KernelRefinement r = KernelRefinement.check(Project.locate(null), Abstractions.of(spec, run));
            assertTrue(r.verdict().accepted(), () -> spec + " " + explain(r));
        }
    }

    @Test
    void theTimeoutScenarioRefinesBothSpecs() throws Exception {
        refines(recordFile("xp-timeouts.json", 0), "XpIpc", "ProxyWakeup");
    }

    /**
     * A second proxy instance takes over the list of one whose send polls (§8.4.4): XpIpc, which
     * gives each sender its own proxy, accepts the run; ProxyWakeup, one proxy per pair, says it
     * does not apply.
     */
    @Test
    void aProxyHandOverRefinesXpIpc() throws Exception {
        KernelRun run = recordFile("xp-proxy-handover.json", 0);
        refines(run, "XpIpc");
        var e = org.junit.jupiter.api.Assertions.assertThrows(NotApplicable.class,
                () -> new ProxyWakeupAbstraction(run).trace());
        assertTrue(e.getMessage().contains("proxyHandover false"), e.getMessage());
    }

    /**
     * Found by {@code l4smp pbt --seed 0x5eed conform.specs} (written by {@code pbt --out}): the
     * receiver of a cross-processor send faults on a page whose pager is on another CPU while the
     * sender's proxy polls for it, and the fault's proxy hands its list over (§8.4.4). That proxy's
     * send path is the page fault's IPC, hidden from the specs, not a ProxyXpSendPath of the race.
     */
    @Test
    void theReceiversPageFaultToARemotePagerIsNoSendOfTheUhligRace() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/refine/uhlig-receiver-fault");
        Scenario s = l4smp.workload.ScenarioReader.read(java.nio.file.Files.readString(dir.resolve("scenario.json")));
        var choices = l4smp.hw.sched.ChoiceList.read(dir.resolve("schedule.txt"));
        try (SpecCheckers checkers = new SpecCheckers(Project.locate(null), 3)) {
            ConformanceCheck.Outcome out = ConformanceCheck.run(s, new l4smp.hw.sched.ReplayScheduler(choices),
                    Math.min(s.run().steps(), choices.size()), java.util.List.of("XpIpc", "UhligRace"), checkers,
                    ConformanceMonitor.WINDOW);
            assertTrue(out.conforms(), () -> String.valueOf(out.report().rejection()));
            ConformanceReport.SpecResult uhlig = out.report().specs().get(1);
            assertTrue(uhlig.actions() > 0, () -> "UhligRace saw none of its actions: " + uhlig);
        }
    }

    @Test
    void theUhligRaceScenarioRefinesBothSpecsUnderTwoSeeds() throws Exception {
        refines(recordFile("xp-uhlig-race.json", 7), "XpIpc", "ProxyWakeup");
        refines(recordFile("xp-uhlig-race.json", 8), "XpIpc", "ProxyWakeup");
    }

    @Test
    void aCallIsNoProxyWakeupBehaviourAndTheAbstractionSaysSo() throws Exception {
        KernelRun run = record(sendsAndReceives().withRun(new Scenario.RunSpec(10, "earliest-clock-first", 1)), 10);
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> new ProxyWakeupAbstraction(run).trace());
        KernelRun calls = recordFile("xp-detection.json", 0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(NotApplicable.class,
                () -> new ProxyWakeupAbstraction(calls).trace());
        assertTrue(e.getMessage().contains("does a call"), e.getMessage());
    }

    /** Every cross-processor scenario of scenarios/ against every spec it is a behaviour of (minutes). */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void everyCrossProcessorScenarioRefinesTheSpecs() throws Exception {
        for (String f : java.util.List.of("xp-ipi-pressure.json", "xp-mailbox-pool-dry.json", "xp-many-senders.json")) {
            refines(recordFile(f, 0), "XpIpc");
            refines(recordFile(f, 0, false), "XpIpc", "ProxyWakeup");
        }
        for (String f : java.util.List.of("xp-call-reply.json", "xp-detection.json")) {
            refines(recordFile(f, 0), "XpIpc");
        }
    }
}
