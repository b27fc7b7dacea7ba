package l4smp.hw;

/**
 * Whom an IPI goes to, as the upper byte of the ICR selects it, by APIC id (§3.3): "Setting the nth bit
 * selects the nth processor as the target. In this mode, any group of the at most 8 processors
 * can be selected [...] There are further modes for machines with more than 8 processors, but in
 * those, the any-cast facility is lost, so either the APIC can deliver the interrupt to one
 * specific or all processors." So a mask may name CPUs 0..7 only; any CPU up to 14 can be reached
 * alone or by a broadcast.
 */
public final class IpiDestination {
    private enum Kind { MASK, ONE, ALL, ALL_BUT_SELF }

    /** §3.3: the any-cast mask is 8 bits wide. */
    public static final int MASK_BITS = 8;

    private final Kind kind;
    private final int value;

    private IpiDestination(Kind kind, int value) {
        this.kind = kind;
        this.value = value;
    }

    /** The CPUs whose bits are set in {@code mask} (bits 0..7). */
    public static IpiDestination mask(int mask) {
        if (mask == 0 || (mask & ~((1 << MASK_BITS) - 1)) != 0) {
            throw new IllegalArgumentException(String.format(
                    "IPI mask 0x%x: the any-cast mask (§3.3) selects CPUs 0..7 with bits 0..7 and must select one "
                            + "at least; reach a CPU above 7 with IpiDestination.cpu(n) or a broadcast", mask));
        }
        return new IpiDestination(Kind.MASK, mask);
    }

    /** CPU {@code cpu} alone. */
    public static IpiDestination cpu(int cpu) {
        if (cpu < 0 || cpu > 14) {
            throw new IllegalArgumentException("IPI destination cpu" + cpu + ": CPUs are numbered 0..14");
        }
        return new IpiDestination(Kind.ONE, cpu);
    }

    /** Every CPU, the sender included. */
    public static IpiDestination all() {
        return new IpiDestination(Kind.ALL, 0);
    }

    /** Every CPU but the sender. */
    public static IpiDestination allButSelf() {
        return new IpiDestination(Kind.ALL_BUT_SELF, 0);
    }

    /**
     * The targets as a bit mask over the machine's CPUs (their index in the machine, their APIC id
     * at power-on). A mask or a single CPU names APIC ids: the CPU whose APIC ID register holds it,
     * which software may have changed ({@link LocalApic#setId}; §8.2: "the local APIC chip is
     * programmed such, that the address of the local APIC [...] matches the processor number").
     * Only {@code eligible} CPUs are looked at: for fixed IPIs those that run with their APIC
     * enabled; for INIT and STARTUP every CPU.
     *
     * @throws IllegalArgumentException if a named APIC id is held by no eligible CPU
     * @throws IllegalStateException    if two eligible CPUs hold a named APIC id
     */
    int targets(Cpu sender, Cpu[] cpus, java.util.function.Predicate<Cpu> eligible) {
        int everyone = 0;
        for (Cpu c : cpus) {
            if (eligible.test(c)) {
                everyone |= 1 << c.id();
            }
        }
        return switch (kind) {
            case MASK -> {
                int targets = 0;
                for (int apicId = 0; apicId < MASK_BITS; apicId++) {
                    if ((value & (1 << apicId)) != 0) {
                        targets |= holder(apicId, cpus, eligible);
                    }
                }
                yield targets;
            }
            case ONE -> holder(value, cpus, eligible);
            case ALL -> everyone;
            case ALL_BUT_SELF -> everyone & ~(1 << sender.id());
        };
    }

    /** The bit of the one eligible CPU whose APIC id is {@code apicId}. */
    private int holder(int apicId, Cpu[] cpus, java.util.function.Predicate<Cpu> eligible) {
        Cpu found = null;
        for (Cpu c : cpus) {
            if (eligible.test(c) && c.apic().id() == apicId) {
                if (found != null) {
                    throw new IllegalStateException("IPI to " + this + ": cpu" + found.id() + " and cpu" + c.id()
                            + " both have APIC id " + apicId + "; give each CPU its own id before sending to one");
                }
                found = c;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("IPI to " + this + ": no CPU of this machine of " + cpus.length
                    + " CPUs that can take it has APIC id " + apicId + " (CPUs in reset take only INIT and STARTUP)");
        }
        return 1 << found.id();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case MASK -> String.format("mask 0x%02x", value);
            case ONE -> "cpu" + value;
            case ALL -> "all";
            case ALL_BUT_SELF -> "all but self";
        };
    }
}
