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
    private final Cpu cpu0 = rig.kernel.processor(0).cpu();
    private final Cpu cpu1 = rig.kernel.processor(1).cpu();

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
