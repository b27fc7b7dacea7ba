package l4smp.hw;

/**
 * The IO-APIC (§3.3): "Each IO-APIC chip receives additional [...] hardware interrupts [...] and
 * delivers them through the APIC-BUS network to the least loaded or one selected CPU's local
 * APIC." The model delivers to one selected CPU (fixed destination) by the 21-bus-cycle short
 * message, {@link CostModel#ioApicDelivery()} after the device raises its input; lowest-priority
 * delivery (the 34-cycle message) is not modelled.
 *
 * <p>Devices are simulated by raising an input at a given time, once or periodically
 * ({@link #raise}, {@link #raiseEvery}), from setup code or from the software. A masked input
 * holds one raised interrupt and delivers it when unmasked. At the local APIC a device interrupt
 * uses no IPI slot; one that finds the same vector still pending is lost (edge-triggered). A
 * redirection entry names its destination by APIC id (see {@link LocalApic#setId}), resolved when
 * the interrupt is sent.
 */
public final class IoApic {
    /** Inputs of one IO-APIC (the 82093AA has 24). */
    public static final int INPUTS = 24;

    private final Machine machine;
    private final int[] targetApicId = new int[INPUTS];
    private final int[] vector = new int[INPUTS];
    private final boolean[] masked = new boolean[INPUTS];
    private final boolean[] held = new boolean[INPUTS];
    private long lost;

    IoApic(Machine machine) {
        this.machine = machine;
        java.util.Arrays.fill(targetApicId, -1);
    }

    /** Programs the redirection entry of {@code irq}: deliver to the CPU with APIC id {@code apicId} as {@code vector}. Free (setup). */
    public void route(int irq, int apicId, int vectorNumber) {
        checkIrq(irq);
        boolean held = false;
        for (Cpu c : machine.cpuArray()) {
            held |= c.apic().id() == apicId;
        }
        if (!held) {
            throw new IllegalArgumentException("IRQ " + irq + " routed to APIC id " + apicId + ", which no CPU of this machine has");
        }
        if (vectorNumber < LocalApic.FIRST_VECTOR || vectorNumber > 255) {
            throw new IllegalArgumentException("interrupt vector " + vectorNumber + " is not in 16..255");
        }
        targetApicId[irq] = apicId;
        vector[irq] = vectorNumber;
    }

    /** A device raises {@code irq} at {@code atMillicycles}. */
    public void raise(int irq, long atMillicycles) {
        raiseEvery(irq, atMillicycles, 0);
    }

    /** A device raises {@code irq} at {@code firstAtMillicycles} and then every {@code periodCycles} cycles (0: once). */
    public void raiseEvery(int irq, long firstAtMillicycles, long periodCycles) {
        checkRouted(irq);
        if (firstAtMillicycles < 0 || periodCycles < 0) {
            throw new IllegalArgumentException("a device interrupt needs a time >= 0 and a period >= 0");
        }
        machine.events().schedule(HwEvent.Kind.DEVICE_RAISE, firstAtMillicycles, irq, 0, Cycles.ofWhole(periodCycles));
    }

    /** The kernel masks {@code irq} (two register writes through the IO-APIC's index and data registers). */
    public void mask(Cpu by, int irq) {
        checkIrq(irq);
        by.chargeMillicycles(2 * machine.costs().apicRegisterWrite());
        masked[irq] = true;
    }

    /** The kernel unmasks {@code irq}; an interrupt held meanwhile is delivered now. */
    public void unmask(Cpu by, int irq) {
        checkIrq(irq);
        by.chargeMillicycles(2 * machine.costs().apicRegisterWrite());
        masked[irq] = false;
        if (held[irq]) {
            held[irq] = false;
            deliver(irq, by.millicycles());
        }
    }

    public boolean isMasked(int irq) {
        checkIrq(irq);
        return masked[irq];
    }

    /** Device interrupts lost because the same vector was still pending. */
    public long lost() {
        return lost;
    }

    void raised(HwEvent event) {
        int irq = event.target;
        machine.log().record(EventKind.DEVICE_RAISE, -1, event.time, irq, masked[irq] ? 1 : 0);
        if (masked[irq]) {
            held[irq] = true;
        } else {
            deliver(irq, event.time);
        }
        if (event.tag > 0) {
            machine.events().schedule(HwEvent.Kind.DEVICE_RAISE, event.time + event.tag, irq, 0, event.tag);
        }
    }

    private void deliver(int irq, long time) {
        int target = Integer.numberOfTrailingZeros(IpiDestination.cpu(targetApicId[irq])
                .targets(null, machine.cpuArray(), Cpu::acceptsFixedInterrupts));
        machine.events().schedule(HwEvent.Kind.DEVICE_ARRIVAL, time + machine.costs().ioApicDelivery(),
                target, vector[irq], irq);
    }

    void arrived(HwEvent event) {
        int irq = (int) event.tag;
        boolean joined = machine.cpu(event.target).apic().raiseLocal(event.vector, Interrupt.device(irq), event.time);
        if (!joined) {
            lost++;
        }
        machine.log().record(EventKind.DEVICE_ARRIVE, event.target, event.time, event.vector, joined ? irq : -1 - irq);
    }

    private static void checkIrq(int irq) {
        if (irq < 0 || irq >= INPUTS) {
            throw new IllegalArgumentException("IRQ " + irq + " does not exist; the IO-APIC has inputs 0.." + (INPUTS - 1));
        }
    }

    private void checkRouted(int irq) {
        checkIrq(irq);
        if (targetApicId[irq] < 0) {
            throw new IllegalStateException("IRQ " + irq + " is not routed; call route(irq, cpu, vector) first");
        }
    }
}
