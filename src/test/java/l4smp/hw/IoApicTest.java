package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.bench.Script;
import l4smp.hw.sched.Scheduler;
import org.junit.jupiter.api.Test;

/** §3.3: device interrupts routed by the IO-APIC to one CPU's local APIC. */
class IoApicTest {
    private final CostModel costs = CostModel.pentium3At450MHz();

    private record Taken(int cpu, Interrupt request, long clock) {
    }

    private static List<Taken> recordAll(Rig rig) {
        List<Taken> taken = new ArrayList<>();
        rig.software.onInterrupt((cpu, vector) -> {
            taken.add(new Taken(cpu.id(), cpu.apic().inService().get(0), cpu.millicycles()));
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        return taken;
    }

    @Test
    void aRaisedInputReachesItsCpuAfterTheShortBusMessage() {
        Rig rig = new Rig(2);
        List<Taken> taken = recordAll(rig);
        rig.machine.ioApic().route(3, 1, 0x30);
        rig.machine.ioApic().raise(3, Cycles.ofWhole(1000));

        rig.machine.run(100);

        assertEquals(1, taken.size());
        Taken first = taken.get(0);
        assertEquals(1, first.cpu());
        assertEquals(0x30, first.request().vector());
        assertEquals(3, first.request().irq());
        assertEquals(Cycles.ofWhole(1000) + costs.ioApicDelivery(), first.request().arrival());
        assertEquals(first.request().arrival() + costs.kernelEntry(), first.clock(), "the halted CPU woke for it");
    }

    @Test
    void aPeriodicDeviceKeepsRaising() {
        Rig rig = new Rig(1);
        List<Taken> taken = recordAll(rig);
        rig.machine.ioApic().route(1, 0, 0x31);
        rig.machine.ioApic().raiseEvery(1, 0, 5000);

        rig.machine.runUntil(() -> taken.size() == 4, 1000);

        for (int i = 1; i < 4; i++) {
            assertEquals(Cycles.ofWhole(5000), taken.get(i).request().arrival() - taken.get(i - 1).request().arrival());
        }
    }

    @Test
    void aMaskedInputHoldsOneInterruptUntilUnmasked() {
        Rig rig = new Rig(1, Scheduler.earliestClockFirst(), EventLog.keepingAll());
        List<Taken> taken = recordAll(rig);
        IoApic ioApic = rig.machine.ioApic();
        ioApic.route(5, 0, 0x35);
        long[] unmaskedAt = {0};
        rig.software.run(0, new Script()
                .then(cpu -> ioApic.mask(cpu, 5))
                .then(Cpu::sti)
                .repeat(100, (cpu, i) -> cpu.charge(100))
                .then(cpu -> {
                    ioApic.unmask(cpu, 5);
                    unmaskedAt[0] = cpu.millicycles();
                }));
        ioApic.raise(5, Cycles.ofWhole(1000));
        ioApic.raise(5, Cycles.ofWhole(2000));

        rig.machine.run(1000);

        assertEquals(1, taken.size(), "two raises while masked leave one held interrupt");
        assertEquals(unmaskedAt[0] + costs.ioApicDelivery(), taken.get(0).request().arrival());
    }

    @Test
    void deviceInterruptsNeedNoIpiSlot() {
        Rig rig = new Rig(2);
        List<Taken> taken = recordAll(rig);
        rig.machine.ioApic().route(2, 1, 0x60);
        rig.software.run(0, new Script()
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), 0x40))
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), 0x41)));
        rig.software.run(1, new Script().repeat(40, (cpu, i) -> cpu.charge(100)).then(Cpu::sti));
        rig.machine.ioApic().raise(2, Cycles.ofWhole(1500));

        rig.machine.run(1000);

        assertEquals(List.of(0x60, 0x41, 0x40), taken.stream().map(t -> t.request().vector()).toList());
    }

    @Test
    void misuseIsExplained() {
        IoApic ioApic = new Rig(1).machine.ioApic();
        assertEquals("IRQ 4 is not routed; call route(irq, cpu, vector) first",
                assertThrows(IllegalStateException.class, () -> ioApic.raise(4, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ioApic.route(24, 0, 0x30));
        assertThrows(IllegalArgumentException.class, () -> ioApic.route(1, 1, 0x30));
        assertThrows(IllegalArgumentException.class, () -> ioApic.route(1, 0, 3));
    }
}
