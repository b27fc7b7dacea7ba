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

    /**
     * §3.1.1: B on cpu1 reads a page A on cpu0 mapped to it, so cpu1's TLB holds the translation;
     * A unmaps the page and only then tells B to read again. B's next access faults (it has no
     * pager: the kernel stops it), because the unmap shot cpu1's translation down before it returned.
     */
    @Test
    void anUnmapShootsTheTranslationDownOnTheOtherCpu() {
        Scenario s = Rig.programs("a", """
                        li   edx, 0x5A5A
                        st   [0x200000], edx
                        li   edx, 0x200000
                        li   ebx, fpage(0x200000, 12, rw)
                        ipc  send @b.main map
                        ipc  receive @b.main           ; B has read the page: cpu1's TLB maps it
                        li   eax, fpage(0x200000, 12, rw)
                        li   ecx, 2                    ; flush, from the other spaces
                        syscall fpage_unmap
                        ipc  send @b.main              ; read again
                        halt
                """, "b", """
                        ipc  receive @a.main window=fpage(0x1000000, 12)
                        ld   edi, [0x1000000]
                        ipc  send @a.main
                        ipc  receive @a.main
                        ld   ebx, [0x1000000]          ; unmapped: faults, no pager, stopped
                        halt
                """).cpus(2)
                .task("a", 5, t -> t.map(0x200000, 1, true).thread("main", 0, 100, 0, "sigma0", "a", Map.of()))
                .task("b", 6, t -> t.thread("main", 0, 100, 1, "none", "b", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(50_000);

        assertEquals(0x5A5A, rig.reg("b.main", Reg.EDI), "B read the mapped page");
        assertEquals(ThreadState.DEAD, rig.state("b.main"), "its access after the unmap faulted");
        assertEquals(1, rig.ran("xcpu.operation.perform"), "cpu1 invalidated its TLB");
    }

    /**
     * Deleting a task whose threads talk across CPUs (§8.4.3's last paragraph): a thread on cpu1
     * waiting for the dying thread, one whose send the dying thread's CPU proxies, and the dying
     * thread's own send held by a proxy on cpu1 all end; the dying thread's partners learn it does
     * not exist.
     */
    @Test
    void deletingATaskTellsItsPartnersOnOtherCpus() {
        Scenario s = Rig.programs("root", """
                        li   esi, tid(9, 0, 3)
                        li   eax, 255
                        li   ecx, 0
                        li   edx, 0x400000
                        li   ebx, @sigma0
                        syscall task_new               ; the child runs on cpu0, our CPU
                        compute 60000                  ; its partners on cpu1 are blocked by now
                        li   esi, tid(9, 0, 3)
                        li   ebx, 0                    ; nil pager: only delete
                        syscall task_new
                        halt
                """, "child", """
                        ipc  send @p.z                 ; z never receives: a proxy on cpu1 polls for it
                        halt
                """, "waiter", """
                        ipc  receive tid(9, 0, 3)
                        mov  edi, eax
                        halt
                """, "sender", """
                        compute 10000
                        ipc  send tid(9, 0, 3)         ; the child is busy: the proxy on cpu0 polls for it
                        mov  edi, eax
                        halt
                """, "zzz", "halt")
                .cpus(2)
                .task("root", 5, t -> t.thread("main", 0, 100, 0, "sigma0", "root", Map.of()))
                .task("p", 6, t -> t.thread("x", 0, 100, 1, "sigma0", "waiter", Map.of())
                        .thread("y", 1, 100, 1, "sigma0", "sender", Map.of())
                        .thread("z", 2, 100, 1, "sigma0", "zzz", Map.of()))
                .image(9, "child", Map.of()).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(100_000);

        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("p.x", Reg.EDI), "the remote waiter was told");
        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("p.y", Reg.EDI), "the remote sender was told");
        assertTrue(rig.tcb("p.z").sendQueueHead() == null, "the dying thread's request left z's send queue");
        assertTrue(rig.kernel.xcpu().mailboxesInUse().isEmpty(), "every mailbox is free again");
        assertEquals(null, rig.kernel.task(9));
        // its own CPU stops it without ending its send there: the proxy's CPU gives the request up
        assertTrue(rig.kernel.statistics().of(l4smp.kernel.thread.ThreadId.of(9, 0, 3)).ipcs().isEmpty(),
                "the dead sender returns from no IPC: " + rig.kernel.statistics().of(l4smp.kernel.thread.ThreadId.of(9, 0, 3)).ipcs());
    }

    /**
     * scenarios/xp-task-delete under seeded interleavings: the CPUs' parts of the deletion run in
     * any order, so the dying sender's request may be given up at its proxy before its own CPU
     * stops it, with the reply already linked to it there. Every mailbox is free at the end, and the
     * remote partners end not_existent.
     */
    @Test
    void deletingATaskFreesEveryMailboxWhateverOrderItsPartsRunIn() throws Exception {
        String json = java.nio.file.Files.readString(java.nio.file.Path.of("scenarios", "xp-task-delete.json"));
        for (long seed = 1; seed <= 8; seed++) {
            Scenario s = l4smp.workload.ScenarioReader.read(json);
            s = s.withRun(new Scenario.RunSpec(s.run().steps(), "random", seed));
            Rig rig = new Rig(s);
            rig.runToQuiescence(s.run().steps());
            assertTrue(rig.kernel.xcpu().mailboxesInUse().isEmpty(), "seed " + seed + ": " + rig.kernel.xcpu().mailboxesInUse());
            assertEquals(1, rig.kernel.statistics().of(rig.id("snd.main")).ipcs(l4smp.kernel.ipc.IpcOp.SEND, CompletionCode.NOT_EXISTENT));
            assertEquals(1, rig.kernel.statistics().of(rig.id("cal.main")).ipcs(l4smp.kernel.ipc.IpcOp.CALL, CompletionCode.NOT_EXISTENT));
        }
    }
}
