package l4smp.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.bench.Script;
import l4smp.hw.sched.Scheduler;
import org.junit.jupiter.api.Test;

/** §3.3 and §8.3.4: IPIs, the two slots per target, masking, priorities, EOI and the timer. */
class ApicTest {
    private static final int V = 0x40;
    private final CostModel costs = CostModel.pentium3At450MHz();

    private static Rig loggedRig(int cpus) {
        return new Rig(cpus, Scheduler.earliestClockFirst(), EventLog.keepingAll());
    }

    private static List<LoggedEvent> events(Rig rig, EventKind kind) {
        return rig.machine.log().events().stream().filter(event -> event.kind() == kind).toList();
    }

    /** A handler that records the vectors taken, sends EOI and returns to kernel code. */
    private static List<Integer> recordAndReturn(Rig rig) {
        List<Integer> taken = new ArrayList<>();
        rig.software.onInterrupt((cpu, vector) -> {
            taken.add(vector);
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        return taken;
    }

    @Test
    void anIpiArrivesAfterTheDeliveryTime() {
        Rig rig = loggedRig(2);
        List<Integer> taken = recordAndReturn(rig);
        rig.software.run(0, new Script().then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), V)));

        rig.machine.run(100);

        LoggedEvent sent = events(rig, EventKind.IPI_SEND).get(0);
        LoggedEvent arrived = events(rig, EventKind.IPI_ARRIVE).get(0);
        assertEquals(costs.ipiDelivery(), arrived.time() - sent.time());
        assertEquals(List.of(V), taken);
    }

    @Test
    void aThirdIpiWaitsForTheTargetsEoi() {
        Rig rig = loggedRig(2);
        List<Integer> taken = recordAndReturn(rig);
        boolean[] release = {false};
        rig.software.run(0, new Script()
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), V))
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), V + 1))
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), V + 2)));
        rig.software.run(1, new Script()
                .until(cpu -> {
                    cpu.charge(100);
                    return release[0];
                })
                .then(Cpu::sti));
        Cpu sender = rig.cpu(0);
        LocalApic target = rig.cpu(1).apic();

        assertEquals(RunResult.Reason.CONDITION, rig.machine.runUntil(sender::isStalled, 100).reason());
        assertEquals(2, target.slotsHeld());
        assertEquals(1, target.waitingIpis());

        rig.machine.runUntil(() -> target.pending().size() == 2, 1000);
        rig.machine.run(200);
        assertTrue(sender.isStalled(), "no EOI while the target keeps interrupts disabled");
        assertEquals(List.of(), taken);
        assertEquals(2, events(rig, EventKind.IPI_ARRIVE).size());

        release[0] = true;
        assertEquals(RunResult.Reason.QUIESCENT, rig.machine.run(10_000).reason());

        assertEquals(List.of(V + 1, V, V + 2), taken, "highest vector first, the third one last");
        LoggedEvent firstEoi = events(rig, EventKind.EOI).get(0);
        LoggedEvent resume = events(rig, EventKind.IPI_RESUME).get(0);
        LoggedEvent third = events(rig, EventKind.IPI_ARRIVE).get(2);
        assertEquals(firstEoi.time(), resume.time(), "the sender goes on when the slot is freed");
        assertEquals(firstEoi.time() + costs.ipiDelivery(), third.time());
        assertFalse(sender.isStalled());
        assertEquals(0, target.slotsHeld());
    }

    @Test
    void anIpiIsHeldWhileInterruptsAreDisabledAndTakenOnSti() {
        Rig rig = loggedRig(2);
        List<String> cpu1 = new ArrayList<>();
        rig.software.onInterrupt((cpu, vector) -> {
            cpu1.add("interrupt");
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        rig.software.run(0, new Script().then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), V)));
        rig.software.run(1, new Script()
                .repeat(30, (cpu, i) -> {
                    cpu.charge(100);
                    cpu1.add(cpu.apic().pending().isEmpty() ? "step" : "step, IPI pending");
                })
                .then(cpu -> {
                    cpu.sti();
                    cpu1.add("sti");
                })
                .then(cpu -> cpu1.add("after")));

        rig.machine.run(1000);

        int sti = cpu1.indexOf("sti");
        assertTrue(cpu1.subList(0, sti).contains("step, IPI pending"), cpu1.toString());
        assertEquals("interrupt", cpu1.get(sti + 1), "taken at the first step boundary after sti");
        assertEquals(1, cpu1.stream().filter("interrupt"::equals).count());
    }

    @Test
    void aHaltedCpuWakesWhenTheIpiArrives() {
        Rig rig = loggedRig(2);
        long[] handlerClock = {0};
        rig.software.onInterrupt((cpu, vector) -> {
            handlerClock[0] = cpu.millicycles();
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        rig.software.run(0, new Script()
                .then(cpu -> cpu.charge(5000))
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), V)));

        rig.machine.run(100);

        long arrival = events(rig, EventKind.IPI_ARRIVE).get(0).time();
        assertEquals(arrival + costs.kernelEntry(), handlerClock[0]);
        assertTrue(rig.cpu(1).clock().idle() >= arrival - Cycles.of(100), "the wait counts as idle");
        assertEquals(1, events(rig, EventKind.WAKE).size());
    }

    @Test
    void lowerOrEqualPriorityWaitsForEoiHigherNests() {
        Rig rig = loggedRig(2);
        List<Integer> taken = new ArrayList<>();
        boolean[] heldBack = {false};
        rig.software.onInterrupt((cpu, vector) -> {
            taken.add(vector);
            if (vector == 0x50) {
                cpu.apic().startTimer(500, 0x60); // a local source: needs no slot
                cpu.sti(); // stays in service, lets higher priorities in
            } else if (vector == 0x60) {
                cpu.apic().stopTimer();
                cpu.apic().eoi();
                cpu.apic().eoi(); // 0x50 is done too
                cpu.iret(Mode.KERNEL);
            } else {
                cpu.apic().eoi();
                cpu.iret(Mode.KERNEL);
            }
        });
        rig.software.run(0, new Script()
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), 0x50))
                .then(cpu -> cpu.charge(200))
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), 0x40)));
        rig.software.run(1, new Script()
                .then(Cpu::sti)
                .until(cpu -> {
                    cpu.charge(50);
                    LocalApic apic = cpu.apic();
                    heldBack[0] |= apic.pending().stream().anyMatch(r -> r.vector() == 0x40)
                            && apic.inService().stream().anyMatch(r -> r.vector() == 0x50);
                    return taken.size() == 3;
                }));

        rig.machine.run(10_000);

        assertEquals(List.of(0x50, 0x60, 0x40), taken);
        assertTrue(heldBack[0], "0x40 was pending, not taken, while 0x50 was in service");
    }

    @Test
    void theTimerTicksPeriodically() {
        Rig rig = loggedRig(1);
        List<Integer> taken = recordAndReturn(rig);
        rig.software.run(0, new Script().then(cpu -> cpu.apic().startTimer(1000, 0x20)));

        rig.machine.runUntil(() -> taken.size() == 8, 1000);

        List<LoggedEvent> ticks = events(rig, EventKind.TIMER_TICK);
        assertTrue(ticks.size() >= 5, ticks.toString());
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(Cycles.ofWhole(1000), ticks.get(i).time() - ticks.get(i - 1).time());
        }
        assertEquals(8, ticks.size(), "each tick is taken before the next one comes");
        assertEquals(0, rig.cpu(0).apic().lostTicks());
    }

    @Test
    void aTickFindingThePreviousOnePendingIsLost() {
        Rig rig = loggedRig(1);
        List<Integer> taken = recordAndReturn(rig);
        rig.software.run(0, new Script()
                .then(cpu -> cpu.apic().startTimer(1000, 0x20))
                .then(cpu -> cpu.charge(3500))
                .then(cpu -> cpu.apic().stopTimer()));

        rig.machine.run(100);

        assertEquals(2, rig.cpu(0).apic().lostTicks());
        assertEquals(List.of(0x20), taken);
    }

    @Test
    void aMaskReachesEverySelectedCpu() {
        Rig rig = loggedRig(3);
        recordAndReturn(rig);
        rig.software.run(0, new Script().then(cpu -> cpu.apic().sendIpi(IpiDestination.mask(0b110), V)));

        rig.machine.run(100);

        assertEquals(List.of(1, 2), events(rig, EventKind.INTERRUPT).stream().map(LoggedEvent::cpu).sorted().toList());
    }

    @Test
    void broadcastButSelf() {
        Rig rig = loggedRig(4);
        recordAndReturn(rig);
        rig.software.run(2, new Script().then(cpu -> cpu.apic().sendIpi(IpiDestination.allButSelf(), V)));

        rig.machine.run(100);

        assertEquals(List.of(0, 1, 3), events(rig, EventKind.INTERRUPT).stream().map(LoggedEvent::cpu).sorted().toList());
    }

    @Test
    void badUseIsRejectedWithAReason() {
        Rig rig = new Rig(2);
        LocalApic apic = rig.cpu(0).apic();

        assertTrue(assertThrows(IllegalStateException.class, apic::eoi).getMessage().contains("no interrupt in service"));
        assertThrows(IllegalArgumentException.class, () -> apic.readIrr(15));
        assertThrows(IllegalArgumentException.class, () -> IpiDestination.mask(0x100));
        assertThrows(IllegalArgumentException.class, () -> IpiDestination.mask(0));
        assertThrows(IllegalArgumentException.class, () -> apic.sendIpi(IpiDestination.cpu(3), V));
        assertThrows(IllegalArgumentException.class, () -> apic.sendIpi(IpiDestination.mask(0b100), V));
        assertThrows(IllegalArgumentException.class, () -> apic.startTimer(0, 0x20));
    }
}
