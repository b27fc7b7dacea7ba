package l4smp.hw;

/**
 * Whom an IPI goes to, as the upper byte of the ICR selects it (§3.3): "Setting the nth bit
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

    /** The targets as a bit mask over CPU numbers, for a machine of {@code cpus} CPUs. */
    int targets(int sender, int cpus) {
        int everyone = (1 << cpus) - 1;
        int targets = switch (kind) {
            case MASK -> value;
            case ONE -> 1 << value;
            case ALL -> everyone;
            case ALL_BUT_SELF -> everyone & ~(1 << sender);
        };
        if ((targets & ~everyone) != 0) {
            throw new IllegalArgumentException("IPI to " + this + " names a CPU this machine of " + cpus
                    + " CPUs does not have");
        }
        return targets;
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
