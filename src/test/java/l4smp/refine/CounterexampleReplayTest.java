package l4smp.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import l4smp.kernel.RemovedFix;
import l4smp.tlc.Project;
import l4smp.trace.Trace;
import l4smp.trace.format.Itf;
import org.junit.jupiter.api.Test;

/**
 * {@code l4smp replay}: each MigrationBarriers bug configuration with a kernel switch, its TLC
 * counterexample (src/test/resources/replay/CONFIG.itf.json, CONFIG without its MigrationBarriers prefix, written by
 * {@code l4smp check MCMigrationBarriers -c model-configs/MigrationBarriers/MigrationBarriersNoBarrier1.cfg
 * --out NoBarrier1.itf.json}) replayed on the kernel with the matching switch: the kernel takes the
 * trace's actions on the trace's CPUs in the trace's order, and its run violates the same invariant (or,
 * for a deadlock, is stuck: no migration part gets past its barrier or lock any more).
 */
class CounterexampleReplayTest {
    private static final Project PROJECT = Project.locate(null);

    private static Trace trace(String name) throws Exception {
        return Itf.read(Files.readString(Path.of("src/test/resources/replay", name + ".itf.json")));
    }

    private static CounterexampleReplay.Result replay(String name, Set<RemovedFix> switches, String invariant) throws Exception {
        return replay("MigrationBarriers", name, switches, invariant);
    }

    private static CounterexampleReplay.Result replay(String spec, String name, Set<RemovedFix> switches, String invariant)
            throws Exception {
        Trace t = trace(name);
        CounterexampleReplay r = CounterexampleReplay.of(PROJECT, t, spec, null);
        assertEquals(switches, r.removed());
        assertEquals(invariant, r.invariant());
        CounterexampleReplay.Result result = r.run();
        assertEquals(t.size() - 1, result.rows().size(), result.rows()::toString);
        long lastStep = -1;
        java.util.Set<Integer> states = new java.util.HashSet<>();
        for (var row : result.rows()) {
            assertEquals(t.state(row.state()).action().toString(), row.action());
            assertTrue(states.add(row.state()), result.rows()::toString);
            long step = Long.parseLong(row.step().split(" ")[1]);
            assertTrue(step > lastStep, "kernel steps in order: " + result.rows());
            lastStep = step;
        }
        assertTrue(result.reproduced(), () -> result.verdict().toString());
        return result;
    }

    @Test
    void noBarrier1() throws Exception {
        var r = replay("NoBarrier1", Set.of(RemovedFix.BARRIER_1, RemovedFix.MIGRATION_LOCK), "RunsAtItsPriorityInv");
        assertTrue(r.rows().get(4).step().contains("migrate.scheduler.passBarrier1"), r.rows()::toString);
    }

    @Test
    void noBarrier2() throws Exception {
        replay("NoBarrier2", Set.of(RemovedFix.BARRIER_2, RemovedFix.MIGRATION_LOCK), "NoLostOrDanglingLinksInv");
    }

    @Test
    void noBarrier2A() throws Exception {
        replay("NoBarrier2A", Set.of(RemovedFix.BARRIER_2A, RemovedFix.MIGRATION_LOCK), "RunsAtItsPriorityInv");
    }

    @Test
    void noBarrier3() throws Exception {
        replay("NoBarrier3", Set.of(RemovedFix.BARRIER_3, RemovedFix.MIGRATION_LOCK), "CurrentInv");
    }

    /**
     * NoBarrier3Cpu: C finishes before B set t1's CPU. The spec's C chooses not to switch to t1; the
     * kernel's C, on an idle CPU, does (t1 outranks the idle thread), and the row says so; the
     * invariant is the same.
     */
    @Test
    void noBarrier3Cpu() throws Exception {
        var r = replay("NoBarrier3Cpu", Set.of(RemovedFix.BARRIER_3, RemovedFix.MIGRATION_LOCK), "MigrationDoneSeesNewCpuInv");
        var last = r.rows().get(r.rows().size() - 1);
        assertEquals("the kernel's C switches to t1", last.differs());
        assertTrue(r.rows().subList(0, r.rows().size() - 1).stream().allMatch(x -> x.differs() == null), r.rows()::toString);
    }

