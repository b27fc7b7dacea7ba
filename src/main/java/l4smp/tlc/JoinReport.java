package l4smp.tlc;

/**
 * What a worker or fingerprint server reports while it takes part in a run.
 *
 * @param event         something that happened (joined, ...), or {@code null} for a plain sample
 * @param count         states expanded so far (worker) or fingerprints stored (fingerprint server)
 * @param elapsedMillis time since it joined
 */
public record JoinReport(String event, long count, long elapsedMillis) {
}
