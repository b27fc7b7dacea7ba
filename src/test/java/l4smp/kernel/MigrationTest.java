package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

class MigrationTest {
    @Test
    void smoke() {
        Scenario s = Rig.programs("sched", """
                        compute 5000
                        li   eax, 0x00030000 | 90
                        li   esi, @t.w
                        syscall thread_schedule
                        mov  edi, eax
                        halt
                """, "work", """
                loop:   compute 1000
                        jmp loop
                """).cpus(3)
                .task("t", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "sched", Map.of())
                        .thread("w", 1, 90, 1, "sigma0", "work", Map.of()))
                .build();
        Rig rig = new Rig(s);
        rig.run(20_000);
        rig.steps.stream().filter(st -> st.label().contains("migrate")).forEach(st -> System.out.println(st.cpu() + " " + st.label()));
        assertEquals(2, rig.tcb("t.w").cpu());
        assertEquals(90, rig.reg("t.main", Reg.EDI) & 0xFF);
    }
}
