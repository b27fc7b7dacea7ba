package l4smp.pbt;

import java.util.SplittableRandom;

/**
 * The seeds of a run. The first input of a run is generated from the run's seed itself and each
 * further input from {@link #next} of the previous one, so the seed reported with a failing input
 * is a run seed too: a run started from it generates that same input first.
 */
public final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private Seeds() {
    }

    /** The seed of the input after the one generated from {@code seed} (a bijective mix, SplitMix64). */
    public static long next(long seed) {
        long z = seed + GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed nobody chose, for runs that do not fix one. */
    public static long fresh() {
        return new SplittableRandom().nextLong();
    }

    /** {@code 0x} and 16 hex digits: how seeds are printed. */
    public static String format(long seed) {
        return String.format("0x%016x", seed);
    }

    /**
     * Reads a seed as printed ({@code 0x} and up to 16 hex digits) or as a decimal long.
     *
     * @throws IllegalArgumentException saying what a seed looks like, for anything else
     */
    public static long parse(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a seed: '" + text
                    + "' (expected 0x and up to 16 hex digits, as printed with a failure, or a decimal number)");
        }
    }
}
