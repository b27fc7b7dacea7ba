package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.bench.Script;
import l4smp.hw.sched.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * §8.2 on the hardware: a Pentium SMP powers on with the bootstrap processor only; INIT and then
 * STARTUP IPIs start the others at the startup routine; a CPU that fails to start ignores both;
 * the APIC ID register, which software may rewrite, is what fixed IPIs and IO-APIC routes name.
 */
class StartupTest {
    private static final int STARTUP_PAGE = 0x09;
    private final CostModel costs = CostModel.pentium3At450MHz();

    private static List<LoggedEvent> events(Rig rig, EventKind kind) {
        return rig.machine.log().events().stream().filter(event -> event.kind() == kind).toList();
    }

    /** cpu0 sends INIT, then STARTUP at page 9, to every other CPU. */
    private static void initThenStartup(Rig rig) {
        rig.software.run(0, new Script()
                .then(cpu -> cpu.apic().sendInit(IpiDestination.allButSelf()))
                .then(cpu -> cpu.apic().sendStartup(IpiDestination.allButSelf(), STARTUP_PAGE)));
    }

    /** What a started CPU sees in its first step: its clock, EIP, mode and interrupt flag. */
    private record FirstStep(long time, int eip, Mode mode, boolean interrupts) {
    }

    private static List<FirstStep> recordFirstStep(Rig rig, int cpuId) {
        List<FirstStep> seen = new ArrayList<>();
        rig.software.run(cpuId, new Script().then(cpu -> seen.add(new FirstStep(cpu.millicycles(),
                cpu.registers().get(Reg.EIP), cpu.mode(), cpu.interruptsEnabled()))));
        return seen;
    }

    @Test
    void initThenStartupStartsAnApplicationProcessorAtTheStartupRoutine() {
        Rig rig = Rig.bootstrapProcessorOnly(2, 0);
        initThenStartup(rig);
        List<FirstStep> first = recordFirstStep(rig, 1);
        assertEquals(Cpu.StartupState.RESET, rig.cpu(1).startupState());

        rig.machine.run(100);

        long startupWritten = 2 * costs.icrWrite();
        assertEquals(List.of(new FirstStep(startupWritten + costs.ipiDelivery(), STARTUP_PAGE << 12, Mode.KERNEL, false)),
                first, "started when the STARTUP arrived, at its page, in kernel mode with interrupts disabled");
        assertEquals(Cpu.StartupState.RUNNING, rig.cpu(1).startupState());
        LoggedEvent init = events(rig, EventKind.INIT_ARRIVE).get(0);
        assertEquals(costs.icrWrite() + costs.ipiDelivery(), init.time());
        assertEquals(1, init.a(), "cpu1 answers INIT");
        assertEquals(0, rig.cpu(0).apic().ipisSent(), "INIT and STARTUP are not fixed IPIs");
        assertEquals(0, rig.cpu(1).apic().slotsHeld(), "INIT and STARTUP use no slot");
    }

    @Test
    void noApplicationProcessorRunsBeforeItIsStarted() {
        Rig rig = Rig.bootstrapProcessorOnly(3, 0);
        List<FirstStep> first = recordFirstStep(rig, 2);

        RunResult result = rig.machine.run(100);

        assertEquals(RunResult.Reason.QUIESCENT, result.reason());
        assertTrue(first.isEmpty());
        assertEquals(0, rig.cpu(1).millicycles());
        assertTrue(rig.machine.describeState().contains("cpu2 in reset"), rig.machine.describeState());
    }

    @Test
    void startupWithoutInitIsIgnored() {
        Rig rig = Rig.bootstrapProcessorOnly(2, 0);
        rig.software.run(0, new Script().then(cpu -> cpu.apic().sendStartup(IpiDestination.cpu(1), STARTUP_PAGE)));
        List<FirstStep> first = recordFirstStep(rig, 1);

        rig.machine.run(100);

        assertTrue(first.isEmpty());
        assertEquals(Cpu.StartupState.RESET, rig.cpu(1).startupState());
        assertEquals(0, events(rig, EventKind.STARTUP_ARRIVE).get(0).b(), "logged as ignored");
    }

