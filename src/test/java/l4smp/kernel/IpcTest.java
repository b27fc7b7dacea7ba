package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/** The IPC operations of §8.3.1 and their completion codes, short messages (three words in registers). */
class IpcTest {
    private static Rig two(String a, String b) {
        Scenario s = Rig.programs("a", a, "b", b)
                .task("a", 5, t -> t.thread("main", 100, "sigma0", "a", Map.of()))
                .task("b", 6, t -> t.thread("main", 100, "sigma0", "b", Map.of())).build();
        return new Rig(s);
    }

    private static final String PARK = """
                    mov  edi, eax
                    halt
            """;

    @Test
    void aSendReachesAClosedReceiverWithItsThreeWords() {
        Rig rig = two("""
                        li   edx, 1
                        li   ebx, 2
                        li   edi, 3
                        ipc  send @b.main
                """ + PARK, """
                        ipc  receive @a.main
                        mov  esp, esi
                """ + PARK);
        rig.runToQuiescence(5_000);

        assertEquals(CompletionCode.OK, rig.code("a.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("b.main", Reg.EDI));
        assertEquals(1, rig.reg("b.main", Reg.EDX));
        assertEquals(2, rig.reg("b.main", Reg.EBX));
        assertEquals(rig.id("a.main").raw(), rig.reg("b.main", Reg.ESP), "ESI names the sender");
        assertEquals(1, rig.kernel.statistics().of(rig.id("a.main")).ipcs(IpcOp.SEND, CompletionCode.OK));
        assertEquals(1, rig.kernel.statistics().of(rig.id("b.main")).ipcs(IpcOp.RECEIVE, CompletionCode.OK));
    }

    @Test
    void aSenderPollsInTheReceiversSendQueueUntilItReceives() {
        Rig rig = two("""
                        ipc  send @b.main
                """ + PARK, """
                        compute 5000
                        ipc  wait
                """ + PARK);
        rig.runToQuiescence(5_000);

        assertEquals(CompletionCode.OK, rig.code("a.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("b.main", Reg.EDI));
        assertTrue(rig.ran("ipc.sendPath.enqueueSendQ") == 1 && rig.ran("ipc.receivePath.wakeSender") == 1);
        assertEquals(1, rig.kernel.statistics().of(rig.id("b.main")).ipcs(IpcOp.OPEN_RECEIVE, CompletionCode.OK));
    }

    @Test
    void anOpenReceiveTakesPollingSendersFirstComeFirstServed() {
        Scenario s = Rig.programs("send", """
                        mov  edx, esp                ; ESP holds nothing but 0: send the lthread number instead
                        str  ebx
                        ipc  send @r.main
                """ + PARK, "recv", """
                        compute 20000
                        ipc  wait
                        mov  esp, esi
                        ipc  wait
                        mov  ebp, esi
                        mov  ebx, ebp
                        mov  edi, esp
                        halt
                """)
                .task("s", 5, t -> t.thread("one", 100, "sigma0", "send", Map.of()).thread("two", 100, "sigma0", "send", Map.of()))
                .task("r", 6, t -> t.thread("main", 90, "sigma0", "recv", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(rig.id("s.one").raw(), rig.reg("r.main", Reg.EDI), "first in the send queue, first received");
        assertEquals(rig.id("s.two").raw(), rig.reg("r.main", Reg.EBX));
    }

    @Test
    void aClosedReceiveLeavesOtherSendersPolling() {
        Scenario s = Rig.programs("send", """
                        ipc  send @r.main snd=300us
                """ + PARK, "recv", """
                        ipc  receive @s.two
                        mov  esp, esi
                """ + PARK)
                .task("s", 5, t -> t.thread("one", 100, "sigma0", "send", Map.of()).thread("two", 90, "sigma0", "send", Map.of()))
                .task("r", 6, t -> t.thread("main", 80, "sigma0", "recv", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(rig.id("s.two").raw(), rig.reg("r.main", Reg.ESP));
        assertEquals(CompletionCode.OK, rig.code("s.two", Reg.EDI));
        assertEquals(CompletionCode.SEND_TIMEOUT, rig.code("s.one", Reg.EDI), "r never received from s.one");
        assertTrue(rig.kernel.view().thread(rig.id("r.main")).sendQueue().isEmpty(), "the timed-out sender left the queue");
    }

    @Test
    void timeoutZeroWithNoPartnerFailsAtOnce() {
        Rig rig = two("""
                        ipc  send @b.main snd=0
                """ + PARK, """
                        ipc  receive @a.main rcv=0
                """ + PARK);
        rig.runToQuiescence(5_000);

        assertEquals(CompletionCode.SEND_TIMEOUT, rig.code("a.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_TIMEOUT, rig.code("b.main", Reg.EDI));
        assertEquals(0, rig.ran("ipc.sendPath.enqueueSendQ"), "the sender never blocked");
        assertEquals(1, rig.ran("ipc.receivePath.wait", "b.main"), "the receiver blocked only in its final sleep");
    }

    @Test
    void finiteTimeoutsExpireAfterTheirTime() {
        Rig rig = two("""
                        ipc  receive @b.main rcv=200us
                        mov  esp, eax
                        str  edx
                        halt
                """, """
                        halt
                """);
        long start = rig.sim.machine().cpu(0).rdtsc();
        rig.runToQuiescence(5_000);

        assertEquals(CompletionCode.RECEIVE_TIMEOUT, rig.code("a.main", Reg.ESP));
        assertTrue(rig.sim.machine().cpu(0).rdtsc() - start >= 200 * 450, "waited at least 200 µs at 450 MHz");
        assertTrue(rig.ran("timer.timeout") >= 1);
    }

    @Test
    void invalidWrongVersionAndDeadDestinationsDoNotExist() {
        Scenario s = Rig.programs("probe", """
                        compute 2000                 ; let the victim die first
                        ipc  send tid(9, 0) snd=0    ; no such task
                        mov  edx, eax
                        ipc  send tid(6, 0, 1) snd=0 ; task 6 exists, its thread has version 0
                        mov  ebx, eax
                        ipc  send @v.main snd=0      ; the victim is dead
                        mov  esp, eax
                        ipc  receive @v.main rcv=0
                """ + PARK, "victim", """
                        ld   eax, [0x300000]         ; no pager: the kernel stops it
                        halt
                """)
                .task("p", 5, t -> t.thread("main", 100, "sigma0", "probe", Map.of()))
                .task("v", 6, t -> t.thread("main", 110, "none", "victim", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        assertEquals(ThreadState.DEAD, rig.state("v.main"));
        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("p.main", Reg.EDX));
        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("p.main", Reg.EBX));
        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("p.main", Reg.ESP));
        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("p.main", Reg.EDI), "a closed receive from a dead thread too");
    }

    @Test
    void aServerRepliesWithTimeoutZeroAndDropsTheReplyIfTheClientIsNotListening() {
        Scenario s = Rig.programs("caller", """
                        ipc  call @srv.main
                        mov  esp, eax
                        ipc  send @srv.main          ; a send, not a call: it will not listen for the reply
                        mov  ebp, eax
                        mov  ebx, ebp
                        mov  edi, esp
                        halt
                """)
                .task("srv", 5, t -> t.thread("main", 100, "sigma0", "server", Map.of("work", "100")))
                .task("cl", 6, t -> t.thread("main", 100, "sigma0", "caller", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(CompletionCode.OK, rig.code("cl.main", Reg.EDI), "the call got its reply");
        assertEquals(CompletionCode.OK, rig.code("cl.main", Reg.EBX));
        var server = rig.kernel.statistics().of(rig.id("srv.main"));
        assertEquals(1, server.ipcs(IpcOp.REPLY_AND_WAIT, CompletionCode.OK));
        assertEquals(1, server.ipcs(IpcOp.REPLY_AND_WAIT, CompletionCode.SEND_TIMEOUT), "§2.3: the reply is discarded");
    }

    @Test
    void anIpcWithoutDescriptorsReturnsAtOnce() {
        Rig rig = two("""
                        li   eax, -1
                        li   ebp, -1
                        syscall ipc
                """ + PARK, "        halt\n");
        rig.runToQuiescence(1_000);

        assertEquals(0, rig.reg("a.main", Reg.EDI));
        assertEquals(1, rig.ran("ipc.none"));
    }
}
