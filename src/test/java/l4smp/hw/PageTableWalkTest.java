package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l4smp.hw.mem.Access;
import l4smp.hw.mem.FaultKind;
import l4smp.hw.mem.PageFault;
import l4smp.hw.mem.Pte;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** §3.1: the MMU walks two-level tables in physical memory; every kind of page fault. */
class PageTableWalkTest {
    private static final long VA = 0x00400000L;
    private Rig rig;
    private Cpu cpu;
    private long directory;

    @BeforeEach
    void setUp() {
        rig = new Rig(1);
        cpu = rig.cpu(0);
        directory = rig.tables.newDirectory();
        cpu.loadCr3(directory);
    }

    private void toUser() {
        cpu.iret(Mode.USER);
    }

    private PageFault fault(Runnable access) {
        return assertThrows(PageFault.class, access::run);
    }

    @Test
    void walksFourKilobytePagesAndSetsAccessedAndDirty() {
        long frame = rig.frame();
        rig.tables.map(directory, VA, frame, Pte.WRITABLE | Pte.USER);
        rig.tables.map(directory, VA + 0x1000, rig.frame(), Pte.WRITABLE | Pte.USER);
        toUser();

        cpu.store(VA + 0x24, 0xCAFE);
        cpu.load(VA + 0x1000);

        assertEquals(0xCAFE, rig.machine.memory().readWord(frame + 0x24));
        assertEquals(0xCAFE, cpu.load(VA + 0x24));
        int written = rig.tables.pte(directory, VA);
        int read = rig.tables.pte(directory, VA + 0x1000);
        assertTrue(Pte.has(written, Pte.ACCESSED) && Pte.has(written, Pte.DIRTY), Pte.describe(written));
        assertTrue(Pte.has(read, Pte.ACCESSED) && !Pte.has(read, Pte.DIRTY), Pte.describe(read));
        assertTrue(Pte.has(rig.tables.pde(directory, VA), Pte.ACCESSED));
    }

    @Test
    void walksFourMegabytePages() {
        rig.tables.mapLarge(directory, 0x40000000L, 0x00C00000L, Pte.WRITABLE | Pte.USER);
        toUser();

        cpu.store(0x40123454L, 7);

        assertEquals(7, rig.machine.memory().readWord(0x00C00000L + 0x123454));
        int pde = rig.tables.pde(directory, 0x40000000L);
        assertTrue(Pte.has(pde, Pte.ACCESSED) && Pte.has(pde, Pte.DIRTY), Pte.describe(pde));
        assertEquals(1, cpu.mmu().walks(), "one 4 MB translation covers the page");
    }

    @Test
    void missingPageDirectoryEntry() {
        PageFault fault = fault(() -> cpu.load(0x12345678L));

        assertEquals(FaultKind.NOT_PRESENT, fault.kind());
        assertEquals(PageFault.Level.DIRECTORY, fault.level());
        assertEquals(0x12345678L, fault.address());
        assertEquals(Access.READ, fault.access());
        assertFalse(fault.user());
        assertEquals(0, fault.errorCode());
        assertEquals(0x12345678L, cpu.cr2());
    }

    @Test
    void missingPageTableEntry() {
        rig.tables.map(directory, VA, rig.frame(), Pte.WRITABLE | Pte.USER);
        toUser();

        PageFault fault = fault(() -> cpu.store(VA + 0x5000, 1));

        assertEquals(FaultKind.NOT_PRESENT, fault.kind());
        assertEquals(PageFault.Level.TABLE, fault.level());
        assertEquals(Access.WRITE, fault.access());
        assertTrue(fault.user());
        assertEquals(0b110, fault.errorCode());
    }

    @Test
    void userAccessToSupervisorPageByItsPte() {
        rig.tables.map(directory, VA, rig.frame(), Pte.WRITABLE);
        cpu.load(VA); // the kernel may
        toUser();

        PageFault fault = fault(() -> cpu.load(VA));

        assertEquals(FaultKind.SUPERVISOR_ONLY, fault.kind());
        assertEquals(PageFault.Level.TABLE, fault.level());
        assertEquals(0b101, fault.errorCode());
    }

