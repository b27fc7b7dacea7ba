package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.workload.Programs;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/**
 * Long IPC (§8.3.2 transmit path; slides, temporary mapping): strings copied through the
 * communication area, page faults in the sender's space resolved by the sender's pager and in the
 * receiver's space resolved in the receiver's context, receive windows respected.
 */
class LongIpcTest {
    /** A pager holding 16 bytes of data at 0x310000 that it maps on request. */
    private static final String DATA_PAGER = Programs.builtIn("pager").text().replace("${rights}", "rw")
            + ".data 0x310000, 0x11111111, 0x22222222, 0x33333333, 0x44444444\n";

    private static String sender(int stringBytes) {
        return """
                        .data 0x200000, 0, dope(4, 1), dope(4, 1)   ; 4 dwords (one in memory), 1 string
                        .data 0x200018, 0xCAFE                      ; dword 3
                        .data 0x20001C, %d, 0x310000, 0, 0          ; string dope: %d bytes from 0x310000
                        li   edx, 0xA
                        li   ebx, 0xB
                        li   edi, 0xC
                        ipc  send @rcv.main msg=0x200000
                        mov  edi, eax
                        halt
                """.formatted(stringBytes, stringBytes);
    }

    private static String receiver(int dwords, int strings, int room) {
        return """
                        .data 0x200000, 0, dope(%d, %d), 0
                        .data 0x200018, 0                           ; dword 3 lands here
                        .data 0x20001C, 0, 0, %d, 0x320000          ; receive up to %d bytes at 0x320000
                        ipc  receive @snd.main buf=0x200000
                        mov  esp, eax
                        halt
                """.formatted(dwords, strings, room, room);
    }

    private static Rig rig(String sender, String receiver) {
        Scenario s = Rig.programs("datapager", DATA_PAGER, "sender", sender, "receiver", receiver)
                .task("pager", 4, t -> t.thread("main", 150, "sigma0", "datapager", Map.of()))
                .task("snd", 5, t -> t.thread("main", 100, "pager.main", "sender", Map.of()))
                .task("rcv", 6, t -> t.thread("main", 100, "pager.main", "receiver", Map.of())).build();
        return new Rig(s);
    }

    @Test
    void aLongIpcThatFaultsInBothSpacesCompletes() {
        Rig rig = rig(sender(16), receiver(4, 1, 64));
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.OK, rig.code("snd.main", Reg.EDI));
        int dope = rig.reg("rcv.main", Reg.ESP);
        assertEquals(CompletionCode.OK, CompletionCode.ofDope(dope));
        assertEquals(4, dope >>> 13, "dwords received");
        assertEquals(1, (dope >>> 8) & 0x1F, "strings received");
        assertEquals(0xA, rig.reg("rcv.main", Reg.EDX));
        assertEquals(0xCAFE, rig.word(6, 0x200018));
        for (int i = 0; i < 4; i++) {
            assertEquals(0x11111111 * (i + 1), rig.word(6, 0x320000 + 4 * i), "string word " + i);
        }
        assertEquals(16, rig.word(6, 0x20001C), "the receiver's dope says how much arrived");
        assertEquals(1, rig.kernel.statistics().of(rig.id("snd.main")).pageFaults(), "sender: its string source");
        assertEquals(1, rig.kernel.statistics().of(rig.id("rcv.main")).pageFaults(), "receiver: its string buffer");
        assertTrue(rig.ran("ipc.transmitPath.senderFault") == 1, "the sender's fault went to its pager");
        assertTrue(rig.ran("ipc.transmitPath.commSpaceFault") == 1, "the comm-area fault was tunnelled to the receiver");
        assertTrue(rig.ran("ipc.transmitPath.redoFault") >= 1 && rig.ran("ipc.transmitPath.returnToSender") == 1);
    }

    @Test
    void aLongStringIsCopiedInSeveralInterruptibleSteps() {
        Rig rig = rig(sender(3000), receiver(4, 1, 4096));
        rig.runToQuiescence(50_000);

        assertEquals(CompletionCode.OK, rig.code("snd.main", Reg.EDI));
        assertEquals(3000, rig.word(6, 0x20001C));
        assertTrue(rig.ran("ipc.transmitPath.copy") >= 3000 / rig.kernel.config().copyChunkBytes(),
                "copied a chunk per step: " + rig.ran("ipc.transmitPath.copy"));
    }

    @Test
    void aStringLongerThanItsReceiveBufferCutsTheIpc() {
        Rig rig = rig(sender(16), receiver(4, 1, 8));
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.SEND_CUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_CUT, rig.code("rcv.main", Reg.ESP));
    }

    @Test
    void moreDwordsThanTheBufferHoldsCutTheIpc() {
        Rig rig = rig(sender(16), receiver(3, 1, 64));
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.SEND_CUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_CUT, rig.code("rcv.main", Reg.ESP));
    }

    @Test
    void moreStringsThanTheBufferHasDopesForCutTheIpc() {
        Rig rig = rig(sender(16), receiver(4, 0, 64));
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.SEND_CUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_CUT, rig.code("rcv.main", Reg.ESP));
    }
}
