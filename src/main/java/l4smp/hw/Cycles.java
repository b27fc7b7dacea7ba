package l4smp.hw;

/**
 * Simulated time is counted in millicycles: thousandths of a processor cycle, held in a
 * {@code long}.
 *
 * <p>Why not whole cycles: the thesis's measured costs are averages with fractions (an L1 hit
 * costs 0.98 cycles, an L2 hit 7.53, one turn of the measuring loop 2.20, Table 1 of §3.2.1), and
 * one APIC bus cycle is 450/16 = 28.125 processor cycles (§3.3.1). Rounding each of them to a
 * whole cycle would move the 256-line experiments of Tables 1 and 2 by up to 9 %. Fixed point
 * keeps the arithmetic exact and deterministic (no floating-point accumulation), while every
 * reading a program can make ({@link Cpu#rdtsc()}) is in whole cycles, as on the real machine.
 */
public final class Cycles {
    /** Millicycles per cycle. */
    public static final long MILLI = 1000;

    private Cycles() {
    }

    /** A cost given in (possibly fractional) cycles, as the thesis writes it, in millicycles. */
    public static long of(double cycles) {
        if (cycles < 0 || Double.isNaN(cycles) || Double.isInfinite(cycles)) {
            throw new IllegalArgumentException("a cost must be a finite number of cycles >= 0, not " + cycles);
        }
        return Math.round(cycles * MILLI);
    }

    /** Whole cycles in millicycles. */
    public static long ofWhole(long cycles) {
        if (cycles < 0) {
            throw new IllegalArgumentException("a cost must be >= 0 cycles, not " + cycles);
        }
        return Math.multiplyExact(cycles, MILLI);
    }

    /** Millicycles as (fractional) cycles, for printing and ratios only. */
    public static double toCycles(long millicycles) {
        return millicycles / (double) MILLI;
    }

    /** Millicycles as whole cycles, rounded down: what the time-stamp counter shows. */
    public static long wholeCycles(long millicycles) {
        return Math.floorDiv(millicycles, MILLI);
    }

    /** "1234.567" */
    public static String format(long millicycles) {
        if (millicycles < 0) {
            return "-" + format(-millicycles);
        }
        return millicycles / MILLI + "." + String.format("%03d", millicycles % MILLI);
    }
}
