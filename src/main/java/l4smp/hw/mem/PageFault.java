package l4smp.hw.mem;

/**
 * A page fault raised by the MMU: the access had no effect, CR2 holds {@link #address()}. It is an
 * unchecked exception so that a load or store deep in the layer above can be abandoned at once;
 * it carries no stack trace (faults are part of normal operation: every demand-paged access
 * raises one first) and is cheap to throw.
 */
public final class PageFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The level of the two-level table at which the walk stopped. */
    public enum Level { DIRECTORY, TABLE }

    private final long address;
    private final Access access;
    private final boolean user;
    private final FaultKind kind;
    private final Level level;

    public PageFault(long address, Access access, boolean user, FaultKind kind, Level level) {
        super(null, null, false, false);
        this.address = address;
        this.access = access;
        this.user = user;
        this.kind = kind;
        this.level = level;
    }

    /** The virtual address that faulted (what CR2 holds). */
    public long address() {
        return address;
    }

    public Access access() {
        return access;
    }

    /** Whether the access was made in user mode. */
    public boolean user() {
        return user;
    }

    public FaultKind kind() {
        return kind;
    }

    public Level level() {
        return level;
    }

    /**
     * The error code the Pentium pushes: bit 0 set for a protection violation (clear: not
     * present), bit 1 for a write, bit 2 for user mode.
     */
    public int errorCode() {
        return (kind == FaultKind.NOT_PRESENT ? 0 : 1) | (access.isWrite() ? 2 : 0) | (user ? 4 : 0);
    }

    @Override
    public String getMessage() {
        return String.format("page fault at 0x%08x: %s %s access, %s (%s)",
                address, user ? "user" : "kernel", access.name().toLowerCase(),
                kind.name().toLowerCase().replace('_', ' '), level == Level.DIRECTORY ? "PDE" : "PTE");
    }
}
