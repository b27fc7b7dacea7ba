package l4smp.hw.bench;

import java.util.List;
import l4smp.hw.CostModel;
import l4smp.hw.Cycles;
import l4smp.hw.EventKind;
import l4smp.hw.IpiDestination;
import l4smp.hw.LoggedEvent;
import l4smp.hw.Mode;

/**
 * §3.3.1's two IPI experiments, run on a fresh two-CPU machine.
 *
 * <p>1. Delivery: "the destination processor B polls for the interrupt request register (IRR)
 * [...] copies this information into some memory location, where the sender polls for. While
 * polling and copying, the interrupts are disabled [...] A measures the time between writing the
 * ICR, i.e. sending the IPI and receiving the acknowledge in the memory location".
 *
 * <p>2. Interruption: "a thread reads the clock in a closed loop. When being interrupted, the
 * interrupt handler stores the value read by the user level thread before being interrupted and
 * sets the loop condition to finish after the clock was read one more time. [...] If in addition,
 * the handler code itself reads the cycle counter, a distinction between the two phases: enter
 * kernel mode and activate handler, and returning to the interrupted thread again, can be
 * distinguished."
 */
final class IpiMeasurements {
    private static final int VECTOR = 0x40;
    /** A line both CPUs read first, so it is shared when B writes it. */
    private static final long SHARED = CacheLoops.REGION + 128;
    /** The interrupted thread's saved EFLAGS on the kernel stack, where the handler clears the carry. */
    private static final long KERNEL_STACK_SLOT = CacheLoops.REGION + (1 << 20);
    private static final long LOOP = Cycles.of(ThesisFigures.LOOP_ITERATION);
    /** Cycles A waits before sending, so that B is polling (or looping in user mode) by then. */
    private static final long HEAD_START = 2000;

    private IpiMeasurements() {
    }

    static List<BenchRow> rows(CostModel costs) {
        BenchMachine delivery = BenchMachine.withIpiLog(2, costs);
        double roundTrip = roundTrip(delivery);
        double icrToIrr = icrToIrr(delivery);
        Interruption interruption = interruption(costs);
        return List.of(
                new BenchRow("IPI: ICR write to sender seeing B's reply", roundTrip, ThesisFigures.IPI_ROUND_TRIP),
                new BenchRow("IPI: ICR write to target's IRR", icrToIrr, ThesisFigures.IPI_DELIVERY),
                new BenchRow("IPI: ICR write to handler running", interruption.sendToHandler, ThesisFigures.IPI_TO_HANDLER),
                new BenchRow("kernel entry (user to handler)", interruption.entry, ThesisFigures.KERNEL_ENTRY),
                new BenchRow("kernel exit (iret to user)", interruption.exit, ThesisFigures.KERNEL_EXIT),
                new BenchRow("interruption of the user thread", interruption.entry + interruption.exit,
                        ThesisFigures.INTERRUPTION));
    }

    private static double roundTrip(BenchMachine bench) {
        Stopwatch watch = new Stopwatch();
        bench.software.run(0, new Script()
                .then(cpu -> cpu.load(SHARED))
                .then(cpu -> cpu.charge(HEAD_START))
                .then(watch::start)
                .then(cpu -> cpu.apic().sendIpi(IpiDestination.cpu(1), VECTOR))
                .until(cpu -> {
                    cpu.chargeMillicycles(LOOP);
                    return cpu.load(SHARED) != 0;
                })
                .then(watch::stop));
        bench.software.run(1, new Script()
                .then(cpu -> cpu.load(SHARED))
                .until(cpu -> cpu.apic().readIrr(VECTOR))
                .then(cpu -> cpu.store(SHARED, 1))
                .then(cpu -> cpu.sti()));
        bench.software.onInterrupt((cpu, vector) -> {
            cpu.apic().eoi();
            cpu.iret(Mode.KERNEL);
        });
        bench.runToEnd(100_000);
        return watch.cycles();
    }

    /** From the event log of the round-trip run: when the ICR write ended and when the IPI reached the IRR. */
    private static double icrToIrr(BenchMachine bench) {
        long sent = -1;
        long arrived = -1;
        for (LoggedEvent event : bench.machine.log().events()) {
            if (event.kind() == EventKind.IPI_SEND && sent < 0) {
                sent = event.time();
            } else if (event.kind() == EventKind.IPI_ARRIVE && arrived < 0) {
                arrived = event.time();
            }
        }
        if (sent < 0 || arrived < sent) {
            throw new IllegalStateException("the IPI experiment logged no send and arrival");
        }
        return Cycles.toCycles(arrived - sent);
    }

    private static final class Interruption {
        double sendToHandler;
        double entry;
        double exit;
        long sent;
        long lastUserRead;
        long handlerStart;
        long handlerEnd;
        long firstReadAfter = -1;
        boolean breakLoop;
    }

    private static Interruption interruption(CostModel costs) {
        BenchMachine bench = new BenchMachine(2, costs);
        Interruption m = new Interruption();
        bench.software.run(0, new Script()
                .then(cpu -> cpu.charge(HEAD_START))
                .then(cpu -> {
                    m.sent = cpu.millicycles();
                    cpu.apic().sendIpi(IpiDestination.cpu(1), VECTOR);
                }));
        bench.software.run(1, new Script()
                .then(cpu -> cpu.iret(Mode.USER))
                .until(cpu -> {
                    if (m.breakLoop) {
                        m.firstReadAfter = cpu.millicycles();
                        return true;
                    }
                    cpu.chargeMillicycles(LOOP);
                    m.lastUserRead = cpu.millicycles();
                    return false;
                })
                .then(cpu -> cpu.enterKernel()));
        bench.software.onInterrupt((cpu, vector) -> {
            m.handlerStart = cpu.millicycles();
            cpu.apic().eoi();
            cpu.storePhysical(KERNEL_STACK_SLOT, 0); // clear the carry in the saved EFLAGS
            m.breakLoop = true;
            m.handlerEnd = cpu.millicycles();
            cpu.iret(Mode.USER);
        });
        bench.runToEnd(100_000);
        if (m.firstReadAfter < 0) {
            throw new IllegalStateException("the interrupted loop never saw the interrupt");
        }
        m.sendToHandler = Cycles.toCycles(m.handlerStart - m.sent);
        m.entry = Cycles.toCycles(m.handlerStart - m.lastUserRead);
        m.exit = Cycles.toCycles(m.firstReadAfter - m.handlerEnd);
        return m;
    }
}
