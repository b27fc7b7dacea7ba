package l4smp.pbt;

import java.util.List;

/**
 * A failing input as a run reports it: the input as first found, the input shrinking reduced it
 * to, why the property fails on the latter, and the seed that generates the former first.
 *
 * @param seed          a run started from this seed generates {@code original} as its first input
 * @param original      the failing input as first generated, printed
 * @param shrunk        the smallest failing input found, printed
 * @param shrunkValue   the smallest failing input itself (null if generating it threw)
 * @param choices       the choice sequence that generates {@code shrunk} (see {@link Source#replay})
 * @param failure       why the property fails on {@code shrunk}
 * @param notes         the notes the property made while checking {@code shrunk}
 * @param shrinkSteps   re-runs of the property made while shrinking
 * @param shrinkExhausted true when shrinking ran out of budget before a local minimum
 */
public record Counterexample(long seed, String original, String shrunk, Object shrunkValue, long[] choices,
        Failure failure, List<String> notes, int shrinkSteps, boolean shrinkExhausted) {
}
