package l4smp.hw.bench;

/**
 * A number the thesis measured, with where it stands. Where the thesis gives a range the figure is
 * its middle, and {@code low}/{@code high} keep the range.
 *
 * @param value  cycles (the middle of the range, if there is one)
 * @param low    lower end of the range, or {@code value}
 * @param high   upper end of the range, or {@code value}
 * @param source where in the thesis it stands
 */
public record ThesisFigure(double value, double low, double high, String source) {
    public static ThesisFigure exactly(double value, String source) {
        return new ThesisFigure(value, value, value, source);
    }

    public static ThesisFigure range(double low, double high, String source) {
        return new ThesisFigure((low + high) / 2, low, high, source);
    }

    /** "571" or "1240 (1230-1250)". */
    public String describe() {
        String middle = format(value);
        return low == high ? middle : middle + " (" + format(low) + "-" + format(high) + ")";
    }

    private static String format(double cycles) {
        return cycles == Math.rint(cycles) ? Long.toString((long) cycles) : Double.toString(cycles);
    }
}
