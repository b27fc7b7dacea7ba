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
 * counterexample (src/test/resources/replay/NoBarrier*.itf.json, written by
 * {@code l4smp check MCMigrationBarriers -c model-configs/MigrationBarriers/MigrationBarriersNoBarrier1.cfg
 * --out NoBarrier1.itf.json}) replayed on the kernel with the matching switch: the kernel takes the
 * trace's actions on the trace's CPUs in the trace's order, and its run violates the same invariant.
 */
class CounterexampleReplayTest {
    private static final Project PROJECT = Project.locate(null);

    private static Trace trace(String name) throws Exception {
        return Itf.read(Files.readString(Path.of("src/test/resources/replay", name + ".itf.json")));
    }

    private static CounterexampleReplay.Result replay(String name, Set<RemovedFix> switches, String invariant) throws Exception {
        Trace t = trace(name);
        CounterexampleReplay r = CounterexampleReplay.of(PROJECT, t, "MigrationBarriers", null);
        assertEquals(switches, r.removed());
        assertEquals(invariant, r.invariant());
        CounterexampleReplay.Result result = r.run();
        assertEquals(t.size() - 1, result.rows().size(), result.rows()::toString);
        for (int i = 0; i < result.rows().size(); i++) {
            var row = result.rows().get(i);
            assertEquals(i + 1, row.state());
            assertEquals(t.state(i + 1).action().toString(), row.action());
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
}
