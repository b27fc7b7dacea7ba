package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/**
 * lthread_ex_regs and thread_schedule on threads of other CPUs, and lthread_ex_regs on a thread whose
 * send a proxy of another CPU holds (§8.4.3): performed by the target CPU's operation proxy.
 */
class XpOperationsTest {
    /** The controller (lthread 0) on cpu0; lthread 1 of the same task on cpu1; a peer task on the CPU given. */
    private static Rig task(String controller, String worker, String peer, int peerCpu) {
        Scenario s = Rig.programs("ctl", controller, "work", worker, "peer", peer).cpus(2)
                .task("t", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "ctl", Map.of())
                        .thread("w", 1, 90, 1, "sigma0", "work", Map.of()))
                .task("p", 6, t -> t.thread("main", 0, 100, peerCpu, "sigma0", "peer", Map.of())).build();
        return new Rig(s);
    }

    @Test
    void exRegsOnAThreadOfAnotherCpuCancelsItsReceiveAndReturnsTheOldValues() {
        Rig rig = task("""
                        compute 20000                  ; w is waiting by now
                        li   eax, 1
                        li   ecx, 0x1234
                        li   edx, moved
                        li   esi, -1
                        syscall lthread_ex_regs
                        mov  edi, eax
                        mov  ebx, edx                  ; the old EIP
                        halt
                moved:  mov  edi, eax                  ; w resumes here with its receive's result
                        halt
                """, """
                        ipc  receive @p.main           ; nobody sends: it waits for ever
                        halt
                """, "halt", 0);
        rig.runToQuiescence(50_000);

        assertEquals(0, rig.reg("t.main", Reg.EDI), "ex_regs succeeded");
        assertTrue(rig.reg("t.main", Reg.EBX) != 0, "the old EIP came back");
        assertEquals(CompletionCode.RECEIVE_CANCELED, rig.code("t.w", Reg.EDI), "its receive was canceled");
        assertEquals(0x1234, rig.reg("t.w", Reg.ESP));
        assertEquals(1, rig.ran("xcpu.operation.perform"));
    }

    @Test
    void exRegsOnASenderWhoseProxyPollsCancelsTheSendAtTheProxy() {
        Rig rig = task("""
                        compute 20000                  ; w's send polls at the proxy on cpu0 by now
                        li   eax, 1
                        li   ecx, -1
                        li   edx, moved
                        li   esi, -1
                        syscall lthread_ex_regs
                        halt
                moved:  mov  edi, eax
                        halt
                """, """
                        ipc  send @p.main              ; p computes, then sleeps: w's proxy polls for it
                        halt
                """, """
                        compute 200000
                        halt
                """, 0);
        rig.runToQuiescence(100_000);

        assertEquals(CompletionCode.SEND_CANCELED, rig.code("t.w", Reg.EDI));
        assertEquals(1, rig.ran("xcpu.proxy.cancel"));
        assertTrue(rig.tcb("p.main").sendQueueHead() == null, "the request left the receiver's send queue");
        assertNull(rig.tcb("t.w").proxy());
        assertTrue(rig.kernel.xcpu().mailboxesInUse().isEmpty());
    }

    @Test
    void threadScheduleOnAThreadOfAnotherCpuSetsItsPriorityThere() {
        Rig rig = task("""
                        li   eax, 77
                        li   esi, @t.w
                        syscall thread_schedule
                        mov  edi, eax
                        halt
                """, """
                        compute 100000
                        halt
                """, "halt", 0);
        rig.runToQuiescence(50_000);

        assertEquals(90, rig.reg("t.main", Reg.EDI) & 0xFF, "the old priority");
        assertEquals(2, (rig.reg("t.main", Reg.EDI) >>> 16) & 0xF, "on processor 2 (cpu1)");
        assertEquals(77, rig.tcb("t.w").priority());
        assertEquals(ThreadState.WAITING, rig.state("t.w"));
    }
}
