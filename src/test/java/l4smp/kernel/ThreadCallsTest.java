package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/** lthread_ex_regs, thread_schedule, thread_switch, id_nearest, and what the kernel does with invalid traps. */
class ThreadCallsTest {
    private static Rig one(String program, int mcp) {
        Scenario s = Rig.programs("p", program)
                .task("t", 5, t -> t.mcp(mcp).thread("main", 100, "sigma0", "p", Map.of())
                        .thread("other", 80, "sigma0", "idle", Map.of())).build();
        return new Rig(s);
    }

    @Test
    void lthreadExRegsCreatesAThreadInTheCallersTask() {
        Rig rig = one("""
                        li   eax, 7                  ; lthread 7
                        li   ecx, 0x9000             ; its ESP
                        li   edx, worker             ; its EIP
                        li   esi, -1                 ; the caller's pager
                        syscall lthread_ex_regs
                        mov  esp, eax
                        ipc  receive tid(5, 7)
                        mov  ebp, edx
                        mov  edi, ebp
                        halt
                worker: li   edx, 42
                        ipc  send tid(5, 0)
                        halt
                """, 255);
        rig.runToQuiescence(10_000);

        assertEquals(0, rig.reg("t.main", Reg.ESP), "created");
        assertEquals(42, rig.reg("t.main", Reg.EDI), "the new thread ran and sent");
        var created = rig.kernel.view().thread(ThreadId.of(5, 7, 0));
        assertNotNull(created);
        assertEquals(100, created.priority(), "the creator's priority");
        assertEquals(rig.id("sigma0"), created.pager(), "the creator's pager");
        assertEquals(0, created.cpu(), "§7.1: created on the creator's processor");
    }

    @Test
    void lthreadExRegsReturnsTheOldValuesAndSetsThePager() {
        Rig rig = one("""
                        li   eax, 1                  ; t.other
                        li   ecx, -1
                        li   edx, -1
                        li   esi, tid(9, 9)
                        syscall lthread_ex_regs
                        mov  edi, esi                ; the old pager
                        mov  ebx, edx                ; the old EIP
                        halt
                """, 255);
        rig.runToQuiescence(10_000);

        assertEquals(rig.id("sigma0").raw(), rig.reg("t.main", Reg.EDI));
        assertEquals(rig.reg("t.other", Reg.EIP) & 0xFFFF0000, rig.reg("t.main", Reg.EBX) & 0xFFFF0000);
        assertEquals(ThreadId.of(9, 9, 0), rig.tcb("t.other").pager());
    }

    @Test
    void lthreadExRegsRejectsAnLthreadNumberOutOfRange() {
        Rig rig = one("""
                        li   eax, 64
                        li   edx, 0
                        syscall lthread_ex_regs
                        mov  edi, eax
                        halt
                """, 255);
        rig.runToQuiescence(10_000);

        assertEquals(-1, rig.reg("t.main", Reg.EDI));
    }

    @Test
    void lthreadExRegsRevivesAThreadTheKernelStopped() {
        Scenario s = Rig.programs("p", """
                        compute 3000                 ; lthread 1 dies meanwhile
                        li   eax, 1
                        li   ecx, -1
                        li   edx, alive
                        li   esi, -1
                        syscall lthread_ex_regs
                        halt
                alive:  li   edi, 99
                        halt
                """, "dies", """
                        int  0x80                    ; no such system call
                """)
                .task("t", 5, t -> t.thread("main", 100, "sigma0", "p", Map.of()).thread("dies", 110, "sigma0", "dies", Map.of()))
                .build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        assertEquals(99, rig.reg("t.dies", Reg.EDI));
        assertTrue(rig.ran("syscall.invalid") == 1 && rig.ran("thread.kill") == 1);
    }

