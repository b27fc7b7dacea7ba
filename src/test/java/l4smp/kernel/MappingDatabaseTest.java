package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.mm.MappingDatabase;
import l4smp.kernel.mm.MappingDatabase.Outcome;
import org.junit.jupiter.api.Test;

/** The mapping database on its own: trees per frame, rooted in sigma0's idempotent space. */
class MappingDatabaseTest {
    private final PhysicalMemory memory = new PhysicalMemory(2048);
    private final FrameAllocator frames = new FrameAllocator(memory, 1, 256);
    private final MappingDatabase db = new MappingDatabase();
    private final List<String> invalidated = new ArrayList<>();
    private final MappingDatabase.Invalidation record = (space, va) -> invalidated.add(space.taskNumber() + ":" + Long.toHexString(va));
    private final AddressSpace sigma0 = space(2, true);
    private final AddressSpace a = space(4, false);
    private final AddressSpace b = space(5, false);
    private final AddressSpace c = space(6, false);

    private AddressSpace space(int task, boolean isSigma0) {
        AddressSpace s = new AddressSpace(task, (long) frames.allocate() << 12, frames, isSigma0);
        if (isSigma0) {
            for (long pa = 0x100000; pa < 0x200000; pa += 4096) {
                s.map(memory, pa, pa, true);
            }
        }
        return s;
    }

    @Test
    void mapAddsAChildAndAPteWithRightsNoWiderThanTheSource() {
        assertEquals(Outcome.OK, db.map(memory, sigma0, 0x100000, a, 0x8000, false, false, record));
        assertEquals(0x100000, a.translate(memory, 0x8000));
        assertEquals(Outcome.OK, db.map(memory, a, 0x8000, b, 0x9000, true, false, record));
        assertFalse(db.lookup(memory, b, 0x9000).writable(), "a read-only source maps read-only on");
        assertEquals(2, db.lookup(memory, sigma0, 0x100000).descendants());
    }

    @Test
    void grantMovesTheNodeWithItsSubtree() {
        db.map(memory, sigma0, 0x100000, a, 0x8000, true, false, record);
        db.map(memory, a, 0x8000, b, 0x9000, true, false, record);
        assertEquals(Outcome.OK, db.map(memory, b, 0x9000, c, 0xA000, true, true, record));
        assertEquals(-1, b.translate(memory, 0x9000), "the granter loses the page");
        assertTrue(invalidated.contains("5:9000"), "and its TLB entry: " + invalidated);
        assertEquals(0x100000, c.translate(memory, 0xA000));
        assertEquals(db.lookup(memory, a, 0x8000), db.lookup(memory, c, 0xA000).parent(), "moved, not copied");
    }

    @Test
    void mappingOverAMappingRevokesItAndEverythingDerivedFromIt() {
        db.map(memory, sigma0, 0x100000, a, 0x8000, true, false, record);
        db.map(memory, sigma0, 0x101000, b, 0x9000, true, false, record);
        db.map(memory, b, 0x9000, c, 0xA000, true, false, record);
        assertEquals(Outcome.OK, db.map(memory, a, 0x8000, b, 0x9000, true, false, record));
        assertEquals(0x100000, b.translate(memory, 0x9000));
        assertEquals(-1, c.translate(memory, 0xA000), "c's mapping came from the replaced one");
    }

    @Test
    void onlyOwnedPagesInUserSpaceCanBeMappedAndNoSourceIsRevokedByItsOwnMapping() {
        assertEquals(Outcome.NOT_OWNED, db.map(memory, a, 0x8000, b, 0x9000, true, false, record));
        assertEquals(Outcome.NOT_OWNED, db.map(memory, sigma0, 0x300000, a, 0x8000, true, false, record),
                "sigma0 owns only the frames it maps");
        assertEquals(Outcome.KERNEL_AREA, db.map(memory, sigma0, 0x100000, a, AddressSpace.USER_LIMIT, true, false, record));
        db.map(memory, sigma0, 0x100000, a, 0x8000, true, false, record);
        db.map(memory, a, 0x8000, b, 0x9000, true, false, record);
        assertEquals(Outcome.OWN_ANCESTOR, db.map(memory, b, 0x9000, a, 0x8000, true, false, record));
    }

    @Test
    void unmapFlushesOrWeakensTheSubtreeAndSigma0KeepsItsFrames() {
        db.map(memory, sigma0, 0x100000, a, 0x8000, true, false, record);
        db.map(memory, a, 0x8000, b, 0x9000, true, false, record);
        db.map(memory, b, 0x9000, c, 0xA000, true, false, record);
        assertEquals(2, db.unmap(memory, a, 0x8000, false, false, record));
        assertFalse(db.lookup(memory, c, 0xA000).writable());
        assertTrue(db.lookup(memory, a, 0x8000).writable(), "the caller's own mapping is untouched");
        assertEquals(3, db.unmap(memory, sigma0, 0x100000, true, true, record));
        assertNull(db.lookup(memory, a, 0x8000));
        assertEquals(0x100000, sigma0.translate(memory, 0x100000), "sigma0 keeps the frame");
    }
}
