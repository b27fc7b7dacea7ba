package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.thread.ThreadId;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/** task_new (§2.2.3): an empty address space and its first thread; deletion by the chief only. */
class TaskNewTest {
    /** The new task's first thread: sends 77 to its creator, then sleeps. */
    private static final String CHILD = """
                    li   edx, 77
                    ipc  send tid(5, 0)
                    halt
            """;

    private static final String CREATE_9 = """
                    li   esi, tid(9, 0, 3)           ; task 9, version 3
                    li   eax, 255                    ; MCP (clipped to ours)
                    li   ecx, 0
                    li   edx, 0x400000               ; its code: the image's first program
                    li   ebx, @sigma0                ; its pager
                    syscall task_new
                    mov  esp, esi                ; the new task's id (halt leaves ESP alone)
            """;

    private static Scenario.Builder root(String program, int mcp) {
        return Rig.programs("root", program, "child", CHILD)
                .task("root", 5, t -> t.mcp(mcp).thread("main", 100, "sigma0", "root", Map.of()))
                .image(9, "child", Map.of());
    }

    @Test
    void taskNewCreatesAnEmptySpaceWhoseFirstThreadFaultsOnItsCodeAndRuns() {
        Rig rig = new Rig(root(CREATE_9 + """
                        ipc  receive esp
                        mov  edi, edx
                        halt
                """, 200).build());
        rig.runToQuiescence(10_000);

        ThreadId child = ThreadId.of(9, 0, 3);
        assertEquals(child.raw(), rig.reg("root.main", Reg.ESP), "ESI returns the new task's id");
        assertEquals(77, rig.reg("root.main", Reg.EDI));
        assertEquals(5, rig.kernel.task(9).chief(), "the creator is its chief");
        assertEquals(200, rig.kernel.task(9).mcp(), "the MCP is at most the creator's");
        assertEquals(1, rig.kernel.statistics().of(child).pageFaults(), "its first act: a fault on its code page");
    }

    @Test
    void theChiefDeletesATaskAndItsThreadIdsBecomeInvalid() {
        Rig rig = new Rig(root(CREATE_9 + """
                        sleep 100us                  ; meanwhile the waiter starts waiting for the child
                        ipc  receive esp             ; the child is alive
                        li   esi, tid(9, 0, 3)
                        li   ebx, 0                  ; nil pager: only delete
                        syscall task_new
                        mov  esp, esi
                        ipc  send tid(9, 0, 3) snd=0
                        mov  edi, eax
                        halt
                """, 255).program("waiter", """
                        sleep 50us                   ; the child exists by then
                        ipc  receive tid(9, 0, 3)    ; waits for the child, which is deleted meanwhile
                        mov  edi, eax
                        halt
                """).task("w", 6, t -> t.thread("main", 110, "sigma0", "waiter", Map.of())).build());
        rig.runToQuiescence(10_000);

        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("w.main", Reg.EDI), "a receiver waiting for it is told");
        assertEquals(0, rig.ran("ipc.receivePath.notExistent", "w.main"), "it was waiting when the task went");
        assertEquals(0, rig.reg("root.main", Reg.ESP), "nothing created");
        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("root.main", Reg.EDI));
        assertNull(rig.kernel.task(9));
        assertNull(rig.kernel.view().thread(ThreadId.of(9, 0, 3)));
    }

    @Test
    void onlyTheChiefMayDeleteAndReservedNumbersAreRefused() {
        Scenario s = Rig.programs("intruder", """
                        li   esi, tid(6, 0)          ; task 6 was created at boot, not by us
                        li   ebx, @sigma0
                        li   edx, 0x400000
                        syscall task_new
                        mov  edi, esi
                        li   esi, tid(2, 0)          ; sigma0's number
                        li   ebx, @sigma0
                        syscall task_new
                        mov  ebp, esi
                        mov  ebx, ebp
                        halt
                """)
                .task("i", 5, t -> t.thread("main", 100, "sigma0", "intruder", Map.of()))
                .task("victim", 6, t -> t.thread("main", 90, "sigma0", "idle", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(0, rig.reg("i.main", Reg.EDI));
        assertEquals(0, rig.reg("i.main", Reg.EBX));
        assertTrue(rig.kernel.task(6).isAlive());
    }

    @Test
    void deletingATaskRevokesWhatItMappedToOthers() {
        Scenario s = Rig.programs("root", CREATE_9 + """
                        ipc  receive esp window=fpage(0x1000000, 12)   ; the child maps us a page
                        ld   edx, [0x1000000]
                        mov  edi, edx
                        li   esi, tid(9, 0, 3)
                        li   ebx, 0
                        syscall task_new             ; delete the child
                        halt
                """, "child", """
                        li   edx, 0x5151
                        st   [0x300000], edx         ; sigma0 backs it
                        li   edx, 0x300000
                        li   ebx, fpage(0x300000, 12, rw)
                        ipc  send tid(5, 0) map
                        halt
                """)
                .task("root", 5, t -> t.thread("main", 100, "sigma0", "root", Map.of()))
                .image(9, "child", Map.of()).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(0x5151, rig.reg("root.main", Reg.EDI));
        assertFalse(rig.mapped(5, 0x1000000), "what the deleted task mapped to us is gone");
    }

    @Test
    void runningOutOfKernelMemoryIsAnErrorResultNotACrash() {
        Scenario s = Rig.programs("greedy", """
                        li   ebx, 10                 ; the next task number
                loop:   mov  esi, ebx
                        shl  esi, 16                 ; task number into the id
                        mov  edi, ebx
                        li   ebx, @sigma0
                        li   edx, 0x400000
                        li   eax, 10
                        syscall task_new
                        beq  esi, 0, full
                        mov  ebx, edi
                        add  ebx, 1
                        blt  ebx, 250, loop
                full:   mov  esp, edi                ; the first task number that failed
                        halt
                """).kernel(KernelConfig.defaults().withKernelFrames(48))
                .task("root", 5, t -> t.thread("main", 100, "sigma0", "greedy", Map.of()))
                .build();
        Rig rig = new Rig(s);
        rig.run(20_000);

        int failedAt = rig.reg("root.main", Reg.ESP);
        assertTrue(failedAt > 10 && failedAt < 250, "some tasks were created, then the kernel ran out: " + failedAt);
        assertEquals(l4smp.kernel.thread.ThreadState.WAITING, rig.state("root.main"), "the creator goes on");
    }
}