    @Test
    void threadScheduleSetsPriorityAndTimeSliceWithinTheMcp() {
        Rig rig = one("""
                        li   eax, 0x81000000 | 0x00D00000 | 120   ; priority 120, time slice 129 * 4^2 µs
                        li   esi, tid(5, 1)
                        syscall thread_schedule
                        mov  edi, eax                ; the old parameters
                        halt
                """, 150);
        rig.runToQuiescence(10_000);

        assertEquals(80, rig.reg("t.main", Reg.EDI) & 0xFF, "the old priority");
        assertEquals(1, (rig.reg("t.main", Reg.EDI) >>> 16) & 0xF, "on processor 1 (cpu0)");
        assertEquals(120, rig.tcb("t.other").priority());
        assertEquals(129 * 16 * 450, rig.tcb("t.other").timeslice());
    }

    @Test
    void threadScheduleRefusesAPriorityThatIsNotLowerThanTheMcp() {
        Rig rig = one("""
                        li   eax, 150
                        li   esi, tid(5, 1)
                        syscall thread_schedule
                        mov  edi, eax
                        halt
                """, 150);
        rig.runToQuiescence(10_000);

        assertEquals(-1, rig.reg("t.main", Reg.EDI));
        assertEquals(80, rig.tcb("t.other").priority(), "unchanged");
    }

    @Test
    void threadScheduleRefusesAThreadWhosePriorityIsNotLowerThanTheMcp() {
        Rig rig = one("""
                        li   eax, -1                 ; only read
                        li   esi, tid(5, 0)          ; itself: priority 100, not lower than MCP 100
                        syscall thread_schedule
                        mov  edi, eax
                        li   eax, 0x00020000 | 10    ; processor 2: migration comes with the next issue
                        li   esi, tid(5, 1)
                        syscall thread_schedule
                        mov  ebx, eax
                        halt
                """, 100);
        rig.runToQuiescence(10_000);

        assertEquals(-1, rig.reg("t.main", Reg.EDI));
        assertEquals(-1, rig.reg("t.main", Reg.EBX));
        assertEquals(80, rig.tcb("t.other").priority());
    }

    @Test
    void threadSwitchToAThreadRunsItNext() {
        Scenario s = Rig.programs("p", """
                        li   esi, tid(5, 2)
                        syscall thread_switch
                        ld   edi, [0x200000]         ; what the switched-to thread wrote
                        halt
                """, "w", """
                        li   edx, 5
                        st   [0x200000], edx
                        halt
                """, "w2", """
                        li   edx, 6
                        st   [0x200000], edx
                        halt
                """)
                .task("t", 5, t -> t.map(0x200000, 1, true).thread("main", 100, "sigma0", "p", Map.of())
                        .thread("x", 100, "sigma0", "w2", Map.of()).thread("y", 100, "sigma0", "w", Map.of()))
                .build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(10_000);

        var switchStep = rig.steps.stream().filter(step -> step.label().equals("syscall.threadSwitch")).findFirst().orElseThrow();
        assertTrue(switchStep.threads().contains(rig.id("t.y")) && !switchStep.threads().contains(rig.id("t.x")),
                "main switched straight to y: " + switchStep);
        assertEquals(6, rig.word(5, 0x200000), "x, next in the round, ran after y");
        assertEquals(6, rig.reg("t.main", Reg.EDI), "main gave its time slice away: it runs after x");
    }

    @Test
    void idNearestNamesTheDestinationItself() {
        Rig rig = one("""
                        li   esi, tid(5, 1)
                        syscall id_nearest
                        mov  edi, esi
                        mov  ebx, eax
                        halt
                """, 255);
        rig.runToQuiescence(10_000);

        assertEquals(ThreadId.of(5, 1, 0).raw(), rig.reg("t.main", Reg.EDI));
        assertEquals(0, rig.reg("t.main", Reg.EBX));
    }

    @Test
    void anInstructionTheMachineRefusesStopsTheThread() {
        Rig rig = one("""
                        li   eax, 0x1001
                        ld   edi, [eax]              ; not 4-byte aligned
                        halt
                """, 255);
        rig.runToQuiescence(10_000);

        assertEquals(ThreadState.DEAD, rig.state("t.main"));
        assertEquals(CompletionCode.NONE, rig.tcb("t.main").completion());
    }
}
