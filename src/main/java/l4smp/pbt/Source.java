package l4smp.pbt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where every generator gets its randomness: a sequence of recorded choices, each a long in
 * {@code [0, max]}. A source either draws fresh choices from a seeded {@link SplittableRandom}
 * or replays a given choice sequence; in both modes it records what it handed out.
 *
 * <p>This is the whole trick of the shrinker (in the style of Hypothesis's internal shrinking):
 * a generated value is a function of its choice sequence, so shrinking edits the sequence
 * (deletes chunks, lowers choices) and re-generates. Whatever the edited sequence is, the value
 * re-generated from it is one the generator can produce, and map, flatMap and filter shrink for
 * free. Two conventions make the edits meaningful:
 * <ul>
 *   <li>choice 0 is always the simplest option (stop the list, the first alternative, the
 *       integer nearest zero); a replay that runs past the end of its sequence reads 0;</li>
 *   <li>generators mark the stretch of choices they drew as a {@link Span}, so the shrinker can
 *       delete whole list elements and replace a recursive value by a part of itself.</li>
 * </ul>
 */
public final class Source {
    /** Default bound on the number of choices one input may draw (runaway recursion guard). */
    public static final int DEFAULT_MAX_CHOICES = 100_000;

    private final SplittableRandom random;
    private final long[] replay;
    private final int maxChoices;
    private long[] drawn = new long[16];
    private int size;
    private final BitSet magnitudes = new BitSet();
    private final List<Span> spans = new ArrayList<>();
    private int openSpan = -1;

    private Source(SplittableRandom random, long[] replay, int maxChoices) {
        this.random = random;
        this.replay = replay;
        this.maxChoices = maxChoices;
    }

    /** A source drawing fresh choices; the same seed gives the same choices. */
    public static Source random(long seed) {
        return new Source(new SplittableRandom(seed), null, DEFAULT_MAX_CHOICES);
    }

    /** A source handing out {@code choices} again (then zeros), as the shrinker needs. */
    public static Source replay(long[] choices) {
        return new Source(null, choices.clone(), DEFAULT_MAX_CHOICES);
    }

    /** A choice in {@code [0, max]}, uniform when drawing fresh. */
    public long draw(long max) {
        checkMax(max);
        if (max == 0) {
            return 0;
        }
        return record(random == null ? Math.min(replayed(), max) : unrecorded(max));
    }

    /**
     * A choice in {@code [0, max]} that is {@code value} when drawing fresh and the recorded
     * choice when replaying. Generators use it to steer fresh draws towards edge cases while
     * keeping the recorded sequence the only thing that decides the value.
     */
    public long drawForced(long max, long value) {
        checkMax(max);
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("forced choice " + value + " outside [0, " + max + "]");
        }
        if (max == 0) {
            return 0;
        }
        return record(random == null ? Math.min(replayed(), max) : value);
    }

    /**
     * As {@link #drawForced}, for the magnitude of a number (when replaying, {@code value} only has
     * to be in range). The shrinker also moves value between two magnitudes: "sum &lt; 100" fails
     * for [40, 60], where lowering either alone passes, and for [0, 100].
     */
    public long drawMagnitude(long max, long value) {
        long magnitude = drawForced(max, value);
        if (max > 0) {
            magnitudes.set(size - 1);
        }
        return magnitude;
    }

    /** A yes/no choice, true with probability {@code pTrue} when drawing fresh; false shrinks first. */
    public boolean drawBoolean(double pTrue) {
        if (random == null) {
            return draw(1) == 1;
        }
        return drawForced(1, random.nextDouble() < pTrue ? 1 : 0) == 1;
    }

    /**
     * When drawing fresh, with probability {@code p} one of {@code n} hints (an index in
     * {@code [0, n)}), otherwise -1; when replaying always -1. Hints are not recorded: they only
     * pick a value that is then recorded through {@link #drawForced}.
     */
    public int hint(double p, int n) {
        if (random == null || n <= 0 || random.nextDouble() >= p) {
            return -1;
        }
        return random.nextInt(n);
    }

    /**
     * When drawing fresh, an unrecorded uniform number in {@code [0, max]}; when replaying -1. Like a
     * hint, it only picks a value to record through {@link #drawForced}, for generators whose
     * encoding into choices is not uniform (an integer is a sign and a magnitude).
     */
    public long unrecorded(long max) {
        checkMax(max);
        if (random == null) {
            return -1;
        }
        return max == Long.MAX_VALUE ? random.nextLong() & Long.MAX_VALUE : random.nextLong(max + 1);
    }

    /** Opens a span; returns the handle {@link #endSpan} takes. */
    public int beginSpan(Span.Kind kind, Object label) {
        spans.add(new Span(size, -1, kind, label, openSpan));
        openSpan = spans.size() - 1;
        return openSpan;
    }

    /** Closes the span {@code handle}, which must be the innermost open one. */
    public void endSpan(int handle) {
        if (handle != openSpan) {
            throw new IllegalStateException("span " + handle + " closed while span " + openSpan + " is open");
        }
        Span open = spans.get(handle);
        spans.set(handle, new Span(open.start(), size, open.kind(), open.label(), open.parent()));
        openSpan = open.parent();
    }

    /**
     * Forgets the span {@code handle}, which must be the innermost open one and have no spans
     * inside it: for a draw that turned out not to be a unit worth shrinking (a list's final
     * "no more elements" choice).
     */
    public void dropSpan(int handle) {
        if (handle != openSpan || handle != spans.size() - 1) {
            throw new IllegalStateException("only the innermost span without nested spans can be dropped");
        }
        openSpan = spans.remove(handle).parent();
    }

    /** The choices handed out so far, in order. */
    public long[] choices() {
        return Arrays.copyOf(drawn, size);
    }

    /** The indices of the choices drawn as {@link #drawMagnitude magnitudes}. */
    public BitSet magnitudes() {
        return (BitSet) magnitudes.clone();
    }

    /**
     * The spans in the order they were opened (parents before children); a span still open
     * (generation was cut short) ends at the last choice drawn.
     */
    public List<Span> spans() {
        return spans.stream()
                .map(s -> s.end() >= 0 ? s : new Span(s.start(), size, s.kind(), s.label(), s.parent()))
                .toList();
    }

    private long replayed() {
        return size < replay.length ? Math.max(0, replay[size]) : 0;
    }

    private long record(long value) {
        if (size == maxChoices) {
            throw new Discard("the input drew more than " + maxChoices + " choices");
        }
        if (size == drawn.length) {
            drawn = Arrays.copyOf(drawn, size * 2);
        }
        drawn[size++] = value;
        return value;
    }

    private static void checkMax(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("choice bound must be >= 0, got " + max);
        }
    }
}
