package l4smp.hw.bench;

/**
 * One line of the fidelity table: what the simulated machine measured in an experiment and what
 * the thesis measured in the same experiment.
 *
 * @param experiment what was run
 * @param simulated  cycles measured on the simulated machine
 * @param thesis     the thesis's figure
 */
public record BenchRow(String experiment, double simulated, ThesisFigure thesis) {
    /** The band every ratio must fall in. */
    public static final double LOW = 0.95;
    public static final double HIGH = 1.05;

    /** simulated / thesis. */
    public double ratio() {
        return simulated / thesis.value();
    }

    public boolean withinTolerance() {
        double ratio = ratio();
        return ratio >= LOW && ratio <= HIGH;
    }
}
