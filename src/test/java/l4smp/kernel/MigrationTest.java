package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/**
 * Thread migration (§6.1.2, §7.1, §8.7): thread_schedule with a processor number moves a thread in
 * the three parts A, B and C; their special cases, waiting threads, resources, and the races with
 * IPC of §8.5. Every run is checked by {@link Invariants} after each step.
 */
class MigrationTest {
    /** A worker loop that publishes where it runs: EBX the Task Register (§8.8.1), EDI its UTCB's processor number (§7.2). */
    static final String WORKER = """
                    li   esp, 0
            loop:   str  ebx
                    ld   edi, [0xBFE0004C]
                    compute 500
                    add  esp, 1
                    bne  esp, 400, loop
                    halt
            """;

    /** {@code thread_schedule(thread, priority, processor)} (processor 1..k), old word into EDI. */
    static String schedule(String thread, int priority, int processor) {
        return String.format("""
                        li   eax, 0x%08X
                        li   esi, %s
                        syscall thread_schedule
                        mov  edi, eax
                """, (processor << 16) | priority, thread);
    }

    /** Task t: its main thread runs {@code main} on {@code mainCpu}, its thread w runs {@code work} on {@code workCpu}. */
    private static Rig rig(int cpus, String main, int mainCpu, String work, int workCpu, int workPriority) {
        Scenario s = Rig.programs("sched", main, "work", work).cpus(cpus)
                .task("t", 5, t -> t.thread("main", 0, 100, mainCpu, "sigma0", "sched", Map.of())
                        .thread("w", 1, workPriority, workCpu, "sigma0", "work", Map.of()))
                .build();
        return checked(new Rig(s));
    }

    static Rig checked(Rig rig) {
        rig.kernel.listener((step, view) -> {
            rig.steps.add(step);
            Invariants.check(step, view);
        });
        return rig;
    }

    private static List<Integer> cpusOf(Rig rig, String label) {
        return rig.steps.stream().filter(s -> s.label().contains(label)).map(KernelStep::cpu).toList();
    }

    @Test
    void aReadyThreadMovesFromItsCpuToAThirdOneWithEveryPartOnItsOwnCpu() {
        Rig rig = rig(3, "compute 5000\n" + schedule("@t.w", 80, 3) + "halt\n", 0, WORKER, 1, 90);
        rig.runToQuiescence(100_000);

        assertEquals(90, rig.reg("t.main", Reg.EDI) & 0xFF, "the old priority");
        assertEquals(2, (rig.reg("t.main", Reg.EDI) >>> 16) & 0xF, "the old processor number (cpu1)");
        assertEquals(2, rig.tcb("t.w").cpu());
        assertEquals(80, rig.tcb("t.w").priority(), "the new priority, exchanged by A");
        assertEquals(3, rig.reg("t.w", Reg.EBX), "it ran on cpu2 (Task Register 3) afterwards");
        assertEquals(3, rig.reg("t.w", Reg.EDI), "its UTCB says processor 3 (§7.2)");
        assertEquals(List.of(1, 2), rig.kernel.statistics().of(rig.id("t.w")).cpuHistory());
        assertEquals(List.of(0), cpusOf(rig, "migrate.scheduler.call"));
        assertEquals(List.of(0), cpusOf(rig, "migrate.scheduler.passBarrier1"));
        assertEquals(List.of(1), cpusOf(rig, "migrate.source.enter"));
        assertEquals(List.of(1), cpusOf(rig, "migrate.source.passBarrier2"));
        assertEquals(List.of(2), cpusOf(rig, "migrate.target.passBarrier2"));
        assertEquals(List.of(2), cpusOf(rig, "migrate.target.passBarrier3"));
        assertTrue(rig.ran("migrate.scheduler.spin") > 0, "A waited at its barriers, burning cycles");
        assertNull(rig.kernel.migration().lockHolder(), "the global migration lock is free again");
        assertTrue(rig.kernel.view().migrations().isEmpty());
        assertEquals(1, rig.kernel.migration().migrations());
    }

