package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Cpu;
import l4smp.kernel.mm.MappingLock;
import org.junit.jupiter.api.Test;

/** The spinlock of the mapping database and page tables (§6, Appendix A). */
class MappingLockTest {
    private final Rig rig = new Rig(Rig.programs("a", "        halt\n").cpus(2)
            .task("a", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "a", Map.of())).build());
    private final MappingLock lock = rig.kernel.mappingLock();
    // the machine's CPUs: the kernel's processors have no CPU until the run's boot steps number them
    private final Cpu cpu0 = rig.sim.machine().cpu(0);
    private final Cpu cpu1 = rig.sim.machine().cpu(1);

    @Test
    void anotherCpuFindsItHeldAndTakesItOnceReleased() {
        IllegalStateException held = assertThrows(IllegalStateException.class,
                () -> lock.holding(cpu0, () -> lock.holding(cpu1, () -> { })));
        assertTrue(held.getMessage().contains("held by another CPU"), held.getMessage());
        assertEquals(42, lock.holding(cpu1, () -> 42), "released by cpu0's holding, though its work threw");
    }

    @Test
    void workThatFailsStillReleasesIt() {
        assertThrows(ArithmeticException.class, () -> lock.holding(cpu0, () -> 1 / 0));
        assertEquals(7, lock.holding(cpu1, () -> 7));
    }

    @Test
    void takingItCostsALockedInstruction() {
        long before = cpu1.millicycles();
        lock.holding(cpu1, () -> { });
        long once = cpu1.millicycles() - before;
        assertTrue(once > 0, "lock bts and the release's store are charged");
    }
}
