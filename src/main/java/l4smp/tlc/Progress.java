package l4smp.tlc;

/** A snapshot of a running check, sampled about twice a second. */
public record Progress(long generated, long distinct, long queue, long elapsedMillis) {

    /** States generated per minute since the run started. */
    public long statesPerMinute() {
        return elapsedMillis <= 0 ? 0 : generated * 60_000L / elapsedMillis;
    }
}