    /**
     * NoLock (deadlock): s1 and s2 both move m, each request initiated on the other's target CPU;
     * without t1's lock and the migration lock both CPUs spin in each other's parts for ever. The
     * replay takes the trace's actions (cpu1's first dispatch moved to the front: the kernel starts
     * each CPU's thread when it comes up), and the kernel is then stuck.
     */
    @Test
    void noLockDeadlocks() throws Exception {
        var r = replay("NoLock", Set.of(RemovedFix.DO_NOT_MIGRATE_LOCK, RemovedFix.MIGRATION_LOCK), null);
        assertTrue(r.stuck().stuck(), r.stuck()::toString);
        assertEquals(java.util.Map.of(0, Set.of("migrate.source.spin"), 1, Set.of("migrate.target.spin")), r.stuck().spinning());
        assertEquals(3, r.rows().get(1).state(), r.rows()::toString);
    }

    /** Crossing (deadlock): two migrations whose B and C cross, without the migration lock: both CPUs spin in part C. */
    @Test
    void crossingDeadlocks() throws Exception {
        var r = replay("Crossing", Set.of(RemovedFix.MIGRATION_LOCK), null);
        assertEquals(java.util.Map.of(0, Set.of("migrate.target.spin"), 1, Set.of("migrate.target.spin")), r.stuck().spinning());
    }

    /**
     * ProxyWakeupNoSenderCheck: A2 and A1 on cpu0 both send to B on cpu1; the IPI handler links
     * both mailboxes to the proxy of cpu0 -> cpu1, which polls for B on A2's request; B's closed
     * receive from A1 finds A1's proxy pointer naming that polling proxy and, without the check of
     * the proxy's current sender, activates it: B will get A2's message.
     */
    @Test
    void noSenderCheck() throws Exception {
        var r = replay("ProxyWakeup", "NoSenderCheck", Set.of(RemovedFix.PROXY_SENDER_CHECK), "ActivatedPairInv");
        var last = r.rows().get(r.rows().size() - 1);
        assertEquals("ReceiverReceive(t = B)", last.action());
        assertTrue(last.step().contains("ipc.receivePath.activateProxy"), r.rows()::toString);
        assertTrue(r.rows().get(2).step().contains("xcpu.ipiHandler"), r.rows()::toString);
    }

    /**
     * ProxyWakeupNoTempCopy: without the temporary copy the spec's receive path re-reads the
     * sender's proxy pointer in steps of their own; the kernel's receive path is one atomic step,
     * so the trace's ReceiverRecheckPolling has no kernel step and the replay says so.
     */
    @Test
    void noTempCopyHasStepsTheAtomicReceivePathDoesNotHave() throws Exception {
        ReplayException e = assertThrows(ReplayException.class,
                () -> CounterexampleReplay.of(PROJECT, trace("NoTempCopy"), "ProxyWakeup", null));
        assertEquals(ReplayException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().startsWith("state 12: the replay cannot drive ReceiverRecheckPolling(t = B)"), e::getMessage);
    }

    /**
     * ProxyWakeupThreeIpisEoiOnly (deadlock): the trace has A1 send from cpu a while B's trigger
     * for a is flagged, its check_n_ack four actions later. The kernel runs check_n_ack at every
     * kernel exit that finds a flag set (A1's computation enters the kernel at each user burst), so
     * it leaves the trace before A1's send, and the replay names the step (the same switch's hang is shown by FaultInjectionTest on a random interleaving).
     */
    @Test
    void threeIpisEoiOnlyLeavesTheTraceWhereTheKernelChecksFlagsAtItsExit() throws Exception {
        CounterexampleReplay r = CounterexampleReplay.of(PROJECT, trace("ThreeIpisEoiOnly"), "ProxyWakeup", null);
        assertEquals(Set.of(RemovedFix.IPI_ONLY_IF_UNACKED), r.removed());
        assertEquals(null, r.invariant());
        ReplayException e = assertThrows(ReplayException.class, r::run);
        assertEquals(ReplayException.Kind.NOT_REPRODUCED, e.kind());
        assertTrue(e.getMessage().contains("runs xcpu.checkAndAck for A1 where the trace's state 2 has SenderXpSend(t = A1)"),
                e::getMessage);
    }

    /**
     * XpIpcSenderTimeout: t1 on cpu1 receives from t2 (finite timeout); t2 sends from cpu2; cpu1
     * takes the request; without "from TCB.timeout = NEVER" t2's own timer ends its send with
     * send_timeout; then t2's proxy finds t1 waiting and delivers the message t2 was told was
     * not sent.
     */
    @Test
    void senderTimeout() throws Exception {
        var r = replay("XpIpc", "SenderTimeout", Set.of(RemovedFix.SENDER_TIMEOUT_NEVER), "SendResultInv");
        assertTrue(r.rows().get(3).step().contains("timer.timeout"), r.rows()::toString);
        assertTrue(r.rows().get(4).step().contains("xcpu.proxy.xpSendPath"), r.rows()::toString);
    }
}