    @Test
    void userAccessToSupervisorPageByItsPde() {
        rig.tables.map(directory, VA, rig.frame(), Pte.WRITABLE | Pte.USER);
        long pdeAddress = directory + 4L * Pte.directoryIndex(VA);
        int pde = rig.machine.memory().readWord(pdeAddress);
        rig.machine.memory().writeWord(pdeAddress, pde & ~Pte.USER);
        toUser();

        PageFault fault = fault(() -> cpu.load(VA));

        assertEquals(FaultKind.SUPERVISOR_ONLY, fault.kind());
        assertEquals(PageFault.Level.DIRECTORY, fault.level());
    }

    @Test
    void writeToReadOnlyPageFaultsInUserAndKernelModeAndWritesNothing() {
        long frame = rig.frame();
        rig.tables.map(directory, VA, frame, Pte.USER);

        PageFault kernel = fault(() -> cpu.store(VA, 5));
        toUser();
        PageFault user = fault(() -> cpu.store(VA, 5));

        assertEquals(FaultKind.READ_ONLY, kernel.kind());
        assertEquals(0b011, kernel.errorCode());
        assertEquals(FaultKind.READ_ONLY, user.kind());
        assertEquals(PageFault.Level.TABLE, user.level());
        assertEquals(0b111, user.errorCode());
        assertEquals(0, rig.machine.memory().readWord(frame));
        assertEquals(0, cpu.load(VA), "reading is allowed");
    }

    @Test
    void writeThroughReadOnlyPageDirectoryEntry() {
        rig.tables.map(directory, VA, rig.frame(), Pte.WRITABLE | Pte.USER);
        long pdeAddress = directory + 4L * Pte.directoryIndex(VA);
        rig.machine.memory().writeWord(pdeAddress, rig.machine.memory().readWord(pdeAddress) & ~Pte.WRITABLE);

        PageFault fault = fault(() -> cpu.store(VA, 1));

        assertEquals(FaultKind.READ_ONLY, fault.kind());
        assertEquals(PageFault.Level.DIRECTORY, fault.level());
    }

    @Test
    void fourMegabytePageRightsAreTheDirectoryEntrys() {
        rig.tables.mapLarge(directory, 0x40000000L, 0x00C00000L, 0);
        toUser();

        PageFault user = fault(() -> cpu.load(0x40000000L));
        cpu.enterKernel();
        PageFault write = fault(() -> cpu.store(0x40000010L, 1));

        assertEquals(FaultKind.SUPERVISOR_ONLY, user.kind());
        assertEquals(PageFault.Level.DIRECTORY, user.level());
        assertEquals(FaultKind.READ_ONLY, write.kind());
        assertEquals(PageFault.Level.DIRECTORY, write.level());
    }

    @Test
    void aFaultLeavesNoTranslationOfThePageInTheTlb() {
        rig.tables.map(directory, VA, rig.frame(), Pte.USER);
        cpu.load(VA);
        assertTrue(cpu.tlb().contains(VA));

        fault(() -> cpu.store(VA, 1));

        assertFalse(cpu.tlb().contains(VA));
        assertEquals(1, cpu.mmu().faults());
    }

    @Test
    void walkReadsAreChargedThroughTheCaches() {
        rig.tables.map(directory, VA, rig.frame(), Pte.WRITABLE | Pte.USER);
        rig.machine.caches().writeBackAndInvalidate(0);
        long before = rig.machine.caches().accesses();

        cpu.load(VA);

        assertEquals(3 + 2, rig.machine.caches().accesses() - before,
                "PDE read, PTE read, the data, and setting the accessed bits of PDE and PTE");
    }

    @Test
    void misalignedWordAccessIsRejected() {
        rig.tables.map(directory, VA, rig.frame(), Pte.WRITABLE);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> cpu.load(VA + 2));
        assertTrue(error.getMessage().contains("not 4-byte aligned"), error.getMessage());
    }
}
