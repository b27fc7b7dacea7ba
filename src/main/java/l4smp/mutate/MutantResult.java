package l4smp.mutate;

/**
 * What running the configurations on one mutant showed.
 *
 * @param mutant  the mutant
 * @param verdict killed, timeout, survived, equivalent or stillborn
 * @param config  the configuration that killed it (or timed out, or failed to parse it); null otherwise
 * @param detail  what that configuration found: the violated invariant or property, "deadlock",
 *                the evaluation error, the parse error; for survivors, how equivalence was decided
 * @param millis  wall time spent on this mutant, equivalence check included
 */
public record MutantResult(Mutant mutant, Verdict verdict, String config, String detail, long millis) {

    /** The verdicts a mutant can get. */
    public enum Verdict {
        /** Some configuration's outcome differs from the one it declares. */
        KILLED,
        /**
         * A configuration ran past its time limit without a violation, or TLC failed on it twice
         * (the detail says which); not counted as killed.
         */
        TIMEOUT,
        /** Every configuration has its declared outcome, and the mutant is not known to be equivalent. */
        SURVIVED,
        /** It survived, and TLC found its reachable transitions equal to the original's in every configuration. */
        EQUIVALENT,
        /** The mutant does not parse (or fails SANY's semantic checks): not a spec, not counted. */
        STILLBORN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
