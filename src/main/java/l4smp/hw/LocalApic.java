package l4smp.hw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One CPU's local APIC (§3.3): sends IPIs through the ICR, holds incoming interrupt requests in
 * the IRR until the CPU takes them, tracks the one in service until EOI, and has a programmable
 * timer.
 *
 * <p>§8.3.4: "When one of the two LINT slots LINT0 or LINT1 is available, the interrupt request is
 * stored in the local APIC of the destination processor and the source processor can continue.
 * [...] If both slots are occupied, the source processor blocks resending the IPI until one slot
 * gets free. A slot has to be freed by the interrupt handler by sending an end of interrupt
 * message EOI." So each target has two slots for IPIs; a slot is taken when the IPI is sent (it
 * is on its way for {@link CostModel#ipiDelivery()}), stays taken while the request is pending and
 * while it is in service, and is freed by EOI. A sender that finds no free slot stalls: the
 * machine runs nothing on it until the target's EOI gives its IPI a slot; the IPI then travels
 * the APIC bus again. Ticks of the local timer do not use these slots; a tick that finds the
 * previous one still pending is lost, as a second request for a vector already in the IRR is.
 *
 * <p>Priority (§3.3.1: "No further interrupts of a lower or equal priority can be received [...]
 * until [...] EOI"): a pending request is deliverable if its priority class (vector / 16) is above
 * that of the interrupt in service; among pending ones the highest vector goes first, then the
 * earliest arrival. Delivery also needs the CPU's interrupts enabled; the machine takes a
 * deliverable interrupt at the CPU's next step boundary.
 *
 * <p>Startup (§8.2): INIT and STARTUP IPIs ({@link #sendInit}, {@link #sendStartup}) reach CPUs in
 * reset, which take no other interrupt. They cost what a fixed IPI costs, the ICR write and
 * {@link CostModel#ipiDelivery()} to the target (the same short message on the APIC bus), and use
 * no slot: the target's APIC acts on them itself, they never enter the IRR.
 *
 * <p>The APIC ID register ({@link #id()}) starts as the CPU's index in the machine; software may
 * change it ({@link #setId}, §8.2's trick of making the APIC's address the processor number), and
 * every destination naming an APIC id (a fixed IPI, an IO-APIC route) follows the change.
 */
public final class LocalApic {
    /** §8.3.4: LINT0 and LINT1. */
    public static final int SLOTS = 2;
    /** §3.3: "int 0 .. 15 are reserved". */
    public static final int FIRST_VECTOR = 16;

    private record WaitingIpi(int sender, int vector) {
    }

    private final Cpu cpu;
    private final Machine machine;
    /** The APIC ID register. */
    private int id;
    /** The spurious-vector register's enable bit: a disabled APIC takes no fixed interrupt. */
    private boolean enabled = true;
    /** IPIs to this CPU that hold a slot: on their way, pending, or in service. */
    private int slotsHeld;
    private final List<Interrupt> pending = new ArrayList<>(4);
    private final ArrayDeque<Interrupt> inService = new ArrayDeque<>();
    /** IPIs to this CPU from stalled senders, waiting for a slot, in order of sending. */
    private final ArrayDeque<WaitingIpi> waiting = new ArrayDeque<>();
    /** IPIs this CPU sent that wait for a slot somewhere; the CPU is stalled while this is > 0. */
    private int unplacedSends;

    private long timerPeriod;
    private int timerVector;
    private HwEvent nextTick;

    private long ipisSent;
    private long lostTicks;

    LocalApic(Cpu cpu, Machine machine) {
        this.cpu = cpu;
        this.machine = machine;
        this.id = cpu.id();
    }

    // ---- instructions: charged to this CPU, only in its own step ----

    /**
     * Writes the ICR: sends IPI {@code vector} to {@code destination}. Each target with a free slot
     * gets the IPI {@link CostModel#ipiDelivery()} after the write; for each target without one,
     * the IPI waits and this CPU stalls until it gets one.
     */
    public void sendIpi(IpiDestination destination, int vector) {
        checkVector(vector);
        int targets = destination.targets(cpu, machine.cpuArray(), Cpu::acceptsFixedInterrupts);
        cpu.chargeMillicycles(machine.costs().icrWrite());
        long now = cpu.millicycles();
        machine.log().record(EventKind.IPI_SEND, cpu.id(), now, vector, targets);
        ipisSent++;
        for (int target = 0; target < machine.cpuCount(); target++) {
            if ((targets & (1 << target)) != 0) {
                machine.cpu(target).apic().offer(cpu.id(), vector, now);
            }
        }
    }

    /**
     * Writes the ICR with an INIT IPI (§8.2): each target in reset waits for STARTUP once it
     * arrives, {@link CostModel#ipiDelivery()} after the write. The destination may name CPUs in
     * reset (by APIC id, or a broadcast).
     */
    public void sendInit(IpiDestination destination) {
        sendStartupMessage(destination, HwEvent.Kind.INIT_ARRIVAL, 0, EventKind.INIT_SEND);
    }

    /**
     * Writes the ICR with a STARTUP IPI: each target waiting for it starts at physical address
     * {@code vector} x 4 KB once it arrives (the startup routine must lie in the first megabyte).
     */
    public void sendStartup(IpiDestination destination, int vector) {
        if (vector < 0 || vector > 0xFF) {
            throw new IllegalArgumentException("a STARTUP vector is the page number of the startup routine, 0..255 "
                    + "(below 1 MB), not " + vector);
        }
        sendStartupMessage(destination, HwEvent.Kind.STARTUP_ARRIVAL, vector, EventKind.STARTUP_SEND);
    }

    private void sendStartupMessage(IpiDestination destination, HwEvent.Kind kind, int vector, EventKind logged) {
        int targets = destination.targets(cpu, machine.cpuArray(), target -> true);
        cpu.chargeMillicycles(machine.costs().icrWrite());
        long now = cpu.millicycles();
        machine.log().record(logged, cpu.id(), now, vector, targets);
        for (int target = 0; target < machine.cpuCount(); target++) {
            if ((targets & (1 << target)) != 0) {
                machine.events().schedule(kind, now + machine.costs().ipiDelivery(), target, vector, cpu.id());
            }
        }
    }

    /** Reads the APIC ID register (§8.2, §8.8.1: with the Task Register, where a CPU keeps its processor number). */
    public int readId() {
        cpu.chargeMillicycles(machine.costs().apicRegisterRead());
        return id;
    }

    /**
     * Writes the APIC ID register: from now on fixed IPIs and IO-APIC routes naming {@code newId}
     * reach this CPU (IDs 0..14; 15 is the broadcast address).
     */
    public void setId(int newId) {
        if (newId < 0 || newId > 14) {
            throw new IllegalArgumentException("an APIC id is 0..14 (15 means all), not " + newId);
        }
        cpu.chargeMillicycles(machine.costs().apicRegisterWrite());
        id = newId;
    }

    /** Clears the enable bit of the spurious-vector register: the APIC takes no fixed interrupt any more. */
    public void softwareDisable() {
        cpu.chargeMillicycles(machine.costs().apicRegisterWrite());
        enabled = false;
    }

    /** A target's side of an ICR write: take a slot and schedule the arrival, or make the sender wait. */
    private void offer(int sender, int vector, long now) {
        if (slotsHeld < SLOTS) {
            slotsHeld++;
            machine.events().schedule(HwEvent.Kind.IPI_ARRIVAL, now + machine.costs().ipiDelivery(),
                    cpu.id(), vector, sender);
            return;
        }
        waiting.add(new WaitingIpi(sender, vector));
        machine.cpu(sender).apic().unplacedSends++;
        machine.log().record(EventKind.IPI_STALL, sender, now, vector, cpu.id());
    }

    /**
     * Writes the EOI register: the interrupt in service leaves service; if it was an IPI its slot
     * is freed and goes to the oldest waiting IPI, whose sender goes on.
     *
     * @throws IllegalStateException if no interrupt is in service
     */
    public void eoi() {
        if (inService.isEmpty()) {
            throw new IllegalStateException("cpu" + cpu.id() + " wrote EOI with no interrupt in service");
        }
        cpu.chargeMillicycles(machine.costs().apicRegisterWrite());
        Interrupt done = inService.pop();
        long now = cpu.millicycles();
        machine.log().record(EventKind.EOI, cpu.id(), now, done.vector(), done.source());
        if (done.isIpi()) {
            slotsHeld--;
            placeWaiting(now);
        }
    }

    private void placeWaiting(long now) {
        if (waiting.isEmpty() || slotsHeld >= SLOTS) {
            return;
        }
        WaitingIpi next = waiting.poll();
        slotsHeld++;
        machine.events().schedule(HwEvent.Kind.IPI_ARRIVAL, now + machine.costs().ipiDelivery(),
                cpu.id(), next.vector(), next.sender());
        Cpu sender = machine.cpu(next.sender());
        LocalApic senderApic = sender.apic();
        senderApic.unplacedSends--;
        if (senderApic.unplacedSends == 0) {
            sender.clock().waitUntil(now);
            machine.log().record(EventKind.IPI_RESUME, sender.id(), sender.millicycles(), next.vector(), cpu.id());
        }
    }

    /** Reads the IRR bit of {@code vector}, as §3.3.1's measurement polls it. */
    public boolean readIrr(int vector) {
        checkVector(vector);
        cpu.chargeMillicycles(machine.costs().apicRegisterRead());
        for (Interrupt request : pending) {
            if (request.vector() == vector) {
                return true;
            }
        }
        return false;
    }

    /** Programs the timer to raise {@code vector} every {@code periodCycles} cycles from now on. */
    public void startTimer(long periodCycles, int vector) {
        checkVector(vector);
        if (periodCycles <= 0) {
            throw new IllegalArgumentException("a timer period must be > 0 cycles, not " + periodCycles);
        }
        cpu.chargeMillicycles(machine.costs().apicRegisterWrite());
        cancelTick();
        timerPeriod = Cycles.ofWhole(periodCycles);
        timerVector = vector;
        nextTick = machine.events().schedule(HwEvent.Kind.TIMER_TICK, cpu.millicycles() + timerPeriod,
                cpu.id(), vector, 0);
    }

    /** Stops the timer; a tick already pending in the IRR stays there. */
    public void stopTimer() {
        cpu.chargeMillicycles(machine.costs().apicRegisterWrite());
        cancelTick();
        timerPeriod = 0;
    }

    private void cancelTick() {
        if (nextTick != null) {
            machine.events().cancel(nextTick);
            nextTick = null;
        }
    }

    private static void checkVector(int vector) {
        if (vector < FIRST_VECTOR || vector > 255) {
            throw new IllegalArgumentException("interrupt vector " + vector + " is not in 16..255 (§3.3: 0..15 are reserved)");
        }
    }

    // ---- the machine's side ----

    void arrive(HwEvent event) {
        pending.add(new Interrupt(event.vector, (int) event.tag, event.time));
        machine.log().record(EventKind.IPI_ARRIVE, cpu.id(), event.time, event.vector, event.tag);
    }

    void tick(HwEvent event) {
        boolean lost = !raiseLocal(event.vector, Interrupt.TIMER, event.time);
        if (lost) {
            lostTicks++;
        }
        machine.log().record(EventKind.TIMER_TICK, cpu.id(), event.time, event.vector, lost ? 1 : 0);
        nextTick = machine.events().schedule(HwEvent.Kind.TIMER_TICK, event.time + timerPeriod,
                cpu.id(), timerVector, 0);
    }

    /**
     * A request from a source that uses no slot (the timer, a device): it joins the IRR unless a
     * request for the same vector from such a source is pending already, in which case it is lost.
     *
     * @return whether it joined the IRR
     */
    boolean raiseLocal(int vector, int source, long time) {
        for (Interrupt request : pending) {
            if (!request.isIpi() && request.vector() == vector) {
                return false;
            }
        }
        pending.add(new Interrupt(vector, source, time));
        return true;
    }

    /** The request the CPU would take if its interrupts were enabled, or null. */
    Interrupt deliverable() {
        Interrupt best = null;
        for (Interrupt request : pending) {
            if (best == null || request.vector() > best.vector()) {
                best = request;
            }
        }
        if (best == null || (!inService.isEmpty() && best.priorityClass() <= inService.peek().priorityClass())) {
            return null;
        }
        return best;
    }

    /** The CPU takes {@code request}: IRR to in service. */
    void accept(Interrupt request) {
        pending.remove(request);
        inService.push(request);
    }

    boolean stalled() {
        return unplacedSends > 0;
    }

    // ---- observers: free ----

    /** The APIC ID register, without the cost of {@link #readId()}. */
    public int id() {
        return id;
    }

    /** Whether the APIC is software-enabled (see {@link #softwareDisable()}). */
    public boolean isEnabled() {
        return enabled;
    }

    /** The requests in the IRR, in order of arrival. */
    public List<Interrupt> pending() {
        return List.copyOf(pending);
    }

    /** The interrupts in service, innermost first. */
    public List<Interrupt> inService() {
        return List.copyOf(inService);
    }

    /** How many of the two slots IPIs to this CPU hold now. */
    public int slotsHeld() {
        return slotsHeld;
    }

    /** How many IPIs to this CPU wait for a slot. */
    public int waitingIpis() {
        return waiting.size();
    }

    /** Whether an IPI from CPU {@code sender} waits for a slot of this APIC. */
    public boolean hasWaitingFrom(int sender) {
        for (WaitingIpi w : waiting) {
            if (w.sender() == sender) {
                return true;
            }
        }
        return false;
    }

    /** Whether this CPU is stalled because an IPI it sent waits for a slot. */
    public boolean senderStalled() {
        return unplacedSends > 0;
    }

    public long ipisSent() {
        return ipisSent;
    }

    public long lostTicks() {
        return lostTicks;
    }
}