    @Test
    void aFailingCpuIgnoresInitAndStartup() {
        Rig rig = Rig.bootstrapProcessorOnly(3, 0b100);
        initThenStartup(rig);
        List<FirstStep> good = recordFirstStep(rig, 1);
        List<FirstStep> bad = recordFirstStep(rig, 2);

        RunResult result = rig.machine.run(100);

        assertEquals(RunResult.Reason.QUIESCENT, result.reason());
        assertEquals(1, good.size());
        assertTrue(bad.isEmpty());
        assertEquals(Cpu.StartupState.RESET, rig.cpu(2).startupState());
        assertEquals(List.of(1L, 0L), events(rig, EventKind.INIT_ARRIVE).stream().map(LoggedEvent::a).toList());
        assertEquals(List.of(1L, 0L), events(rig, EventKind.STARTUP_ARRIVE).stream().map(LoggedEvent::b).toList());
    }

    @Test
    void fixedIpisGoToTheCpuWhoseApicIdTheyName() {
        Rig rig = new Rig(3, Scheduler.earliestClockFirst(), EventLog.keepingAll());
        List<Integer> takenBy = new ArrayList<>();
        rig.software.onInterrupt((cpu, vector) -> {
            takenBy.add(cpu.id());
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        boolean[] swapped = new boolean[3];
        rig.software.run(1, new Script().then(cpu -> cpu.apic().setId(2)).then(cpu -> swapped[1] = true));
        rig.software.run(2, new Script().then(cpu -> cpu.apic().setId(1)).then(cpu -> swapped[2] = true));
        rig.software.run(0, new Script()
                .until(cpu -> {
                    cpu.charge(10);
                    return swapped[1] && swapped[2];
                })
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), 0x40))
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.mask(0b100), 0x41)));

        rig.machine.run(1000);

        assertEquals(List.of(2, 1), takenBy, "APIC id 1 is cpu2 now, APIC id 2 is cpu1");
        assertEquals(2, rig.cpu(1).apic().id());
    }

    @Test
    void deviceInterruptsFollowTheApicIdToo() {
        Rig rig = new Rig(2);
        List<Integer> takenBy = new ArrayList<>();
        rig.software.onInterrupt((cpu, vector) -> {
            takenBy.add(cpu.id());
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        rig.machine.ioApic().route(3, 0, 0x30);
        rig.software.run(0, new Script().then(cpu -> cpu.apic().setId(1)));
        rig.software.run(1, new Script().then(cpu -> cpu.apic().setId(0)));
        rig.machine.ioApic().raise(3, Cycles.ofWhole(5000));

        rig.machine.run(1000);

        assertEquals(List.of(1), takenBy);
    }

    @Test
    void misuseIsRefusedWithAMessage() {
        Rig reset = Rig.bootstrapProcessorOnly(2, 0);
        String toReset = assertThrows(IllegalArgumentException.class,
                () -> reset.cpu(0).apic().sendIpi(IpiDestination.cpu(1), 0x40)).getMessage();
        assertTrue(toReset.contains("CPUs in reset take only INIT and STARTUP"), toReset);

        Rig twice = new Rig(2);
        twice.software.run(1, new Script().then(cpu -> cpu.apic().setId(0)));
        twice.software.run(0, new Script().then(cpu -> cpu.charge(100))
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(0), 0x40)));
        String both = assertThrows(IllegalStateException.class, () -> twice.machine.run(10)).getMessage();
        assertTrue(both.contains("cpu0 and cpu1 both have APIC id 0"), both);

        Rig running = new Rig(2);
        running.software.run(0, new Script().then(cpu -> cpu.apic().sendInit(IpiDestination.cpu(1))));
        String reset1 = assertThrows(IllegalStateException.class, () -> running.machine.run(10)).getMessage();
        assertTrue(reset1.contains("INIT would reset it"), reset1);

        assertThrows(IllegalArgumentException.class, () -> reset.cpu(0).apic().sendStartup(IpiDestination.cpu(1), 0x100));
        assertThrows(IllegalArgumentException.class, () -> reset.cpu(0).apic().setId(15));
    }

    @Test
    void failingCpusAreCheckedWhenTheMachineIsDescribed() {
        MachineConfig four = MachineConfig.pentium3(4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> four.withFailingCpus(0b10)).getMessage()
                .contains("bootstrap processor only"));
        MachineConfig bsp = four.withPowerOn(MachineConfig.PowerOn.BOOTSTRAP_PROCESSOR_ONLY);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> bsp.withFailingCpus(0b1)).getMessage()
                .contains("cpu0 is the bootstrap processor"));
        assertThrows(IllegalArgumentException.class, () -> bsp.withFailingCpus(0b10000));
        assertTrue(bsp.withFailingCpus(0b1000).fails(3));
    }
}
