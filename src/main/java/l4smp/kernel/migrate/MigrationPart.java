package l4smp.kernel.migrate;

/**
 * A part of a migration that a CPU executes with interrupts disabled (MigrationBarriers'
 * {@code part[c]}): B on the source CPU or C on the target CPU of {@code request}.
 *
 * @param request the migration
 * @param source  true for part B, false for part C
 * @param local   whether it runs inside the caller's own thread_schedule (A = B or A = C: "A has to
 *                be performed first"), rather than entered through an IPI or a kernel exit
 */
public record MigrationPart(MigrationRequest request, boolean source, boolean local) {
    /** "B" or "C". */
    public String name() {
        return source ? "B" : "C";
    }

    @Override
    public String toString() {
        return name() + " of " + request;
    }
}