    @Test
    void whenTheCallerIsOnTheSourceCpuPartBRunsInItsCallAfterPartAWithoutAnIpiToItself() {
        Rig rig = rig(2, schedule("@t.w", 90, 2) + "halt\n", 0, WORKER, 0, 90);
        rig.runToQuiescence(100_000);

        assertEquals(1, rig.tcb("t.w").cpu());
        assertEquals(2, rig.reg("t.w", Reg.EBX));
        assertEquals(0, rig.ran("migrate.scheduler.passBarrier1"), "A = B: (=1) is skipped, A exchanges at once");
        assertEquals(List.of(0), cpusOf(rig, "migrate.source.enter"));
        assertEquals(List.of(1), cpusOf(rig, "migrate.target.enter"));
        int call = indexOf(rig, "migrate.scheduler.passBarrier2");
        assertTrue(call < indexOf(rig, "migrate.source.enter") && indexOf(rig, "migrate.source.enter")
                < indexOf(rig, "migrate.scheduler.return"), "B runs inside A's call, after A passed (=2)");
    }

    @Test
    void whenTheCallerIsOnTheTargetCpuPartCRunsInItsCallAndDoesNotSwitchAwayFromIt() {
        Rig rig = rig(2, "compute 3000\n" + schedule("@t.w", 99, 1) + "mov esp, 1\nhalt\n", 0, WORKER, 1, 99);
        rig.runToQuiescence(100_000);

        assertEquals(0, rig.tcb("t.w").cpu());
        assertEquals(1, rig.reg("t.w", Reg.EBX));
        assertEquals(List.of(0), cpusOf(rig, "migrate.target.passBarrier3"));
        assertTrue(indexOf(rig, "migrate.target.passBarrier3") < indexOf(rig, "migrate.scheduler.return"),
                "C runs inside A's call and A returns after it");
        assertEquals(1, rig.reg("t.main", Reg.ESP), "the caller went on after its call");
    }

    private static int indexOf(Rig rig, String label) {
        for (int i = 0; i < rig.steps.size(); i++) {
            if (rig.steps.get(i).label().contains(label)) {
                return i;
            }
        }
        throw new AssertionError("no step " + label);
    }

    @Test
    void aThreadThatAsksToMigrateItselfIsNotMovedButItsOtherParametersApply() {
        Rig rig = rig(2, schedule("@t.main", 70, 2) + "str ebx\nhalt\n", 0, "halt", 1, 90);
        rig.runToQuiescence(50_000);

        assertEquals(0, rig.tcb("t.main").cpu(), "implementation decision 4: ignored");
        assertEquals(70, rig.tcb("t.main").priority());
        assertEquals(100, rig.reg("t.main", Reg.EDI) & 0xFF, "the old values came back");
        assertEquals(1, rig.reg("t.main", Reg.EBX));
        assertEquals(0, rig.ran("migrate."));
    }

    @Test
    void aProcessorNumberAboveKOrAPriorityAboveTheMcpIsRefusedAndNothingMoves() {
        Scenario s = Rig.programs("sched", schedule("@t.w", 90, 3) + "mov esp, edi\n" + schedule("@t.w", 200, 2) + "halt\n",
                "work", "halt").cpus(2)
                .task("t", 5, t -> t.mcp(150).thread("main", 0, 100, 0, "sigma0", "sched", Map.of())
                        .thread("w", 1, 90, 1, "sigma0", "work", Map.of())).build();
        Rig rig = checked(new Rig(s));
        rig.runToQuiescence(50_000);

        assertEquals(-1, rig.reg("t.main", Reg.ESP), "processor 3 of 2");
        assertEquals(-1, rig.reg("t.main", Reg.EDI), "priority 200 above the MCP 150");
        assertEquals(1, rig.tcb("t.w").cpu());
        assertEquals(0, rig.ran("migrate."));
    }

