package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/**
 * IPCs ended from outside: lthread_ex_regs cancels a waiting IPC and aborts one being transmitted
 * (both partners); page-fault timeouts end a long IPC whose pager does not answer.
 */
class AbortTest {
    /** Sends a long message with a 16-byte string to rcv.main, from 0x310000 of its own. */
    private static final String LONG_SENDER = """
                    .data 0x200000, 0, dope(3, 1), dope(3, 1)
                    .data 0x200018, 16, 0x310000, 0, 0
                    .data 0x310000, 1, 2, 3, 4
                    ipc  send @rcv.main msg=0x200000 %s
                    mov  edi, eax
                    halt
            """;
    /** Receives it into 0x320000, which its pager must provide. */
    private static final String LONG_RECEIVER = """
                    .data 0x200000, 0, dope(3, 1), 0
                    .data 0x200018, 0, 0, 64, 0x320000
                    ipc  receive @snd.main buf=0x200000 %s
                    mov  edi, eax
                    halt
            """;
    /** Cancels lthread 0 of its own task after a while, leaving its EIP as it is. */
    private static final String CONTROLLER = """
                    sleep 300us
                    li   eax, 0
                    li   ecx, -1
                    li   edx, -1
                    li   esi, -1
                    syscall lthread_ex_regs
                    mov  edi, edx               ; the old EIP
                    halt
            """;

    @Test
    void exRegsCancelsAWaitingReceive() {
        Scenario s = Rig.programs("waiter", """
                        ipc  receive @snd.main
                        mov  edi, eax
                        halt
                """, "ctl", CONTROLLER)
                .task("rcv", 5, t -> t.thread("main", 100, "sigma0", "waiter", Map.of()).thread("ctl", 100, "sigma0", "ctl", Map.of()))
                .task("snd", 6, t -> t.thread("main", 100, "sigma0", "idle", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(CompletionCode.RECEIVE_CANCELED, rig.code("rcv.main", Reg.EDI));
        assertTrue(rig.ran("ipc.abort.cancel") == 1);
        assertTrue(rig.reg("rcv.ctl", Reg.EDI) != -1, "ex_regs returned the old EIP");
    }

    @Test
    void exRegsCancelsAPollingSend() {
        Scenario s = Rig.programs("sender", """
                        ipc  send @rcv.main
                        mov  edi, eax
                        halt
                """, "ctl", CONTROLLER)
                .task("snd", 5, t -> t.thread("main", 100, "sigma0", "sender", Map.of()).thread("ctl", 100, "sigma0", "ctl", Map.of()))
                .task("rcv", 6, t -> t.thread("main", 100, "sigma0", "idle", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(CompletionCode.SEND_CANCELED, rig.code("snd.main", Reg.EDI));
        assertTrue(rig.kernel.view().thread(rig.id("rcv.main")).sendQueue().isEmpty());
    }

    /** The receiver's pager never answers, so the copy stalls in the receiver's page fault. */
    private static Scenario stalledTransfer(String senderOptions, boolean withController) {
        return Rig.programs("sender", LONG_SENDER.formatted(senderOptions), "receiver", LONG_RECEIVER.formatted(""),
                        "ctl", CONTROLLER)
                .task("hole", 4, t -> t.thread("main", 100, "sigma0", "idle", Map.of()))
                .task("snd", 5, t -> {
                    t.thread("main", 100, "sigma0", "sender", Map.of());
                    if (withController) {
                        t.thread("ctl", 100, "sigma0", "ctl", Map.of());
                    }
                })
                .task("rcv", 6, t -> t.thread("main", 100, "hole.main", "receiver", Map.of())).build();
    }

    @Test
    void exRegsAbortsATransferForBothPartners() {
        Rig rig = new Rig(stalledTransfer("", true));
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.SEND_ABORTED, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_ABORTED, rig.code("rcv.main", Reg.EDI));
        assertEquals(1, rig.ran("ipc.abort.abort"));
        assertTrue(rig.kernel.view().thread(rig.id("hole.main")).sendQueue().isEmpty(),
                "the receiver's page-fault IPC left its pager's send queue");
        assertEquals(-1, rig.kernel.view().thread(rig.id("rcv.main")).wakeupTime());
    }

    @Test
    void aReceiverPageFaultTimeoutEndsTheTransfer() {
        Rig rig = new Rig(stalledTransfer("rpf=100us", false));
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.SEND_RCV_PF_TIMEOUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_RCV_PF_TIMEOUT, rig.code("rcv.main", Reg.EDI));
        assertEquals(ThreadState.WAITING, rig.state("rcv.main"), "back in user mode, now sleeping");
    }

    @Test
    void aSenderPageFaultTimeoutEndsTheTransfer() {
        Scenario s = Rig.programs("sender", """
                        .data 0x200000, 0, dope(3, 1), dope(3, 1)
                        .data 0x200018, 16, 0x310000, 0, 0      ; 0x310000 is not mapped: the sender faults
                        ipc  send @rcv.main msg=0x200000
                        mov  edi, eax
                        halt
                """, "receiver", LONG_RECEIVER.formatted("spf=100us"))
                .task("hole", 4, t -> t.thread("main", 100, "sigma0", "idle", Map.of()))
                .task("snd", 5, t -> t.thread("main", 100, "hole.main", "sender", Map.of()))
                .task("rcv", 6, t -> t.thread("main", 100, "sigma0", "receiver", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.SEND_SND_PF_TIMEOUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_SND_PF_TIMEOUT, rig.code("rcv.main", Reg.EDI));
    }
}
