package l4smp.pbt;

/**
 * A stretch {@code [start, end)} of the choice sequence drawn by one generator call: what the
 * shrinker deletes, or replaces by a nested span, to simplify the input structurally.
 *
 * @param start  index of the first choice of the span
 * @param end    index one past its last choice
 * @param kind   what drew it (decides which shrink pass uses it)
 * @param label  identity of the drawing generator; spans of one recursive family share it
 * @param parent index of the enclosing span in {@link Source#spans()}, or -1 at top level
 */
public record Span(int start, int end, Kind kind, Object label, int parent) {

    /** What a span holds. */
    public enum Kind {
        /** One element of a list, including the "one more element?" choice before it. */
        LIST_ELEMENT,
        /** A whole list. */
        LIST,
        /** One attempt of a filter, accepted or rejected. */
        FILTER_ATTEMPT,
        /** One level of a recursive generator. */
        RECURSION,
        /** Any other composed draw (a choice between generators, a flatMap). */
        DRAW
    }

    public int length() {
        return end - start;
    }

    public boolean contains(Span other) {
        return start <= other.start && other.end <= end && !this.equals(other);
    }
}