    @Test
    void aWaitingThreadMovesWithItsTimeoutWhichStillFiresOnTheNewCpu() {
        Rig rig = rig(2, "compute 4000\n" + schedule("@t.w", 90, 2) + "halt\n", 0, """
                        sleep 300us
                        mov  esp, eax
                        str  ebx
                        halt
                """, 0, 90);
        long[] wokeAt = {-1};
        rig.kernel.listener((step, view) -> {
            rig.steps.add(step);
            Invariants.check(step, view);
            if (wokeAt[0] < 0 && step.label().contains("timer.timeout") && step.cpu() == 1) {
                wokeAt[0] = step.millicycles();
            }
        });
        rig.runToQuiescence(100_000);

        assertEquals(CompletionCode.RECEIVE_TIMEOUT, rig.code("t.w", Reg.ESP), "its sleep ended by its timeout");
        assertEquals(2, rig.reg("t.w", Reg.EBX), "and it went on on cpu1");
        assertEquals(List.of(0, 1), rig.kernel.statistics().of(rig.id("t.w")).cpuHistory());
        assertTrue(indexOf(rig, "migrate.target.passBarrier2") < indexOf(rig, "timer.timeout"),
                "it waited when it moved");
        long deadline = 300L * 450 * 1000;
        assertTrue(wokeAt[0] >= deadline && wokeAt[0] < deadline + 2 * 20_000_000L,
                "the rest of its timeout went with it: woke at " + wokeAt[0] / 1000 + " cycles, due at 135000");
    }

