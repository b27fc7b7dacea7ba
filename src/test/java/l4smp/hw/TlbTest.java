package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import l4smp.hw.mem.FaultKind;
import l4smp.hw.mem.PageFault;
import l4smp.hw.mem.Pte;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * §3.1.1: the TLB caches translations; a changed page table is not seen until invlpg or a CR3
 * load, and only on the CPU that executes them.
 */
class TlbTest {
    private static final long VA = 0x00800000L;
    private Rig rig;
    private long directory;
    private long oldFrame;
    private long newFrame;

    @BeforeEach
    void setUp() {
        rig = new Rig(2);
        directory = rig.tables.newDirectory();
        rig.cpu(0).loadCr3(directory);
        rig.cpu(1).loadCr3(directory);
        oldFrame = rig.frame();
        newFrame = rig.frame();
        rig.machine.memory().writeWord(oldFrame, 111);
        rig.machine.memory().writeWord(newFrame, 222);
        rig.tables.map(directory, VA, oldFrame, Pte.WRITABLE);
    }

    @Test
    void aSecondAccessHitsTheTlbWithoutWalking() {
        Cpu cpu = rig.cpu(0);
        cpu.load(VA);
        long walks = cpu.mmu().walks();
        long hits = cpu.tlb().hits();

        cpu.load(VA + 0x100);

        assertEquals(walks, cpu.mmu().walks());
        assertEquals(hits + 1, cpu.tlb().hits());
    }

    @Test
    void aRemappedPageIsStaleUntilInvlpg() {
        Cpu cpu = rig.cpu(0);
        assertEquals(111, cpu.load(VA));

        rig.tables.map(directory, VA, newFrame, Pte.WRITABLE);

        assertEquals(111, cpu.load(VA), "the TLB still holds the old frame");
        cpu.invlpg(VA);
        assertEquals(222, cpu.load(VA));
    }

    @Test
    void aCr3LoadFlushesNonGlobalTranslations() {
        Cpu cpu = rig.cpu(0);
        cpu.load(VA);
        rig.tables.map(directory, VA, newFrame, Pte.WRITABLE);
        assertEquals(111, cpu.load(VA));

        cpu.loadCr3(directory);

        assertEquals(222, cpu.load(VA));
    }

    @Test
    void globalTranslationsSurviveACr3Load() {
        Cpu cpu = rig.cpu(0);
        rig.tables.map(directory, VA, oldFrame, Pte.WRITABLE | Pte.GLOBAL);
        cpu.load(VA);
        rig.tables.map(directory, VA, newFrame, Pte.WRITABLE | Pte.GLOBAL);

        cpu.loadCr3(directory);
        assertEquals(111, cpu.load(VA));
        cpu.flushTlbWithGlobals();
        assertEquals(222, cpu.load(VA));
    }

    @Test
    void invalidationIsLocalToTheCpuThatExecutesIt() {
        Cpu zero = rig.cpu(0);
        Cpu one = rig.cpu(1);
        zero.load(VA);
        one.load(VA);
        rig.tables.map(directory, VA, newFrame, Pte.WRITABLE);

        zero.invlpg(VA);

        assertEquals(222, zero.load(VA));
        assertEquals(111, one.load(VA), "cpu1's TLB is stale until it is shot down");
        one.invlpg(VA);
        assertEquals(222, one.load(VA));
    }

    @Test
    void aRevokedWriteRightIsUsableUntilInvlpg() {
        Cpu cpu = rig.cpu(0);
        cpu.store(VA, 1);
        rig.tables.setFlags(directory, VA, Pte.PRESENT);

        assertDoesNotThrow(() -> cpu.store(VA, 2), "the stale translation still allows writing");
        cpu.invlpg(VA);
        PageFault fault = assertThrows(PageFault.class, () -> cpu.store(VA, 3));
        assertEquals(FaultKind.READ_ONLY, fault.kind());
        assertEquals(2, rig.machine.memory().readWord(oldFrame));
    }

    @Test
    void anUnmappedPageIsReachableUntilInvlpg() {
        Cpu cpu = rig.cpu(0);
        cpu.load(VA);
        rig.tables.unmap(directory, VA);

        assertEquals(111, cpu.load(VA));
        cpu.invlpg(VA);
        assertEquals(FaultKind.NOT_PRESENT, assertThrows(PageFault.class, () -> cpu.load(VA)).kind());
    }

    @Test
    void aGrantedWriteRightIsSeenWithoutInvlpgBecauseTheDeniedAccessRewalks() {
        Cpu cpu = rig.cpu(0);
        rig.tables.map(directory, VA, oldFrame, 0);
        cpu.load(VA);
        rig.tables.setFlags(directory, VA, Pte.PRESENT | Pte.WRITABLE);

        assertDoesNotThrow(() -> cpu.store(VA, 5));
        assertEquals(5, rig.machine.memory().readWord(oldFrame));
    }

    @Test
    void aFifthPageOfOneSetEvictsTheLeastRecentlyUsed() {
        Cpu cpu = rig.cpu(0);
        // 16 sets of 4 ways for 4 KB pages: pages 16 apart share a set
        for (int i = 0; i < 5; i++) {
            rig.tables.map(directory, VA + i * 16 * 4096L, rig.frame(), Pte.WRITABLE);
        }
        for (int i = 0; i < 5; i++) {
            cpu.load(VA + i * 16 * 4096L);
        }
        long walks = cpu.mmu().walks();

        cpu.load(VA + 4 * 16 * 4096L);
        cpu.load(VA + 1 * 16 * 4096L);
        assertEquals(walks, cpu.mmu().walks(), "the four most recent pages hit");
        cpu.load(VA);
        assertEquals(walks + 1, cpu.mmu().walks(), "the first page was evicted");
    }
}
