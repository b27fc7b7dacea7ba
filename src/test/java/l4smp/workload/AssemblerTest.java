package l4smp.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.ipc.TimeoutWord;
import l4smp.kernel.irq.Vectors;
import l4smp.kernel.thread.ThreadId;
import org.junit.jupiter.api.Test;

/** The assembler: instructions, labels, expressions, macros, data, and errors with their lines. */
class AssemblerTest {
    private static Program assemble(String text) throws AssemblyException {
        return Assembler.assemble("p", text, 0x400000, Map.of("srv.main", ThreadId.of(5, 0, 0))::get);
    }

    @Test
    void labelsMayBeUsedBeforeTheyAreDefined() throws Exception {
        Program p = assemble("""
                start:  jmp  end
                        nop
                end:    jmp  start
                """);
        assertEquals(3, p.instructions().size());
        assertEquals(new Instruction.Branch(Instruction.Condition.ALWAYS, null, null, 0x400008), p.at(0x400000));
        assertEquals(0x400008, p.label("end"));
    }

    @Test
    void theIpcMacroLoadsTheDescriptorsTimeoutsAndPartner() throws Exception {
        Program p = assemble("ipc reply_wait @srv.main map snd=0 rcv=never window=fpage(0x100000, 12)\n");
        assertEquals(5, p.instructions().size());
        assertEquals(new Instruction.Alu(Instruction.AluOp.MOV, Reg.ESI, new Instruction.Immediate(ThreadId.of(5, 0, 0).raw())),
                p.instructions().get(0));
        assertEquals(new Instruction.Immediate(IpcState.MAP_BIT), ((Instruction.Alu) p.instructions().get(1)).source());
        int rcv = ((Instruction.Immediate) ((Instruction.Alu) p.instructions().get(2)).source()).value();
        assertEquals(0x100000 | (12 << 2) | IpcState.MAP_BIT | IpcState.OPEN_BIT, rcv);
        int timeouts = ((Instruction.Immediate) ((Instruction.Alu) p.instructions().get(3)).source()).value();
        assertTrue(new TimeoutWord(timeouts).send().isZero() && new TimeoutWord(timeouts).receive().isNever());
        assertEquals(new Instruction.Trap(Vectors.IPC), p.instructions().get(4));
    }

    @Test
    void dataDirectivesFillWordsAndBytes() throws Exception {
        Program p = assemble("""
                .data 0x200000, 1, dope(4, 2), tid(5, 1)
                .ascii 0x200010, "AB"
                halt
                """);
        assertEquals(1, p.data().get(0x200000L));
        assertEquals((4 << 13) | (2 << 8), p.data().get(0x200004L));
        assertEquals(ThreadId.of(5, 1, 0).raw(), p.data().get(0x200008L));
        assertEquals(0x4241, p.data().get(0x200010L));
    }

    @Test
    void mistakesNameTheirLine() {
        AssemblyException e = assertThrows(AssemblyException.class, () -> assemble("nop\n  frobnicate eax\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unknown instruction 'frobnicate'"));
        assertTrue(assertThrows(AssemblyException.class, () -> assemble("jmp nowhere\n")).getMessage().contains("no label 'nowhere'"));
        assertTrue(assertThrows(AssemblyException.class, () -> assemble("ipc call @nobody.x\n")).getMessage()
                .contains("no thread named nobody.x"));
        assertTrue(assertThrows(AssemblyException.class, () -> assemble("ipc send esi snd=soon\n")).getMessage()
                .contains("snd= must be never, 0, or a time"));
        assertTrue(assertThrows(AssemblyException.class, () -> assemble("li eax, fpage(0x1000, 14)\n")).getMessage()
                .contains("the base aligned"));
        assertTrue(assertThrows(AssemblyException.class, () -> assemble("x: nop\nx: nop\n")).getMessage().contains("defined twice"));
    }
}
