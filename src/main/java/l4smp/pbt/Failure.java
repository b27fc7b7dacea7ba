package l4smp.pbt;

/**
 * Why a property failed on an input: it returned false, or something was thrown by the property or
 * by the generator. The shrinker keeps to failures of the same {@link #kind}, so it does not slip
 * from the bug it found to another one.
 *
 * @param kind        {@code "falsified"} for a false result ({@code "falsified: NAME"} when the property named
 *                    it, {@link Trial#failsAs}), else the class name of what was thrown
 * @param message     one line for the report
 * @param thrown      what was thrown, or null for a false result
 * @param inGenerator true when the generator threw, so there is no input to show
 */
public record Failure(String kind, String message, Throwable thrown, boolean inGenerator) {
    static final String FALSIFIED = "falsified";

    static Failure falsified() {
        return falsified(null);
    }

    /** A false result the property named {@code name} ({@link Trial#failsAs}); its kind includes the name. */
    static Failure falsified(String name) {
        return name == null ? new Failure(FALSIFIED, "the property returned false", null, false)
                : new Failure(FALSIFIED + ": " + name, "the property returned false: " + name, null, false);
    }

    static Failure thrown(Throwable t) {
        return new Failure(t.getClass().getName(), t.toString(), t, false);
    }

    static Failure thrownByGenerator(Throwable t) {
        return new Failure(t.getClass().getName(), "the generator threw " + t, t, true);
    }
}
