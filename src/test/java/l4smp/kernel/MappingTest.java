package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.hw.mem.Pte;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/** Map, grant and fpage_unmap (§2.2.1, §2.2.2) through the mapping database. */
class MappingTest {
    /**
     * A has four pages from sigma0 and maps them to B; B maps one on to C (writable) and to E
     * (read-only); C grants its page to D. Then A revokes everything derived from its pages.
     */
    private static Scenario hierarchy(String unmapMask) {
        return Rig.programs("a", """
                        li   edx, 0xAA55
                        st   [0x200000], edx
                        li   edx, 0x200000
                        li   ebx, fpage(0x200000, 14, rw)
                        ipc  send @b.main map
                        mov  esp, eax
                        ipc  receive @d.main           ; D has its page now
                        ipc  receive @e.main           ; and E
                        li   eax, fpage(0x200000, 14, rw)
                        li   ecx, %s
                        syscall fpage_unmap
                        halt
                """.formatted(unmapMask), "b", """
                        ipc  receive @a.main window=fpage(0x1000000, 14)
                        mov  esp, eax
                        li   edx, 0x1000000
                        li   ebx, fpage(0x1000000, 12, rw)
                        ipc  send @c.main map
                        li   edx, 0x1000000
                        li   ebx, fpage(0x1000000, 12, ro)
                        ipc  send @e.main map
                        halt
                """, "c", """
                        ipc  receive @b.main window=fpage(0x2000000, 12)
                        li   edx, 0x2000000
                        li   ebx, fpage(0x2000000, 12, rw, grant)
                        ipc  send @d.main map
                        mov  esp, eax
                        ld   ebx, [0x2000000]          ; granted away: faults, and C has no pager
                        halt
                """, "d", """
                        ipc  receive @c.main window=fpage(0x3000000, 12)
                        ld   ebx, [0x3000000]
                        ipc  send @a.main
                        halt
                """, "e", """
                        ipc  receive @b.main window=fpage(0x5000000, 12)
                        ld   ebx, [0x5000000]
                        ipc  send @a.main
                        halt
                """)
                .task("a", 4, t -> t.map(0x200000, 4, true).thread("main", 100, "sigma0", "a", Map.of()))
                .task("b", 5, t -> t.thread("main", 100, "sigma0", "b", Map.of()))
                .task("c", 6, t -> t.thread("main", 100, "none", "c", Map.of()))
                .task("d", 7, t -> t.thread("main", 100, "sigma0", "d", Map.of()))
                .task("e", 8, t -> t.thread("main", 100, "sigma0", "e", Map.of())).build();
    }

    @Test
    void aHierarchyBuiltFromSigma0WithMapAndGrantIsRevokedRecursively() {
        Rig rig = new Rig(hierarchy("2"));
        rig.runToQuiescence(20_000);

        assertEquals(0xAA55, rig.reg("d.main", Reg.EBX), "D reads A's frame through B, C and the grant");
        assertEquals(0xAA55, rig.reg("e.main", Reg.EBX), "E reads it through B");
        assertEquals(ThreadState.DEAD, rig.state("c.main"), "C granted its page away and faulted on it");
        assertTrue(rig.mapped(4, 0x200000), "A keeps its own pages");
        for (long va = 0x1000000; va < 0x1004000; va += 0x1000) {
            assertFalse(rig.mapped(5, va), "B's pages are revoked");
        }
        assertFalse(rig.mapped(7, 0x3000000), "the granted page went with the revocation");
        assertFalse(rig.mapped(8, 0x5000000));
        var node = rig.kernel.mappings().lookup(rig.sim.machine().memory(), rig.kernel.task(4).space(), 0x200000);
        assertEquals(0, node.descendants(), "nothing is derived from A's page any more");
    }

    @Test
    void withTheOwnSpaceBitTheCallerLosesItsPagesToo() {
        Rig rig = new Rig(hierarchy("0x80000002"));
        rig.runToQuiescence(20_000);

        assertFalse(rig.mapped(4, 0x200000));
        assertFalse(rig.mapped(5, 0x1000000));
    }

    @Test
    void weakeningLeavesDerivedMappingsReadOnly() {
        Rig rig = new Rig(hierarchy("0"));
        rig.runToQuiescence(20_000);

        var memory = rig.sim.machine().memory();
        int pte = rig.kernel.task(5).space().pte(memory, 0x1000000);
        assertTrue(Pte.has(pte, Pte.PRESENT) && !Pte.has(pte, Pte.WRITABLE), "B's page is read-only: " + Pte.describe(pte));
        assertTrue(Pte.has(rig.kernel.task(4).space().pte(memory, 0x200000), Pte.WRITABLE), "A's own page keeps its rights");
        assertTrue(Pte.has(rig.kernel.task(7).space().pte(memory, 0x3000000), Pte.PRESENT), "D keeps a (read-only) page");
        assertFalse(Pte.has(rig.kernel.task(7).space().pte(memory, 0x3000000), Pte.WRITABLE));
    }

