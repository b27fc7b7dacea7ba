package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.boot.KernelInfoPage;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.thread.ThreadId;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/** §2.4: interrupts as IPC from hardware threads, lazy FPU switching; the kernel info page and the UTCB. */
class InterruptFpuKipTest {
    /** The spinner starts after the handler had its chance to attach. */
    private static Scenario handlerOver(int handlerPriority, int spinnerPriority) {
        return Scenario.builder("irq").memoryMB(8)
                .program("late_spinner", """
                        sleep 10us
                loop:   compute 1000
                        jmp  loop
                """)
                .task("drv", 5, t -> t.thread("h", handlerPriority, "sigma0", "irq_handler", Map.of("irq", "3", "work", "300")))
                .task("app", 6, t -> t.thread("spin", spinnerPriority, "sigma0", "late_spinner", Map.of()))
                .interrupt(3, 30_000, 40_000).build();
    }

    @Test
    void aHigherPriorityHandlerPreemptsAtOnce() {
        Rig rig = new Rig(handlerOver(200, 100));
        ThreadId handler = rig.id("drv.h");
        int[] preempted = {0};
        rig.kernel.listener((step, view) -> {
            rig.steps.add(step);
            if (step.ran(l4smp.kernel.observe.PathSegment.IRQ_DELIVER) && view.cpu(0).current().equals(handler)) {
                preempted[0]++;
            }
        });
        rig.run(20_000);

        long delivered = rig.kernel.interruptThreads().delivered();
        assertTrue(delivered >= 10, "interrupts delivered: " + delivered);
        assertEquals(delivered, preempted[0], "each delivery switched to the handler in the same step");
        long received = rig.kernel.statistics().of(handler).ipcs(IpcOp.RECEIVE, CompletionCode.OK);
        assertTrue(received >= delivered - 1, "the handler received them: " + received);
        assertEquals(1, rig.kernel.statistics().of(handler).ipcs(IpcOp.RECEIVE, CompletionCode.RECEIVE_TIMEOUT),
                "attaching: a receive with timeout 0");
    }

    @Test
    void aLowerPriorityHandlerWaitsForTheCpu() {
        Rig rig = new Rig(handlerOver(50, 100));
        rig.run(20_000);

        assertEquals(1, rig.kernel.interruptThreads().delivered(), "the first interrupt found the handler waiting");
        assertEquals(0, rig.kernel.statistics().of(rig.id("drv.h")).ipcs(IpcOp.RECEIVE, CompletionCode.OK),
                "§2.4: high priority threads are preferred to lower priority interrupt handlers");
    }

    @Test
    void anIrqHasOneHandler() {
        Scenario s = Rig.programs("second", """
                        compute 1000
                        ipc  receive irq(3) rcv=0
                        mov  edi, eax
                        halt
                """).task("drv", 5, t -> t.thread("h", 100, "sigma0", "irq_handler", Map.of("irq", "3"))
                        .thread("second", 90, "sigma0", "second", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        assertEquals(CompletionCode.NOT_EXISTENT, rig.code("drv.second", Reg.EDI));
    }

    @Test
    void theFpuIsSwitchedLazilyAndEachThreadKeepsItsState() {
        Scenario s = Rig.programs("fpu", """
                        str  edx                     ; 1
                        mov  ebx, esp
                        fst  5, ebx                  ; 0 for one thread ...
                loop:   fld  edi, 5
                        bne  edi, ebx, broken
                        syscall thread_switch        ; to anyone: the other thread touches the FPU
                        add  edx, 1
                        blt  edx, 20, loop
                        li   esp, 1000
                        halt
                broken: li   esp, -1
                        halt
                """, "other", """
                        li   esp, 7
                        mov  ebx, esp
                        fst  5, ebx                  ; ... 7 for the other
                loop:   fld  edi, 5
                        bne  edi, ebx, broken
                        syscall thread_switch
                        jmp  loop
                broken: li   esp, -1
                        halt
                """).task("f", 5, t -> t.thread("a", 100, "sigma0", "fpu", Map.of()).thread("b", 100, "sigma0", "other", Map.of()))
                .build();
        Rig rig = new Rig(s);
        rig.run(5_000);

        assertEquals(1000, rig.reg("f.a", Reg.ESP), "thread a always found its own value");
        assertTrue(rig.kernel.fpu().switches() >= 19, "the FPU changed owner at each switch: " + rig.kernel.fpu().switches());
        assertEquals(rig.kernel.fpu().switches() - 1, rig.kernel.fpu().saves(), "the first owner had nothing to save");
    }

    @Test
    void aThreadAloneWithTheFpuTrapsOnce() {
        Scenario s = Rig.programs("fpu", """
                        li   ecx, 0
                loop:   fst  1, ecx
                        add  ecx, 1
                        syscall thread_switch
                        blt  ecx, 10, loop
                        halt
                """).task("f", 5, t -> t.thread("a", 100, "sigma0", "fpu", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        assertEquals(1, rig.ran("fpu.switch"), "§2.4: if the same thread caused the fault, no registers are saved");
    }

    @Test
    void programsReadTheKernelInfoPageAndTheirUtcb() {
        Scenario s = Rig.programs("probe", """
                        ld   edi, [0xBFF00000 + 0xB8]    ; §7.1: highest processor number
                        ld   edx, [0xBFF00000]           ; magic
                        ld   ebx, [0xBFE00000 + 64 + 12] ; §7.2: our (lthread 1) UTCB, processor number
                        ld   esp, [0xBFE00000 + 64]      ; our UTCB: our id
                        halt
                """).cpus(2).task("k", 5, t -> t.thread("idle", 100, "sigma0", "idle", Map.of())
                        .thread("main", 100, "sigma0", "probe", Map.of())).build();
        Rig rig = new Rig(s);
        rig.runToQuiescence(5_000);

        assertEquals(2, rig.reg("k.main", Reg.EDI));
        assertEquals(KernelInfoPage.MAGIC, rig.reg("k.main", Reg.EDX));
        assertEquals(1, rig.reg("k.main", Reg.EBX));
        assertEquals(rig.id("k.main").raw(), rig.reg("k.main", Reg.ESP));
    }

    @Test
    void eachCpuHoldsItsProcessorNumberInItsTaskRegister() {
        Rig rig = new Rig(Scenario.builder("tr").cpus(3).memoryMB(8).build());
        rig.runToQuiescence(1_000);
        for (int cpu = 0; cpu < 3; cpu++) {
            assertEquals(cpu + 1, rig.sim.machine().cpu(cpu).taskRegister(), "§8.8.1, numbered 1..k");
        }
        for (KernelStep step : rig.steps) {
            assertTrue(step.cpu() >= 0);
        }
    }
}
