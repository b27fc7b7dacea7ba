package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import l4smp.hw.bench.Script;
import l4smp.hw.sched.Scheduler;
import org.junit.jupiter.api.Test;

/** The execution model: who steps when, where time goes, what stops a run, what is refused. */
class MachineTest {
    @Test
    void earliestClockFirstKeepsTheClocksTogether() {
        Rig rig = new Rig(2, Scheduler.earliestClockFirst(), EventLog.keepingAll());
        rig.software.run(0, new Script().repeat(30, (cpu, i) -> cpu.charge(100)));
        rig.software.run(1, new Script().repeat(200, (cpu, i) -> cpu.charge(30)));

        rig.machine.runUntil(() -> rig.software.finished(0), 10_000);

        List<LoggedEvent> steps = rig.machine.log().events().stream()
                .filter(event -> event.kind() == EventKind.STEP).toList();
        for (int i = 1; i < steps.size(); i++) {
            assertTrue(steps.get(i).time() >= steps.get(i - 1).time(), "step " + i + " went back in time");
        }
        long gap = Math.abs(rig.cpu(0).millicycles() - rig.cpu(1).millicycles());
        assertTrue(gap <= Cycles.ofWhole(100), "clocks apart by " + Cycles.format(gap));
    }

    @Test
    void aCpuHaltedWithInterruptsDisabledStopsTheRun() {
        Rig rig = new Rig(1);
        rig.software.run(0, new Script().then(Cpu::halt));

        RunResult result = rig.machine.run(100);

        assertEquals(RunResult.Reason.QUIESCENT, result.reason());
        assertEquals(1, result.steps());
        assertTrue(rig.machine.describeState().contains("cpu0@0.000 halted kernel cli"), rig.machine.describeState());
    }

    @Test
    void twoCpusBlockingEachOthersSlotsDeadlockAndSaySo() {
        Rig rig = new Rig(2);
        for (int id = 0; id < 2; id++) {
            int other = 1 - id;
            rig.software.run(id, new Script()
                    .repeat(3, (cpu, i) -> cpu.apic().sendIpi(IpiDestination.cpu(other), 0x40 + i))
                    .then(Cpu::sti));
        }

        RunResult result = rig.machine.run(1000);

        assertEquals(RunResult.Reason.QUIESCENT, result.reason());
        assertTrue(rig.cpu(0).isStalled() && rig.cpu(1).isStalled());
        assertTrue(rig.machine.describeState().contains("stalled"), rig.machine.describeState());
    }

    @Test
    void underARandomScheduleAnInterruptIsNeverTakenBeforeItArrived() {
        for (long seed = 0; seed < 20; seed++) {
            Rig rig = new Rig(2, Scheduler.seededRandom(seed), EventLog.keepingAll());
            long[] handlerClock = {-1};
            rig.software.onInterrupt((cpu, vector) -> {
                handlerClock[0] = cpu.millicycles();
                cpu.apic().eoi();
                cpu.iret(Mode.KERNEL);
            });
            rig.software.run(0, new Script().then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), 0x40)));
            rig.software.run(1, new Script().then(Cpu::sti).repeat(2000, (cpu, i) -> cpu.charge(1)));

            rig.machine.run(5000);

            long arrival = rig.machine.log().events().stream()
                    .filter(event -> event.kind() == EventKind.IPI_ARRIVE).findFirst().orElseThrow().time();
            assertTrue(handlerClock[0] >= arrival + rig.machine.costs().kernelEntry(), "seed " + seed);
        }
    }

    @Test
    void processorsNumberThemselvesWithXaddAndTheTaskRegister() {
        // §8.8.1: "the processors spin on a processor field in memory with an atomic exchange and add
        // instruction, increasing the processor field and storing the old value as processor number"
        long field = 0x4000;
        for (long seed = 0; seed < 50; seed++) {
            Rig rig = Rig.small(4, Scheduler.seededRandom(seed));
            for (int id = 0; id < 4; id++) {
                rig.software.run(id, new Script().then(cpu -> cpu.ltr(cpu.xadd(field, 1) + 1)));
            }
            rig.machine.run(100);
            Set<Integer> numbers = new HashSet<>();
            for (int id = 0; id < 4; id++) {
                numbers.add(rig.cpu(id).str());
            }
            assertEquals(Set.of(1, 2, 3, 4), numbers, "seed " + seed);
        }
    }

    @Test
    void aStepMustNotDriveAnotherCpu() {
        Rig rig = new Rig(2);
        rig.software.run(0, new Script().then(cpu -> rig.cpu(1).charge(1)));

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> rig.machine.run(10));

        assertEquals("a step of cpu0 drove cpu1; a step must use only the CPU it was given", error.getMessage());
    }

    @Test
    void privilegedInstructionsAreRefusedInUserMode() {
        Rig rig = new Rig(1);
        Cpu cpu = rig.cpu(0);
        cpu.iret(Mode.USER);

        List<Runnable> privileged = new ArrayList<>(List.of(cpu::cli, cpu::sti, cpu::halt,
                () -> cpu.loadCr3(0x1000), () -> cpu.invlpg(0), () -> cpu.ltr(1), () -> cpu.iret(Mode.USER)));
        for (Runnable instruction : privileged) {
            IllegalStateException error = assertThrows(IllegalStateException.class, instruction::run);
            assertTrue(error.getMessage().contains("is privileged"), error.getMessage());
        }
        cpu.str(); // allowed in user mode (§8.8.1)
    }

    @Test
    void timeAdvancesByWhatIsCharged() {
        Rig rig = new Rig(1);
        Cpu cpu = rig.cpu(0);
        CostModel costs = rig.machine.costs();

        cpu.charge(10);
        cpu.enterKernel();
        cpu.iret(Mode.USER);
        cpu.str();

        assertEquals(Cycles.ofWhole(10) + costs.kernelEntry() + costs.kernelExit() + costs.taskRegisterRead(),
                cpu.millicycles());
        assertEquals(Cycles.wholeCycles(cpu.millicycles()), cpu.rdtsc());
    }

    @Test
    void configurationAndSetupMistakesAreExplained() {
        IllegalArgumentException sixteen = assertThrows(IllegalArgumentException.class, () -> MachineConfig.pentium3(16));
        assertTrue(sixteen.getMessage().contains("1 to 15 CPUs"), sixteen.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MachineConfig.pentium3(0));

        Machine bare = new Machine(MachineConfig.pentium3(1), Scheduler.earliestClockFirst());
        assertThrows(IllegalStateException.class, bare::step);
        bare.install(new l4smp.hw.bench.PerCpuSoftware(1));
        assertThrows(IllegalStateException.class, () -> bare.install(new l4smp.hw.bench.PerCpuSoftware(1)));

        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> bare.cpu(0).loadPhysical(1L << 30));
        assertTrue(outside.getMessage().contains("outside the 65536 KB of physical memory"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bare.cpu(3));
    }

    @Test
    void untouchedMemoryReadsZeroAndBytesAreLittleEndian() {
        Rig rig = new Rig(1);
        var memory = rig.machine.memory();
        assertEquals(0, memory.readWord(0x8000));

        memory.writeWord(0x8000, 0x11223344);
        memory.writeByte(0x8001, 0xAB);

        assertEquals(0x1122AB44, memory.readWord(0x8000));
        assertEquals(0x22, memory.readByte(0x8002));
    }
}
