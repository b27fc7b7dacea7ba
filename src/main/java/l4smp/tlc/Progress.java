package l4smp.tlc;

/**
 * A snapshot of a running check, sampled about twice a second. TLC's counters are read one
 * after the other while its workers run, {@code distinct} first so that {@code generated} (read
 * last) is never behind it; {@code depth} is {@link Statistics#UNKNOWN} when TLC could not say.
 */
public record Progress(long generated, long distinct, long queue, long depth, long elapsedMillis) {

    /** States generated per minute since the run started. */
    public long statesPerMinute() {
        return elapsedMillis <= 0 ? 0 : generated * 60_000L / elapsedMillis;
    }
}
