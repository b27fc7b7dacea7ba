package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/** §2.2.2: page faults become IPCs to the pager, whose mapping reply resolves them. */
class PageFaultTest {
    @Test
    void aFaultGoesToThePagerAndTheAccessIsRetried() {
        Scenario s = Rig.programs("writer", """
                        li   edx, 0x1234
                        st   [0x00300000], edx      ; not mapped: faults to the pager
                        ld   edi, [0x00300000]
                        halt
                """).task("pager", 4, t -> t.thread("main", 150, "sigma0", "pager", Map.of()))
                .task("app", 5, t -> t.thread("main", 100, "pager.main", "writer", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(0x1234, rig.reg("app.main", Reg.EDI));
        assertEquals(0x1234, rig.word(5, 0x00300000));
        assertEquals(0x1234, rig.word(4, 0x00300000), "the pager mapped its own page: both see one frame");
        assertEquals(1, rig.kernel.statistics().of(rig.id("app.main")).pageFaults());
        assertEquals(1, rig.kernel.statistics().of(rig.id("pager.main")).pageFaults(), "the pager faulted on its own copy");
        assertTrue(rig.ran("pagefault.sendToPager") == 2 && rig.ran("pagefault.resolved") == 2);
    }

    @Test
    void withoutAPagerTheThreadIsStopped() {
        Scenario s = Rig.programs("toucher", """
                        ld   edi, [0x00300000]
                        halt
                """).task("app", 5, t -> t.thread("main", 100, "none", "toucher", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(1_000);

        assertEquals(ThreadState.DEAD, rig.state("app.main"));
        assertTrue(rig.kernel.statistics().of(rig.id("app.main")).killed().contains("no pager"));
    }

    @Test
    void codePagesFaultToThePagerWhenTheLoaderDoesNotMapThem() {
        Scenario s = Rig.programs("tiny", """
                        li   edi, 7
                        halt
                """).task("app", 5, t -> t.mapCode(false).thread("main", 100, "sigma0", "tiny", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(1_000);

        assertEquals(7, rig.reg("app.main", Reg.EDI));
        assertEquals(1, rig.kernel.statistics().of(rig.id("app.main")).pageFaults(), "§2.2.3: the first fault is on the code page");
    }
}