    @Test
    void aReceiverWaitingForEverMovesAndItsSenderReachesItOnTheNewCpu() {
        Scenario s = Rig.programs("sched", "compute 4000\n" + schedule("@r.main", 100, 3) + "halt\n", "rcv", """
                        ipc  receive @s.main
                        mov  edi, eax
                        str  ebx
                        halt
                """, "snd", """
                        compute 30000
                        li   edx, 77
                        ipc  send @r.main
                        mov  edi, eax
                        halt
                """).cpus(3)
                .task("t", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "sched", Map.of()))
                .task("r", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "rcv", Map.of()))
                .task("s", 7, t -> t.thread("main", 0, 100, 1, "sigma0", "snd", Map.of())).build();
        Rig rig = checked(new Rig(s));
        rig.runToQuiescence(100_000);

        assertEquals(2, rig.tcb("r.main").cpu());
        assertEquals(CompletionCode.OK, rig.code("r.main", Reg.EDI));
        assertEquals(77, rig.reg("r.main", Reg.EDX));
        assertEquals(3, rig.reg("r.main", Reg.EBX));
        assertEquals(CompletionCode.OK, rig.code("s.main", Reg.EDI));
        assertEquals(1, rig.ran("xcpu.sendPath.xpSend"), "its sender, once local, now sends across CPUs");
    }

    /**
     * §8.5, third race: the sender's proxy polls for the receiver in its send queue when the receiver
     * migrates; the request goes with it to the proxy of the sender's CPU on the new CPU.
     */
    @Test
    void aRequestWhoseProxyPollsForTheReceiverGoesWithItToItsNewCpu() {
        Rig rig = receiverMovedDuringSend(55, 3, 3);

        assertEquals(2, rig.tcb("r.main").cpu());
        assertEquals(CompletionCode.OK, rig.code("s.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("r.main", Reg.EDI));
        assertEquals(55, rig.reg("r.main", Reg.EDX));
        assertEquals(List.of(1, 2), cpusOf(rig, "xcpu.proxy.poll"), "the proxy polled on cpu1, then the one of cpu2");
        assertTrue(rig.kernel.xcpu().mailboxesInUse().isEmpty());
    }

    /**
     * A sender on cpu0 sends {@code value} to a receiver on cpu1 that receives late; meanwhile a
     * scheduler moves the receiver to processor {@code to} (thread_schedule's 1-based number).
     */
    private static Rig receiverMovedDuringSend(int value, int to, int cpus) {
        Scenario s = Rig.programs("sched", "compute 30000\n" + schedule("@r.main", 100, to) + "halt\n", "rcv", """
                        sleep 300us
                        ipc  receive @s.main
                        mov  edi, eax
                        str  ebx
                        halt
                """, "snd", """
                        li   edx, %d
                        ipc  send @r.main
                        mov  edi, eax
                        halt
                """.formatted(value)).cpus(cpus)
                .task("t", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "sched", Map.of()))
                .task("r", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "rcv", Map.of()))
                .task("s", 7, t -> t.thread("main", 0, 110, 0, "sigma0", "snd", Map.of())).build();
        Rig rig = checked(new Rig(s));
        rig.runToQuiescence(100_000);
        return rig;
    }

    /** ... and if the receiver moves to its sender's CPU, the IPC restarts there as a local one (§8.5). */
    @Test
    void aReceiverMovedToItsRemoteSendersCpuGetsTheSendAsALocalIpc() {
        Rig rig = receiverMovedDuringSend(56, 1, 2);

        assertEquals(0, rig.tcb("r.main").cpu());
        assertEquals(CompletionCode.OK, rig.code("s.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("r.main", Reg.EDI));
        assertEquals(56, rig.reg("r.main", Reg.EDX));
        assertEquals(1, rig.ran("ipc.sendPath.restart"), "the sender began its send again, locally");
        assertTrue(rig.kernel.xcpu().mailboxesInUse().isEmpty(), "its mailbox was freed");
        assertNull(rig.tcb("s.main").proxy());
    }

    /** A local sender that polls for a receiver that moves away becomes a cross-processor sender. */
    @Test
    void aLocalSenderPollingForAMovingReceiverSendsAgainAcrossCpus() {
        Scenario s = Rig.programs("sched", "compute 30000\n" + schedule("@r.main", 100, 1) + "halt\n", "rcv", """
                        sleep 300us
                        ipc  receive @s.main
                        mov  edi, eax
                        halt
                """, "snd", """
                        li   edx, 57
                        ipc  send @r.main
                        mov  edi, eax
                        halt
                """).cpus(2)
                .task("t", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "sched", Map.of()))
                .task("r", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "rcv", Map.of()))
                .task("s", 7, t -> t.thread("main", 0, 100, 1, "sigma0", "snd", Map.of())).build();
        Rig rig = checked(new Rig(s));
        rig.runToQuiescence(100_000);

        assertEquals(0, rig.tcb("r.main").cpu());
        assertEquals(CompletionCode.OK, rig.code("s.main", Reg.EDI));
        assertEquals(57, rig.reg("r.main", Reg.EDX));
        assertEquals(1, rig.ran("ipc.sendPath.restart"));
        assertEquals(1, rig.ran("xcpu.sendPath.xpSend"), "its restarted send went through a proxy");
    }

    /**
     * s.main on cpu0 sends to r.main on cpu1, which receives only after computing
     * {@code receiverDelay} cycles; t.main on cpu2 asks to move s.main to cpu1 meanwhile.
     */
    private static Scenario sendOutWhileMoved(long receiverDelay) {
        return Rig.programs("sched", "compute 8000\n" + schedule("@s.main", 100, 2) + "halt\n", "rcv",
                "compute " + receiverDelay + "\n" + """
                        ipc  receive @s.main
                        halt
                """, "snd", """
                        ipc  send @r.main
                        mov  edi, eax
                        str  ebx
                        halt
                """).cpus(3)
                .task("t", 5, t -> t.thread("main", 0, 100, 2, "sigma0", "sched", Map.of()))
                .task("r", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "rcv", Map.of()))
                .task("s", 7, t -> t.thread("main", 0, 110, 0, "sigma0", "snd", Map.of())).build();
    }

    /**
     * §8.5, first race: the sender is not migrated while a proxy handles its request. The request
     * waits: B refuses while the send is out and the scheduler tries again until it has come back.
     */
    @Test
    void aSenderIsNotMigratedWhileAProxyHoldsItsRequestTheMigrationWaits() {
        Rig rig = checked(new Rig(sendOutWhileMoved(60_000)));
        rig.runToQuiescence(200_000);

        assertTrue(rig.ran("migrate.source.refuse") >= 1, "its CPU refused while the send was out");
        assertEquals(rig.ran("migrate.source.refuse"), rig.kernel.migration().refusals());
        assertEquals(rig.ran("migrate.source.refuse"), rig.ran("migrate.scheduler.retryDue"),
                "after each refusal the caller waited, blocked, and redid its call");
        assertEquals(rig.ran("migrate.scheduler.retryDue") + 1, rig.ran("migrate.scheduler.issue"));
        assertEquals(CompletionCode.OK, rig.code("s.main", Reg.EDI), "the send went through");
        assertEquals(1, rig.tcb("s.main").cpu(), "then it moved");
        assertTrue(indexOf(rig, "xcpu.xpReturn") < indexOf(rig, "migrate.source.passBarrier2"));
    }

    /**
     * Decision 0005's back-off: the n-th refusal in a row of one call (from 0) makes its caller wait
     * at least 4000 · 2^min(n, 6) cycles before it redoes the call, so that refused callers cannot
     * fill their CPU; a call that went through leaves no count behind.
     */
    @Test
    void eachRefusalInARowDoublesTheCallersWait() {
        Rig rig = checked(new Rig(sendOutWhileMoved(200_000)));
        rig.runToQuiescence(400_000);

        List<Long> waits = new java.util.ArrayList<>();
        long since = -1;
        for (var step : rig.steps) {
            if (step.label().contains("migrate.scheduler.retryDue")) {
                waits.add((step.millicycles() - since) / 1000);
            } else if (step.label().contains("migrate.scheduler.retry")) {
                since = step.millicycles();
            }
        }
        assertTrue(waits.size() >= 4, "the send kept the call refused several times: " + waits);
        long tick = rig.kernel.config().tickCycles(); // the timer notices an expired wait at its next tick
        for (int n = 0; n < waits.size(); n++) {
            long least = 4000L << Math.min(n, 6);
            assertTrue(waits.get(n) >= least && waits.get(n) <= least + 2 * tick, "wait " + n + " of " + waits);
        }
        assertEquals(1, rig.tcb("s.main").cpu(), "then it moved");
        assertEquals(0, rig.tcb("t.main").takeMigrationRefusals(), "the call went through: no count is left");
    }

    /**
     * A caller whose migration was refused waits to redo its call (decision 0005); lthread_ex_regs
     * on it then ends the wait: it gives the call up and runs at its new EIP, and the thread stays.
     */
    @Test
    void exRegsOnACallerWaitingToRedoItsCallGivesTheCallUp() {
        String both = """
                        str  ebx
                        bne  ebx, 3, killer     ; the scheduler runs on cpu2 (processor 3)
                        compute 8000
                """ + schedule("@s.main", 100, 2) + """
                        halt
                resumed: li  edi, 77
                        halt
                killer: compute 30000
                        li   eax, 0
                        li   ecx, -1
                        li   edx, resumed
                        li   esi, -1
                        syscall lthread_ex_regs
                        halt
                """;
        Scenario s = Rig.programs("both", both, "rcv", """
                        compute 60000
                        ipc  receive @s.main
                        halt
                """, "snd", """
                        ipc  send @r.main
                        halt
                """).cpus(3)
                .task("t", 5, t -> t.thread("main", 0, 100, 2, "sigma0", "both", Map.of())
                        .thread("killer", 1, 100, 0, "sigma0", "both", Map.of()))
                .task("r", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "rcv", Map.of()))
                .task("s", 7, t -> t.thread("main", 0, 110, 0, "sigma0", "snd", Map.of())).build();
        Rig rig = checked(new Rig(s));
        rig.runToQuiescence(200_000);

        assertEquals(77, rig.reg("t.main", Reg.EDI), "it ran at its new EIP");
        assertEquals(0, rig.tcb("s.main").cpu(), "the call was given up: s.main stays");
        assertTrue(rig.ran("migrate.source.refuse") >= 1);
        assertEquals(rig.ran("migrate.source.refuse") - 1, rig.ran("migrate.scheduler.retryDue"),
                "the last wait was ended by lthread_ex_regs, not by the timer");
        assertTrue(rig.kernel.view().threads().stream().noneMatch(v -> v.migrationCall() != null));
    }

    /** §8.7.1: the FPU state of a migrant that used the FPU is saved on B and restored on C. */
    @Test
    void theFpuStateGoesWithTheThread() {
        Rig rig = rig(2, "compute 6000\n" + schedule("@t.w", 90, 2) + "halt\n", 0, """
                        li   edx, 4242
                        fst  3, edx
                        li   esp, 0
                loop:   compute 500
                        str  ebx
                        add  esp, 1
                        bne  ebx, 2, loop
                        fld  edi, 3
                        halt
                """, 0, 90);
        rig.runToQuiescence(100_000);

        assertEquals(1, rig.tcb("t.w").cpu());
        assertEquals(4242, rig.reg("t.w", Reg.EDI), "its FPU register survived the move");
        assertNull(rig.kernel.processor(0).fpuOwner(), "cpu0's FPU was released");
    }

    /** Crossing migrations (docs/specs.md, finding (a)): with the global lock both complete, every seed. */
    @Test
    void crossingMigrationsCompleteWithTheMigrationLock() {
        for (long seed = 1; seed <= 20; seed++) {
            Rig rig = crossing(seed, false);
            rig.runToQuiescence(300_000);
            assertEquals(1, rig.tcb("x.m1").cpu(), "seed " + seed);
            assertEquals(0, rig.tcb("x.m2").cpu(), "seed " + seed);
        }
    }

    /** Without the global lock (fault injection), some interleaving deadlocks: both CPUs spin at (=2) for ever. */
    @Test
    void crossingMigrationsDeadlockWithoutTheMigrationLock() {
        int deadlocked = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Rig rig = crossing(seed, true);
            rig.run(60_000);
            var v = rig.kernel.view();
            if (v.cpu(0).migrationPart() != null && v.cpu(1).migrationPart() != null) {
                deadlocked++;
                assertEquals("C", v.cpu(0).migrationPart(), "seed " + seed + ": each CPU spins in the other's part C");
                assertEquals("C", v.cpu(1).migrationPart());
                assertEquals(2, v.migrations().size());
                v.migrations().forEach(m -> assertEquals("none", m.bPhase(), "B runs after A, which never returns"));
            }
        }
        assertTrue(deadlocked > 0, "no seed of 20 deadlocked");
    }

    /** s1 on cpu0 moves m1 to cpu1, s2 on cpu1 moves m2 to cpu0, at the same moment; each thread on its scheduler's CPU. */
    private static Rig crossing(long seed, boolean withoutLock) {
        Scenario s = Rig.programs("s1", schedule("@x.m1", 50, 2) + "halt\n", "s2", schedule("@x.m2", 50, 1) + "halt\n",
                        "work", "compute 20000\nhalt\n").cpus(2).random(seed)
                .kernel(KernelConfig.defaults().withoutMigrationLock(withoutLock))
                .task("x", 5, t -> t.thread("s1", 0, 100, 0, "sigma0", "s1", Map.of())
                        .thread("s2", 1, 100, 1, "sigma0", "s2", Map.of())
                        .thread("m1", 2, 50, 0, "sigma0", "work", Map.of())
                        .thread("m2", 3, 50, 1, "sigma0", "work", Map.of())).build();
        return checked(new Rig(s));
    }

    /** Finding (b): a scheduler migrated by another scheduler while it is in its own call; with the lock nothing hangs. */
    @Test
    void aSchedulerMigratedWhileItMigratesDoesNotDeadlock() {
        for (long seed = 1; seed <= 20; seed++) {
            Scenario s = Rig.programs("s1", schedule("@x.m", 50, 2) + "w: str ebx\ncompute 300\nbne ebx, 2, w\nhalt\n", "s2",
                            schedule("@x.s1", 100, 2) + "halt\n", "work", "compute 20000\nhalt\n").cpus(2).random(seed)
                    .task("x", 5, t -> t.thread("s1", 0, 100, 0, "sigma0", "s1", Map.of())
                            .thread("s2", 1, 100, 1, "sigma0", "s2", Map.of())
                            .thread("m", 2, 50, 0, "sigma0", "work", Map.of())).build();
            Rig rig = checked(new Rig(s));
            rig.runToQuiescence(300_000);
            assertEquals(1, rig.tcb("x.m").cpu(), "seed " + seed);
            assertEquals(1, rig.tcb("x.s1").cpu(), "seed " + seed);
            assertEquals(2, rig.reg("x.s1", Reg.EBX), "seed " + seed + ": s1's call returned, on cpu1");
        }
    }

    /** Two schedulers move one thread at once: the "do not migrate" lock serialises them; both calls return. */
    @Test
    void twoRequestsForOneThreadAreSerialisedByItsDoNotMigrateLock() {
        for (long seed = 1; seed <= 10; seed++) {
            Scenario s = Rig.programs("s1", schedule("@x.m", 50, 2) + "li esp, 1\nhalt\n", "s2",
                            schedule("@x.m", 50, 3) + "li esp, 1\nhalt\n", "work", "compute 20000\nhalt\n").cpus(3).random(seed)
                    .task("x", 5, t -> t.thread("s1", 0, 100, 0, "sigma0", "s1", Map.of())
                            .thread("s2", 1, 100, 1, "sigma0", "s2", Map.of())
                            .thread("m", 2, 50, 2, "sigma0", "work", Map.of())).build();
            Rig rig = checked(new Rig(s));
            rig.runToQuiescence(300_000);
            assertEquals(1, rig.reg("x.s1", Reg.ESP), "seed " + seed);
            assertEquals(1, rig.reg("x.s2", Reg.ESP), "seed " + seed);
            assertTrue(rig.tcb("x.m").cpu() == 1 || rig.tcb("x.m").cpu() == 2, "seed " + seed);
            assertFalse(rig.tcb("x.m").state() == ThreadState.DEAD);
        }
    }

    /**
     * A long IPC in progress pins both partners to their CPU (the copy runs through the sender's
     * communication area with the receiver locked): migrations of either wait until it is over,
     * and the long IPC completes with every byte; then both move.
     */
    @Test
    void aLongIpcIsNotInterruptedByMigrationsOfItsPartnersWhichWaitUntilItEnds() {
        Scenario s = longIpc(3, 0, 2, 1, 1, 1, 3);
        Rig rig = checked(new Rig(s));
        rig.runToQuiescence(400_000);

        assertEquals(CompletionCode.OK, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("rcv.main", Reg.ESP));
        assertEquals(60000, rig.reg("rcv.main", Reg.EDI), "every byte arrived");
        assertTrue(rig.kernel.migration().refusals() >= 2, "both migrations waited while the copy ran: "
                + rig.kernel.migration().refusals());
        assertTrue(indexOf(rig, "ipc.transmitPath.copy") < indexOf(rig, "migrate.source.refuse"));
        assertEquals(0, rig.tcb("snd.main").cpu());
        assertEquals(2, rig.tcb("rcv.main").cpu());
    }

    /**
     * A long IPC across CPUs (§8.4.2: the proxy on the receiver's CPU copies in the sender's space)
     * pins both partners as a local one does: the sender waits for its reply, the receiver is locked
     * while the proxy copies; both migrations wait until the IPC ends, every byte arrives, then both move.
     */
    @Test
    void aCrossCpuLongIpcPinsBothPartnersUntilItsProxyHasCopied() {
        Scenario s = longIpc(4, 2, 3, 0, 1, 4, 3);
        Rig rig = checked(new Rig(s));
        rig.runToQuiescence(400_000);

        assertEquals(CompletionCode.OK, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("rcv.main", Reg.ESP));
        assertEquals(60000, rig.reg("rcv.main", Reg.EDI), "every byte arrived");
        assertEquals(1, rig.reg("snd.main", Reg.EBX), "the sender's IPC ended on cpu0");
        assertEquals(2, rig.reg("rcv.main", Reg.EBX), "the receiver's on cpu1");
        assertTrue(rig.ran("xcpu.proxy.copy") > 1, "the proxy copied, in steps");
        assertTrue(rig.kernel.migration().refusals() >= 2, "both migrations waited while the proxy copied: "
                + rig.kernel.migration().refusals());
        assertTrue(indexOf(rig, "xcpu.proxy.copy") < indexOf(rig, "migrate.source.refuse"));
        assertEquals(3, rig.tcb("snd.main").cpu());
        assertEquals(2, rig.tcb("rcv.main").cpu());
    }

    /**
     * snd.main sends rcv.main a 60000-byte long message; x.s1 on {@code s1Cpu} moves the sender to
     * processor {@code sndTo} after 6000 cycles, x.s2 on {@code s2Cpu} the receiver to {@code rcvTo}
     * after 9000. Each partner keeps its code (EDI of the sender, ESP of the receiver) and the CPU
     * its IPC ended on (EBX); the receiver the bytes it got (EDI).
     */
    private static Scenario longIpc(int cpus, int s1Cpu, int s2Cpu, int sndCpu, int rcvCpu, int sndTo, int rcvTo) {
        return Rig.programs("s1", "compute 6000\n" + schedule("@snd.main", 100, sndTo) + "halt\n",
                        "s2", "compute 9000\n" + schedule("@rcv.main", 100, rcvTo) + "halt\n", "snd", """
                        .data 0x200000, 0, dope(4, 1), dope(4, 1)
                        .data 0x20001C, 60000, 0x310000, 0, 0
                        ipc  send @rcv.main msg=0x200000
                        mov  edi, eax
                        str  ebx
                        halt
                """, "rcv", """
                        .data 0x200000, 0, dope(4, 1), 0
                        .data 0x20001C, 0, 0, 65536, 0x340000
                        ipc  receive @snd.main buf=0x200000
                        mov  esp, eax
                        ld   edi, [0x20001C]
                        str  ebx
                        halt
                """).cpus(cpus)
                .task("x", 5, t -> t.thread("s1", 0, 100, s1Cpu, "sigma0", "s1", Map.of())
                        .thread("s2", 1, 100, s2Cpu, "sigma0", "s2", Map.of()))
                .task("snd", 6, t -> t.map(0x310000, 16, true).thread("main", 0, 100, sndCpu, "sigma0", "snd", Map.of()))
                .task("rcv", 7, t -> t.map(0x340000, 16, true).thread("main", 0, 100, rcvCpu, "sigma0", "rcv", Map.of()))
                .build();
    }

    /** §8.7.1: an interrupt handler's line follows it to its new CPU; its next interrupt is received there. */
    @Test
    void anInterruptHandlerMovesWithItsLine() {
        Scenario s = Rig.programs("sched", "compute 20000\n" + schedule("@drv.h", 100, 2) + "halt\n", "handler", """
                        ipc  receive irq(3) rcv=0
                        li   esp, 0
                loop:   ipc  receive irq(3)
                        str  ebx
                        add  esp, 1
                        bne  esp, 3, loop
                        halt
                """).cpus(2)
                .task("t", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "sched", Map.of()))
                .task("drv", 6, t -> t.thread("h", 0, 120, 0, "sigma0", "handler", Map.of()))
                .interrupt(3, 60_000, 40_000).build();
        Rig rig = checked(new Rig(s));
        rig.run(200_000);

        assertEquals(1, rig.tcb("drv.h").cpu());
        assertEquals(3, rig.reg("drv.h", Reg.ESP), "it received three interrupts");
        assertEquals(2, rig.reg("drv.h", Reg.EBX), "on its new CPU");
        assertTrue(rig.steps.stream().anyMatch(st -> st.label().contains("irq.deliver") && st.cpu() == 1));
    }
}
