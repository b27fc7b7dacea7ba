package l4smp.pbt;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Shrinks a failing input by editing the choice sequence that generated it and re-running the
 * property on what the edited sequence generates (see {@link Source}). A candidate is kept when it
 * fails the same way ({@link Failure#kind}) and its recorded choice sequence is smaller in shortlex
 * order (shorter, or as long and lexicographically smaller). Shortlex order is well-founded, so
 * shrinking terminates; it stops at a local minimum (a full round of passes changes nothing) or
 * when the step or time budget runs out.
 *
 * <p>The passes, in the order of a round (delta debugging over the generated structure):
 * <ol>
 *   <li>delete chunks of list elements, halving the chunk from the whole list down to one element;</li>
 *   <li>delete any single span (a filter's rejected attempt, an alternative's value);</li>
 *   <li>replace a recursive value by one of its parts of the same family (a tree by a subtree);</li>
 *   <li>lower each choice (but a list's "one more?" choices): to 0, else by binary search;</li>
 *   <li>move value between two nearby magnitudes (needed to get from [40, 60] to [0, 100] for "sum &lt; 100");</li>
 *   <li>only when a round changed nothing else: delete one or two raw choices anywhere.</li>
 * </ol>
 */
final class Shrinker<T> {
    /** How far apart, in choices, two magnitudes may be for the pass that moves value between them. */
    static final int REDISTRIBUTE_WINDOW = 8;

    private final Function<long[], Execution<T>> replay;
    private final String kind;
    private final int maxSteps;
    private final long deadline;
    private final LongSupplier clock;
    private final Set<Key> tried = new HashSet<>();
    private Execution<T> best;
    /** Where the list elements of {@link #listElementStartsOf} start (recomputed when the best changes). */
    private final BitSet listElementStarts = new BitSet();
    private Execution<T> listElementStartsOf;
    private int steps;
    private boolean exhausted;

    /** Thrown to unwind all passes once the budget is spent. */
    private static final class OutOfBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfBudget() {
            super(null, null, false, false);
        }
    }

    Shrinker(Function<long[], Execution<T>> replay, Execution<T> failing, int maxSteps, long budgetNanos, LongSupplier clock) {
        if (!failing.failed()) {
            throw new IllegalArgumentException("only a failing execution can be shrunk");
        }
        this.replay = replay;
        this.best = failing;
        this.kind = failing.failure().kind();
        this.maxSteps = maxSteps;
        this.clock = clock;
        this.deadline = clock.getAsLong() + budgetNanos;
        tried.add(new Key(failing.choices()));
    }

    /** Shrinks as far as the budget allows and returns the smallest failing execution found. */
    Execution<T> shrink() {
        try {
            while (round()) {
                // each round either improved the input or ended shrinking
            }
        } catch (OutOfBudget e) {
            exhausted = true;
        }
        return best;
    }

    /** Re-runs of the property made while shrinking. */
    int steps() {
        return steps;
    }

    /** True when the budget ran out before a local minimum was reached. */
    boolean exhausted() {
        return exhausted;
    }

    private boolean round() {
        long[] before = best.choices();
        deleteListChunks();
        deleteSpans();
        replaceByDescendants();
        lowerChoices();
        redistribute();
        if (Arrays.equals(before, best.choices())) {
            deleteRawChoices();
        }
        return !Arrays.equals(before, best.choices());
    }

    private void deleteListChunks() {
        for (int list = 0; list < spansOf(Span.Kind.LIST).size(); list++) {
            int length = elementsOf(list).size();
            for (int chunk = length; chunk >= 1; chunk /= 2) {
                for (int i = 0; ; ) {
                    List<Span> elements = elementsOf(list);
                    if (i + chunk > elements.size()) {
                        break;
                    }
                    if (!tryDeleting(elements.get(i).start(), elements.get(i + chunk - 1).end())) {
                        i += chunk;
                    }
                }
            }
        }
    }

    private void deleteSpans() {
        for (int i = best.spans().size() - 1; i >= 0; i--) {
            List<Span> spans = best.spans();
            if (i < spans.size()) {
                tryDeleting(spans.get(i).start(), spans.get(i).end());
            }
        }
    }

    private void replaceByDescendants() {
        for (int i = 0; i < best.spans().size(); i++) {
            List<Span> spans = best.spans();
            Span outer = spans.get(i);
            for (Span inner : spans) {
                if (inner.kind() == Span.Kind.RECURSION && inner.label() == outer.label() && outer.contains(inner)
                        && tryReplacing(outer, inner)) {
                    break;
                }
            }
        }
    }

    private void lowerChoices() {
        for (int i = 0; i < best.choices().length; i++) {
            long current = best.choices()[i];
            if (current == 0 || opensListElement(i) || tryWith(i, 0)) {
                continue;
            }
            bisect(i, current);
        }
    }

    /**
     * Whether choice {@code i} is a list's "one more?" choice. Lowering it would cut the list there
     * and misread the rest; cutting lists is what deleting chunks of elements does properly.
     */
    private boolean opensListElement(int i) {
        if (listElementStartsOf != best) {
            listElementStarts.clear();
            best.spans().stream().filter(s -> s.kind() == Span.Kind.LIST_ELEMENT)
                    .forEach(s -> listElementStarts.set(s.start()));
            listElementStartsOf = best;
        }
        return listElementStarts.get(i);
    }

    /**
     * Lowers choice {@code i} from {@code current} by bisection. Where the failing values are not
     * contiguous (a filter keeping even numbers) it finds a boundary, not the least one; the next
     * round's bisection starts from that boundary and goes on from there.
     */
    private void bisect(int i, long current) {
        // Invariant: value lo was not kept (0 was just tried), value hi is the current best's.
        long lo = 0;
        long hi = current;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (!tryWith(i, mid)) {
                lo = mid;
            } else if (stillAt(i, mid)) {
                hi = mid;
            } else {
                return;
            }
        }
    }

    /** Whether choice {@code i} of the current best is {@code value} (false once a candidate changed its structure). */
    private boolean stillAt(int i, long value) {
        return i < best.choices().length && best.choices()[i] == value;
    }

    private void redistribute() {
        for (int i = best.magnitudes().nextSetBit(0); i >= 0; i = best.magnitudes().nextSetBit(i + 1)) {
            for (int j = best.magnitudes().nextSetBit(i + 1); j >= 0 && j <= i + REDISTRIBUTE_WINDOW;
                    j = best.magnitudes().nextSetBit(j + 1)) {
                long[] c = best.choices();
                if (j >= c.length || c[i] == 0 || c[j] > Long.MAX_VALUE - c[i]) {
                    continue;
                }
                long[] candidate = c.clone();
                candidate[j] += candidate[i];
                candidate[i] = 0;
                tryCandidate(candidate);
            }
        }
    }

    private void deleteRawChoices() {
        for (int size = 2; size >= 1; size--) {
            for (int i = best.choices().length - size; i >= 0; i--) {
                if (i + size <= best.choices().length) {
                    tryDeleting(i, i + size);
                }
            }
        }
    }

    private List<Span> spansOf(Span.Kind kind) {
        return best.spans().stream().filter(s -> s.kind() == kind).toList();
    }

    /** The element spans of the {@code list}-th list span of the current best. */
    private List<Span> elementsOf(int list) {
        List<Span> spans = best.spans();
        List<Span> lists = spansOf(Span.Kind.LIST);
        if (list >= lists.size()) {
            return List.of();
        }
        int parent = spans.indexOf(lists.get(list));
        return spans.stream().filter(s -> s.kind() == Span.Kind.LIST_ELEMENT && s.parent() == parent).toList();
    }

    private boolean tryDeleting(int from, int to) {
        long[] c = best.choices();
        if (from >= to) {
            return false;
        }
        long[] candidate = new long[c.length - (to - from)];
        System.arraycopy(c, 0, candidate, 0, from);
        System.arraycopy(c, to, candidate, from, c.length - to);
        return tryCandidate(candidate);
    }

    private boolean tryReplacing(Span outer, Span inner) {
        long[] c = best.choices();
        long[] candidate = new long[c.length - outer.length() + inner.length()];
        System.arraycopy(c, 0, candidate, 0, outer.start());
        System.arraycopy(c, inner.start(), candidate, outer.start(), inner.length());
        System.arraycopy(c, outer.end(), candidate, outer.start() + inner.length(), c.length - outer.end());
        return tryCandidate(candidate);
    }

    private boolean tryWith(int index, long value) {
        long[] candidate = best.choices().clone();
        candidate[index] = value;
        return tryCandidate(candidate);
    }

    /** Runs the property on {@code candidate}; keeps it if it fails the same way and is smaller. */
    private boolean tryCandidate(long[] candidate) {
        if (!tried.add(new Key(candidate))) {
            return false;
        }
        if (steps >= maxSteps || clock.getAsLong() - deadline >= 0) {
            throw new OutOfBudget();
        }
        steps++;
        Execution<T> run = replay.apply(candidate);
        tried.add(new Key(run.choices()));
        if (run.failed() && run.failure().kind().equals(kind) && shortlexLess(run.choices(), best.choices())) {
            best = run;
            return true;
        }
        return false;
    }

    /** Shorter first, then lexicographically by choice. */
    static boolean shortlexLess(long[] a, long[] b) {
        if (a.length != b.length) {
            return a.length < b.length;
        }
        return Arrays.compare(a, b) < 0;
    }

    /** A choice sequence as a hash key. */
    private record Key(long[] choices) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(choices, k.choices);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(choices);
        }
    }
}
