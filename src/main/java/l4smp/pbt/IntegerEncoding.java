package l4smp.pbt;

import java.util.ArrayList;
import java.util.List;

/**
 * How an integer in {@code [lo, hi]} is written as choices: a sign (only when the range has values
 * on both sides of its origin) and a magnitude, where the origin is 0 clamped into the range.
 * Lowering either choice moves the value towards the origin, so the shrinker's "lower one choice"
 * pass is a binary search on the magnitude: a property failing for all {@code x >= 100} shrinks to
 * exactly 100.
 *
 * <p>Fresh draws are uniform over the range, except that with probability {@link #EDGE_BIAS} they
 * take an edge case instead: the bounds, the origin, and their neighbours inside the range.
 */
final class IntegerEncoding {
    /** Probability that a fresh draw is an edge case rather than uniform. */
    static final double EDGE_BIAS = 0.2;

    private final long lo;
    private final long hi;
    private final long origin;
    private final long up;
    private final long down;
    private final long[] edges;

    IntegerEncoding(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("empty integer range [" + lo + ", " + hi + "]");
        }
        if (hi - lo < 0) {
            throw new IllegalArgumentException("integer range [" + lo + ", " + hi + "] is wider than Long.MAX_VALUE");
        }
        this.lo = lo;
        this.hi = hi;
        this.origin = Math.max(lo, Math.min(hi, 0));
        this.up = hi - origin;
        this.down = origin - lo;
        this.edges = edgeCases();
    }

    long draw(Source source) {
        long fresh = source.unrecorded(hi - lo);
        if (fresh < 0) {
            return decode(source);
        }
        int edge = source.hint(EDGE_BIAS, edges.length);
        long value = edge >= 0 ? edges[edge] : lo + fresh;
        boolean negative = onNegativeSide(value);
        if (up > 0 && down > 0) {
            source.drawForced(1, negative ? 1 : 0);
        }
        long magnitude = negative ? origin - value : value - origin;
        source.drawMagnitude(negative ? down : up, magnitude);
        return value;
    }

    /** The value a replayed sign and magnitude stand for. */
    private long decode(Source source) {
        boolean negative = up == 0 || (down > 0 && source.draw(1) == 1);
        return negative ? origin - source.drawMagnitude(down, 0) : origin + source.drawMagnitude(up, 0);
    }

    /** The choices {@link #draw} records for {@code value} (the inverse of decoding). */
    long[] choicesFor(long value) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(value + " outside [" + lo + ", " + hi + "]");
        }
        boolean negative = onNegativeSide(value);
        long magnitude = negative ? origin - value : value - origin;
        List<Long> choices = new ArrayList<>(2);
        if (up > 0 && down > 0) {
            choices.add(negative ? 1L : 0L);
        }
        if ((negative ? down : up) > 0) {
            choices.add(magnitude);
        }
        return choices.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Whether {@code value} is written with the negative side's magnitude: below the origin, or
     * the origin itself in a range with no positive side (as {@link #decode} reads it).
     */
    private boolean onNegativeSide(long value) {
        return value < origin || up == 0;
    }

    private long[] edgeCases() {
        long[] candidates = {lo, hi, origin, origin - 1, origin + 1, lo + 1, hi - 1};
        return java.util.Arrays.stream(candidates)
                .filter(v -> v >= lo && v <= hi)
                .distinct()
                .toArray();
    }
}
