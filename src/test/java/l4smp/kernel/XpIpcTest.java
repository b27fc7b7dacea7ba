package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/** Cross-processor short IPC (§8.3.5, §8.4): every IPC kind between threads on two CPUs, through mailboxes and proxies. */
class XpIpcTest {
    private static final String PARK = """
                    mov  edi, eax
                    halt
            """;

    /** Thread a.main on cpu0 and b.main on cpu1. */
    private static Rig apart(String a, String b) {
        Scenario s = Rig.programs("a", a, "b", b).cpus(2)
                .task("a", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "a", Map.of()))
                .task("b", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "b", Map.of())).build();
        return new Rig(s);
    }

    @Test
    void aSendReachesAReceiverOnAnotherCpuThroughItsProxy() {
        Rig rig = apart("""
                        li   edx, 1
                        li   ebx, 2
                        li   edi, 3
                        ipc  send @b.main
                        li   ebx, 0
                        jnz  local
                        li   ebx, 1
                local:  mov  edi, eax
                        halt
                """, """
                        ipc  receive @a.main
                        mov  esp, esi
                """ + PARK);
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.OK, rig.code("a.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("b.main", Reg.EDI));
        assertEquals(1, rig.reg("b.main", Reg.EDX));
        assertEquals(2, rig.reg("b.main", Reg.EBX));
        assertEquals(rig.id("a.main").raw(), rig.reg("b.main", Reg.ESP), "ESI names the sender");
        assertEquals(1, rig.reg("a.main", Reg.EBX), "the zero flag says the IPC crossed CPUs");
        assertEquals(1, rig.ran("xcpu.sendPath.xpSend"));
        assertEquals(1, rig.ran("xcpu.xpReturn"));
        assertTrue(rig.kernel.xcpu().mailboxesInUse().isEmpty(), "the mailbox is free again");
    }

    @Test
    void aCallAcrossCpusIsAnsweredByAReplyWithTimeoutZero() {
        Rig rig = apart("""
                        li   esp, 0
                loop:   mov  edx, esp
                        ipc  call @b.main
                        mov  ecx, eax
                        and  ecx, 0xF0
                        bne  ecx, 0, out
                        add  esp, 1
                        bne  esp, 50, loop
                out:    mov  edi, eax
                        halt
                """, """
                        ipc  wait
                loop:   mov  ecx, eax
                        and  ecx, 0xF0
                        bne  ecx, 0, out
                        add  edx, 1
                        ipc  reply_wait esi snd=0
                        jmp  loop
                out:    mov  edi, eax
                        halt
                """);
        rig.run(400_000);

        assertEquals(50, rig.reg("a.main", Reg.ESP), "every call was answered: " + rig.kernel.statistics().of(rig.id("a.main")));
        assertEquals(50, rig.kernel.statistics().of(rig.id("a.main")).ipcs(IpcOp.CALL, CompletionCode.OK));
        assertEquals(50, rig.reg("a.main", Reg.EDX), "the last reply: the request word plus one");
        assertEquals(ThreadState.WAITING, rig.state("b.main"));
    }

    @Test
    void aRemoteSenderWaitsInTheReceiversSendQueueThroughItsProxy() {
        Rig rig = apart("""
                        ipc  send @b.main
                """ + PARK, """
                        compute 20000
                        ipc  wait
                """ + PARK);
        rig.runToQuiescence(20_000);

        assertEquals(CompletionCode.OK, rig.code("a.main", Reg.EDI));
        assertEquals(CompletionCode.OK, rig.code("b.main", Reg.EDI));
        assertEquals(1, rig.ran("xcpu.proxy.poll"));
        assertEquals(1, rig.ran("ipc.receivePath.activateProxy"));
        assertEquals(1, rig.ran("xcpu.proxy.activated"));
    }

    @Test
    void sendAndReceiveTimeoutsAcrossCpusEndWithTheirCodes() {
        Rig rig = apart("""
                        ipc  send @b.main snd=0
                        mov  esp, eax
                        ipc  send @b.main snd=100us
                        mov  ebx, eax
                        ipc  receive @b.main rcv=100us
                """ + PARK, """
                        halt
                """);
        rig.runToQuiescence(50_000);

        assertEquals(CompletionCode.SEND_TIMEOUT, rig.code("a.main", Reg.ESP));
        assertEquals(CompletionCode.SEND_TIMEOUT, rig.code("a.main", Reg.EBX));
        assertEquals(CompletionCode.RECEIVE_TIMEOUT, rig.code("a.main", Reg.EDI));
        assertEquals(1, rig.ran("xcpu.proxy.timeout"), "the finite send timeout ran out at the proxy");
        assertNull(rig.tcb("a.main").proxy());
        assertTrue(rig.tcb("b.main").sendQueueHead() == null, "the timed-out sender left the send queue");
    }

    /** §7.1: thread_switch does not switch to a thread of another CPU; threads are created on their creator's CPU. */
    @Test
    void localityRulesOfTheSystemCalls() {
        Scenario s = Rig.programs("a", """
                        li   esi, @b.main
                        syscall thread_switch          ; b is on cpu1: as nil, the dispatcher chooses
                        li   eax, 5                    ; create lthread 5 of our task, on our cpu (cpu1)
                        li   ecx, 0
                        li   edx, child
                        li   esi, -1
                        syscall lthread_ex_regs
                        halt
                child:  str  edx                       ; the Task Register: processor 2
                        ld   ebx, [0xBFE00000 + 320 + 12] ; lthread 5 of 64-byte UTCBs: the UTCB's processor number (§7.2)
                        ld   edi, [0xBFF000B8]         ; the kernel info page: 2 processors (§7.1)
                        halt
                """, "b", """
                        halt
                """).cpus(2)
                .task("a", 5, t -> t.thread("main", 0, 100, 1, "sigma0", "a", Map.of()))
                .task("b", 6, t -> t.thread("main", 0, 100, 0, "sigma0", "b", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(20_000);

        assertTrue(rig.steps.stream().noneMatch(st -> st.label().contains("threadSwitch") && st.threads().contains(rig.id("b.main"))),
                "thread_switch did not touch the remote thread");
        var child = rig.kernel.tcbs().present(l4smp.kernel.thread.ThreadId.of(5, 5, 0));
        assertEquals(1, child.cpu(), "created on its creator's CPU");
        assertEquals(2, child.register(Reg.EDX));
        assertEquals(2, child.register(Reg.EBX));
        assertEquals(2, child.register(Reg.EDI) & 0xFF);
    }

    /**
     * Two senders on cpu1 to two receivers on cpu0: one.main's receiver sleeps long before it
     * receives, so the pair's proxy polls for it; two.main's request, behind it in the list, is
     * served meanwhile by a second instance (§8.4.4). Without the hand-over it waits behind.
     */
    @Test
    void aProxyWhoseSendWaitsForItsReceiverDoesNotStallTheRequestsBehindIt() {
        for (boolean handover : new boolean[] {true, false}) {
            String sender = """
                            ipc  send ${to}
                    """ + PARK;
            Scenario s = Rig.programs("one", sender.replace("${to}", "@slow.main"), "two",
                            "        compute 2000\n" + sender.replace("${to}", "@quick.main"),
                            "slow", "        sleep 20ms\n        ipc  receive @one.main\n" + PARK,
                            "quick", "        ipc  receive @two.main\n" + PARK).cpus(2)
                    .kernel(l4smp.kernel.KernelConfig.defaults().withProxyHandover(handover))
                    .task("one", 5, t -> t.thread("main", 0, 100, 1, "sigma0", "one", Map.of()))
                    .task("two", 6, t -> t.thread("main", 0, 100, 1, "sigma0", "two", Map.of()))
                    .task("slow", 7, t -> t.thread("main", 0, 100, 0, "sigma0", "slow", Map.of()))
                    .task("quick", 8, t -> t.thread("main", 0, 100, 0, "sigma0", "quick", Map.of())).build();
            Rig rig = new Rig(s);
            while (rig.sim.machine().cpu(0).millicycles() < 4_500_000_000L) { // 10 ms of the boot CPU, processor 1
                rig.run(100);
            }
            boolean twoReturned = rig.steps.stream().anyMatch(st -> st.label().contains("xcpu.xpReturn")
                    && st.subjects().contains(rig.id("two.main")));
            assertEquals(handover, twoReturned,
                    "handover " + handover + ": two.main's send is done before the slow receiver wakes, or waits behind");
            assertEquals(ThreadState.LOCKED_WAITING, rig.tcb("one.main").state(), "one.main's receiver still sleeps");
            assertEquals(handover ? 1 : 0, rig.kernel.xcpu().counters().handOvers());
            rig.runToQuiescence(100_000);
            assertEquals(CompletionCode.OK, rig.code("one.main", Reg.EDI));
            assertEquals(CompletionCode.OK, rig.code("two.main", Reg.EDI));
        }
    }
}