    @Test
    void aReadOnlyMappingCannotBeWrittenAndMapsOnlyReadOnlyOn() {
        Scenario s = Rig.programs("a", """
                        li   edx, 0x200000
                        li   ebx, fpage(0x200000, 12, ro)
                        ipc  send @b.main map
                        halt
                """, "b", """
                        ipc  receive @a.main window=fpage(0x1000000, 12)
                        ld   edx, [0x1000000]
                        st   [0x1000000], edx           ; read-only: faults, and B has no pager
                        halt
                """)
                .task("a", 4, t -> t.map(0x200000, 1, true).thread("main", 100, "sigma0", "a", Map.of()))
                .task("b", 5, t -> t.thread("main", 100, "none", "b", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        assertEquals(ThreadState.DEAD, rig.state("b.main"));
        assertTrue(rig.kernel.statistics().of(rig.id("b.main")).killed().contains("0x01000000"));
    }

    @Test
    void mappingAPageTheMapperDoesNotOwnFails() {
        Scenario s = Rig.programs("a", """
                        li   edx, 0x700000
                        li   ebx, fpage(0x700000, 12, rw)     ; A has nothing there
                        ipc  send @b.main map
                        mov  edi, eax
                        halt
                """, "b", """
                        ipc  receive @a.main window=fpage(0x1000000, 12)
                        mov  edi, eax
                        halt
                """)
                .task("a", 4, t -> t.thread("main", 100, "sigma0", "a", Map.of()))
                .task("b", 5, t -> t.thread("main", 100, "sigma0", "b", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        assertEquals(CompletionCode.SEND_MAP_FAILED, rig.code("a.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_MAP_FAILED, rig.code("b.main", Reg.EDI));
        assertFalse(rig.mapped(5, 0x1000000));
    }

    @Test
    void theHotSpotPlacesAnFpageInALargerWindowAndPicksThePartOfALargerFpage() {
        Scenario s = Rig.programs("a", """
                        li   edx, 0x202000                    ; hot spot: third page
                        li   ebx, fpage(0x202000, 12, rw)
                        ipc  send @b.main map
                        li   edx, 0x203000                    ; hot spot in the fourth page of a 16 KB fpage
                        li   ebx, fpage(0x200000, 14, rw)
                        ipc  send @b.main map
                        halt
                """, "b", """
                        ipc  receive @a.main window=fpage(0x1000000, 14)
                        ipc  receive @a.main window=fpage(0x2000000, 12)
                        halt
                """)
                .task("a", 4, t -> t.map(0x200000, 4, true).thread("main", 100, "sigma0", "a", Map.of()))
                .task("b", 5, t -> t.thread("main", 100, "sigma0", "b", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        var memory = rig.sim.machine().memory();
        var a = rig.kernel.task(4).space();
        var b = rig.kernel.task(5).space();
        assertEquals(a.translate(memory, 0x202000), b.translate(memory, 0x1002000), "window base + hot spot mod window size");
        assertFalse(rig.mapped(5, 0x1000000));
        assertEquals(a.translate(memory, 0x203000), b.translate(memory, 0x2000000), "the window-sized part around the hot spot");
    }

    @Test
    void withoutAReceiveWindowMapItemsArriveAsWords() {
        Scenario s = Rig.programs("a", """
                        li   edx, 0x200000
                        li   ebx, fpage(0x200000, 12, rw)
                        ipc  send @b.main map
                        mov  edi, eax
                        halt
                """, "b", """
                        ipc  receive @a.main
                        mov  edi, eax
                        halt
                """)
                .task("a", 4, t -> t.map(0x200000, 1, true).thread("main", 100, "sigma0", "a", Map.of()))
                .task("b", 5, t -> t.thread("main", 100, "sigma0", "b", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        assertEquals(CompletionCode.OK, rig.code("a.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("b.main", Reg.EDI));
        assertEquals(0x200000, rig.reg("b.main", Reg.EDX));
        assertTrue(rig.kernel.task(5).space().nodesIn(0, l4smp.workload.Simulation.CODE_BASE).isEmpty(),
                "B received no mapping (its only page is its code)");
    }
}
