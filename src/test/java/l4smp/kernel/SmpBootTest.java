package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import l4smp.hw.Cpu;
import l4smp.hw.Cycles;
import l4smp.hw.Machine;
import l4smp.hw.MachineConfig;
import l4smp.hw.RunResult;
import l4smp.hw.sched.Candidates;
import l4smp.hw.sched.Scheduler;
import l4smp.kernel.boot.KernelInfoPage;
import l4smp.kernel.boot.SmpBoot;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.PathSegment;
import l4smp.workload.Scenario;
import l4smp.workload.UserPrograms;
import org.junit.jupiter.api.Test;

/**
 * §8.2 and §8.8.1: the boot processor starts the others with INIT and STARTUP; each numbers itself
 * with lock xadd in the order it gets there, loads its Task Register and gets the APIC id of its
 * number; all meet at the boot barrier; a CPU that does not answer is masked out and the kernel info
 * page's processor count lowered; threads run only on processors that booted, once they have.
 */
class SmpBootTest {
    private static final int SEEDS = 30;

    /** {@code cpus} CPUs with a sender on each application processor and a receiver on processor 1. */
    private static Scenario.Builder senders(int cpus, Integer... failing) {
        Scenario.Builder b = Rig.programs("recv", """
                loop:   ipc  wait
                        jmp  loop
                """, "send", """
                        ipc  send @r.main
                        halt
                """).cpus(cpus).failingCpus(failing);
        b.task("r", 5, t -> t.thread("main", 100, "sigma0", "recv", Map.of()));
        b.task("s", 6, t -> {
            for (int cpu = 1; cpu < cpus - failing.length; cpu++) {
                t.thread("on" + cpu, cpu - 1, 100, cpu, "sigma0", "send", Map.of());
            }
        });
        return b;
    }

    private static List<KernelStep> ran(Rig rig, PathSegment segment) {
        return rig.steps.stream().filter(s -> s.ran(segment)).toList();
    }

    private static int indexOfFirst(Rig rig, PathSegment segment) {
        return IntStream.range(0, rig.steps.size()).filter(i -> rig.steps.get(i).ran(segment)).findFirst().orElse(-1);
    }

    private static int indexOfLast(Rig rig, PathSegment segment) {
        return IntStream.range(0, rig.steps.size()).filter(i -> rig.steps.get(i).ran(segment)).reduce((a, b) -> b).orElse(-1);
    }

    private static long received(Rig rig) {
        return rig.kernel.statistics().of(rig.id("r.main")).ipcs(IpcOp.OPEN_RECEIVE, CompletionCode.OK);
    }

    private static int kipProcessors(Rig rig) {
        return rig.sim.machine().memory().readWord(rig.kernel.kernelInfoPage().address() + KernelInfoPage.OFFSET_PROCESSORS);
    }

    @Test
    void eachProcessorTakesTheNextNumberInBootOrderWithItsTaskRegisterAndApicId() {
        Set<List<Integer>> orders = new HashSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Rig rig = new Rig(senders(4).random(seed).build());
            rig.runToQuiescence(20_000);

            List<KernelStep> numbered = ran(rig, PathSegment.BOOT_NUMBER);
            assertEquals(List.of(0, 1, 2, 3), numbered.stream().map(KernelStep::cpu).toList(),
                    "seed " + seed + ": the i-th lock xadd on the processor field hands out number i + 1");
            SmpBoot boot = rig.kernel.smpBoot();
            List<Integer> machineCpus = new ArrayList<>();
            for (int number = 1; number <= 4; number++) {
                int machineCpu = boot.apicIdOf(number);
                machineCpus.add(machineCpu);
                Cpu cpu = rig.sim.machine().cpu(machineCpu);
                assertEquals(number, cpu.taskRegister(), "seed " + seed + ": §8.8.1, the number in the Task Register");
                assertEquals(number - 1, cpu.apic().id(), "seed " + seed + ": §8.2, the APIC's address is the number");
                assertEquals(cpu, rig.kernel.processor(number - 1).cpu(), "seed " + seed + ": the number's local data");
            }
            assertEquals(0, machineCpus.get(0), "the bootstrap processor is processor 1");
            assertEquals(Set.of(0, 1, 2, 3), new HashSet<>(machineCpus), "seed " + seed + ": distinct numbers");
            orders.add(machineCpus);
            assertEquals(3, received(rig), "seed " + seed + ": every sender's message arrived");
        }
        assertTrue(orders.size() > 1, "under random interleavings the application processors do not always boot "
                + "in the machine's order, and their numbers follow the boot order: " + orders);
    }

    @Test
    void underEarliestClockFirstTheNumbersFollowTheMachinesOrder() {
        Rig rig = new Rig(senders(3).build());
        rig.runToQuiescence(20_000);

        for (int cpu = 0; cpu < 3; cpu++) {
            assertEquals(cpu + 1, rig.sim.machine().cpu(cpu).taskRegister());
        }
        assertEquals(List.of("boot.number+boot.barrier.arrive+boot.initIpi", "boot.startupIpi"),
                rig.steps.subList(0, 2).stream().map(KernelStep::label).toList());
        assertEquals(2, ran(rig, PathSegment.BOOT_AP_ENTRY).size());
        assertEquals(3, kipProcessors(rig));
        assertTrue(ran(rig, PathSegment.BOOT_MASK_OUT).isEmpty());
    }

    @Test
    void noProcessorLeavesTheBarrierBeforeEveryOneThatAnsweredHasArrived() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (Integer[] failing : new Integer[][] {{}, {2}}) {
                Rig rig = new Rig(senders(4, failing).random(seed).build());
                rig.runToQuiescence(40_000);
                String where = "seed " + seed + ", failing " + List.of(failing);

                int lastArrival = indexOfLast(rig, PathSegment.BOOT_ARRIVE);
                int release = indexOfFirst(rig, PathSegment.BOOT_RELEASE);
                int firstLeave = indexOfFirst(rig, PathSegment.BOOT_LEAVE);
                assertEquals(4 - failing.length, ran(rig, PathSegment.BOOT_ARRIVE).size(), where);
                assertEquals(3 - failing.length, ran(rig, PathSegment.BOOT_LEAVE).size(), where);
                assertTrue(lastArrival < release && release < firstLeave, where + ": arrivals, release, leaves");
                for (int i = 0; i < release; i++) {
                    assertTrue(rig.steps.get(i).label().startsWith("boot."),
                            where + ": nothing but the boot runs before the barrier opens: " + rig.steps.get(i).label());
                }
                for (KernelStep step : rig.steps.subList(release + 1, rig.steps.size())) {
                    assertFalse(step.ran(PathSegment.BOOT_ARRIVE) || step.ran(PathSegment.BOOT_NUMBER), where);
                }
            }
        }
    }

    @Test
    void aThreadPlacedOnAnApplicationProcessorRunsOnceThatProcessorHasLeftTheBarrier() {
        Rig rig = new Rig(senders(3).random(5).build());
        rig.runToQuiescence(20_000);

        for (int cpu = 1; cpu < 3; cpu++) {
            int c = cpu;
            int leave = IntStream.range(0, rig.steps.size())
                    .filter(i -> rig.steps.get(i).cpu() == c && rig.steps.get(i).ran(PathSegment.BOOT_LEAVE)).findFirst().orElseThrow();
            int firstRun = IntStream.range(0, rig.steps.size())
                    .filter(i -> rig.steps.get(i).threads().contains(rig.id("s.on" + c))).findFirst().orElseThrow();
            assertTrue(leave < firstRun, "cpu" + c + " left the barrier at kernel step " + leave + ", its thread first ran at "
                    + firstRun);
            assertEquals(c, rig.steps.get(firstRun).cpu());
        }
    }

    @Test
    void aCpuThatDoesNotAnswerIsMaskedOutAndTheProcessorCountLowered() {
        Rig rig = new Rig(senders(4, 2).build());
        rig.runToQuiescence(40_000);

        Machine machine = rig.sim.machine();
        SmpBoot boot = rig.kernel.smpBoot();
        assertEquals(3, kipProcessors(rig), "§7.1's processor count at 0xB8, lowered");
        assertEquals(3, boot.processors());
        assertEquals(List.of(2), boot.maskedOut());
        assertEquals(List.of(0, 1, 3), List.of(boot.apicIdOf(1), boot.apicIdOf(2), boot.apicIdOf(3)),
                "the processors that answered hold 1..3: the highest number decreased, none left out");
        assertEquals(Cpu.StartupState.RESET, machine.cpu(2).startupState());
        assertFalse(machine.choices().toString().contains("2"), "nothing ever ran on cpu2");
        assertFalse(rig.kernel.processor(3).started(), "no CPU took processor number 4");
        assertTrue(rig.steps.stream().allMatch(s -> s.cpu() >= 0 && s.cpu() <= 2));
        assertEquals(List.of("boot.maskOut+boot.barrier.release"),
                ran(rig, PathSegment.BOOT_RELEASE).stream().map(KernelStep::label).toList());
        long startup = ran(rig, PathSegment.BOOT_STARTUP_IPI).get(0).millicycles();
        assertTrue(boot.releasedAt() - startup >= Cycles.ofWhole(SmpBoot.STARTUP_TIMEOUT_CYCLES),
                "the boot processor waited out the timeout");
        assertEquals(2, received(rig), "the senders on processors 2 and 3 got through");
        assertEquals(1, rig.kernel.statistics().of(rig.id("s.on2")).ipcs(IpcOp.SEND, CompletionCode.OK),
                "the sender on processor 3, the machine's cpu3, whose APIC id the boot set to 2");
        assertEquals(rig.sim.machine().cpu(3), rig.kernel.processor(2).cpu(), "processor 3 is the machine's cpu3");
    }

    /**
     * After a CPU was masked out, operations on "every CPU" mean the k processors that booted:
     * deleting a task (every CPU stops its threads, then the TLBs are shot down) and an unmap
     * (the CPUs that may hold the translation) complete, and nothing is asked of processor
     * number 4, which no CPU took. Processor 3 is the machine's cpu3.
     */
    @Test
    void operationsOnEveryCpuReachOnlyTheProcessorsThatBooted() {
        for (long seed = 1; seed <= 10; seed++) {
            Scenario s = Rig.programs("root", """
                            li   edx, 0x5A5A
                            st   [0x200000], edx
                            li   edx, 0x200000
                            li   ebx, fpage(0x200000, 12, rw)
                            ipc  send @b.main map
                            ipc  receive @b.main           ; B has read the page: its CPU's TLB maps it
                            li   eax, fpage(0x200000, 12, rw)
                            li   ecx, 2                    ; flush, from the other spaces
                            syscall fpage_unmap
                            ipc  send @b.main              ; read again
                            li   esi, tid(9, 0, 3)
                            li   eax, 255
                            li   ecx, 0
                            li   edx, 0x400000
                            li   ebx, @sigma0
                            syscall task_new
                            li   esi, tid(9, 0, 3)
                            li   ebx, 0                    ; nil pager: only delete
                            syscall task_new
                            mov  edi, esi
                            halt
                    """, "b", """
                            ipc  receive @root.main window=fpage(0x1000000, 12)
                            ld   edi, [0x1000000]
                            ipc  send @root.main
                            ipc  receive @root.main
                            ld   ebx, [0x1000000]          ; unmapped: faults, no pager, stopped
                            halt
                    """, "child", """
                            compute 1000
                            halt
                    """).cpus(4).failingCpus(1).random(seed)
                    .task("root", 5, t -> t.map(0x200000, 1, true).thread("main", 0, 100, 0, "sigma0", "root", Map.of()))
                    .task("b", 6, t -> t.thread("main", 0, 100, 2, "none", "b", Map.of()))
                    .image(9, "child", Map.of()).build();
            Rig rig = new Rig(s);
            rig.runToQuiescence(200_000);

            String where = "seed " + seed;
            assertEquals(List.of(1), rig.kernel.smpBoot().maskedOut(), where);
            assertEquals(0x5A5A, rig.reg("b.main", l4smp.hw.Reg.EDI), where + ": B read the mapped page");
            assertEquals(l4smp.kernel.thread.ThreadState.DEAD, rig.state("b.main"), where + ": its access after the unmap faulted");
            assertEquals(null, rig.kernel.task(9), where + ": the child task was deleted");
            assertEquals(0, rig.reg("root.main", l4smp.hw.Reg.EDI), where + ": the delete-only task_new returned nil");
            assertTrue(rig.kernel.xcpu().mailboxesInUse().isEmpty(), where + ": every mailbox is free again");
            assertTrue(rig.steps.stream().allMatch(st -> st.cpu() <= 2), where + ": nothing ran as processor 4");
        }
    }

    @Test
    void aUniprocessorBootIsOneStep() {
        Rig rig = new Rig(Rig.task(Rig.programs("idle", "halt"), "idle", 5, 100).build());
        rig.runToQuiescence(1_000);

        assertEquals("boot.number+boot.barrier.arrive+boot.barrier.release", rig.steps.get(0).label());
        assertEquals(1, rig.steps.stream().filter(s -> s.label().startsWith("boot.")).count());
        assertEquals(1, kipProcessors(rig));
        assertEquals(1, rig.sim.machine().cpu(0).taskRegister());
    }

    @Test
    void aMultiCpuBootIsTheSameRunForTheSameSeed() {
        for (long seed : new long[] {3, 11}) {
            Rig first = new Rig(senders(4, 3).random(seed).build());
            Rig second = new Rig(senders(4, 3).random(seed).build());
            first.runToQuiescence(40_000);
            second.runToQuiescence(40_000);

            assertEquals(first.sim.machine().choices().toString(), second.sim.machine().choices().toString());
            assertEquals(first.steps, second.steps, "the same kernel steps, on the same CPUs, ending at the same cycles");
            for (int cpu = 0; cpu < 4; cpu++) {
                assertEquals(first.sim.machine().cpu(cpu).millicycles(), second.sim.machine().cpu(cpu).millicycles());
            }
        }
        Rig other = new Rig(senders(4, 3).random(4).build());
        other.runToQuiescence(40_000);
        Rig three = new Rig(senders(4, 3).random(3).build());
        three.runToQuiescence(40_000);
        assertNotEquals(three.sim.machine().choices().toString(), other.sim.machine().choices().toString());
    }

    // ---- a processor that answers late, or numbers itself and is then slow ----

    /**
     * Earliest clock first, except that the machine's cpu {@code slow}, after {@code freeSteps} of
     * its own, is not chosen before machine step {@code until} while another candidate can go.
     */
    private static final class StarvingScheduler implements Scheduler {
        private final int slow;
        private final long until;
        private int freeSteps;

        StarvingScheduler(int slow, int freeSteps, long until) {
            this.slow = slow;
            this.freeSteps = freeSteps;
            this.until = until;
        }

        @Override
        public int choose(Candidates candidates) {
            boolean starve = freeSteps == 0 && candidates.step() < until;
            int best = -2;
            long bestTime = Long.MAX_VALUE;
            for (int i = 0; i < candidates.size(); i++) {
                int choice = candidates.choice(i);
                if (starve && choice == slow && candidates.size() > 1) {
                    continue;
                }
                if (candidates.time(i) < bestTime) {
                    best = choice;
                    bestTime = candidates.time(i);
                }
            }
            if (best == slow && freeSteps > 0) {
                freeSteps--;
            }
            return best;
        }
    }

    /** A kernel with no threads on 3 CPUs (none failing), under {@code scheduler}, run until nothing can happen. */
    private static Kernel bootAlone(Scheduler scheduler, List<KernelStep> steps) {
        Machine machine = new Machine(MachineConfig.pentium3(3).withMemoryFrames(2048)
                .withPowerOn(MachineConfig.PowerOn.BOOTSTRAP_PROCESSOR_ONLY), scheduler);
        Kernel kernel = Kernel.boot(machine, KernelConfig.defaults(), new UserPrograms());
        kernel.listener((step, view) -> steps.add(step));
        assertEquals(RunResult.Reason.QUIESCENT, machine.run(20_000).reason());
        return kernel;
    }

    @Test
    void aProcessorThatAnswersAfterTheBarrierOpenedStopsAndStaysMaskedOut() {
        List<KernelStep> steps = new ArrayList<>();
        Kernel kernel = bootAlone(new StarvingScheduler(1, 0, 5_000), steps);

        Cpu late = kernel.machine().cpu(1);
        assertEquals(List.of(1), kernel.smpBoot().maskedOut());
        assertEquals(2, kernel.smpBoot().processors());
        assertEquals(2, kernel.smpBoot().apicIdOf(2), "the machine's cpu2 took number 2");
        KernelStep last = steps.get(steps.size() - 1);
        assertEquals("boot.apEntry+boot.number+boot.tooLate", last.label());
        assertEquals(-1, last.cpu(), "a processor without a number");
        assertTrue(late.isHalted() && !late.interruptsEnabled() && !late.apic().isEnabled());
        assertEquals(0, late.taskRegister(), "it never loaded a processor number");
        assertEquals(2, kernel.machine().memory().readWord(kernel.kernelInfoPage().address() + KernelInfoPage.OFFSET_PROCESSORS));
    }

    @Test
    void theBootProcessorWaitsPastTheTimeoutForAProcessorThatHasTakenANumber() {
        List<KernelStep> steps = new ArrayList<>();
        Kernel kernel = bootAlone(new StarvingScheduler(1, 1, 5_000), steps);

        assertEquals(3, kernel.smpBoot().processors());
        assertTrue(kernel.smpBoot().maskedOut().isEmpty());
        long startup = steps.stream().filter(s -> s.ran(PathSegment.BOOT_STARTUP_IPI)).findFirst().orElseThrow().millicycles();
        assertTrue(kernel.smpBoot().releasedAt() - startup > Cycles.ofWhole(SmpBoot.STARTUP_TIMEOUT_CYCLES),
                "released only after the late arrival, past the timeout");
        assertEquals(3, kernel.machine().memory().readWord(kernel.kernelInfoPage().address() + KernelInfoPage.OFFSET_PROCESSORS));
        assertEquals(2, kernel.machine().cpu(1).taskRegister(), "the machine's cpu1 numbered itself first of the two");
    }
}
