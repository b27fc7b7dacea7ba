package l4smp.tlc;

import java.time.Duration;

/**
 * How {@code l4smp check --distributed} serves a model to TLC workers on other machines.
 *
 * @param bind          the address the server listens on (its RMI registry and objects); the
 *                      workers call it there, so it is also the address the server advertises
 * @param port          the one TCP port the server listens on
 * @param expectWorkers worker processes to wait for before handing out states
 * @param fpsets        fingerprint-set servers ({@code l4smp fpset}) to wait for and spread the
 *                      fingerprints over; 0 keeps the fingerprint set in the server
 * @param workerTimeout how long to wait for the expected workers, and for a new one when every
 *                      worker has left mid-run
 */
public record ClusterOptions(String bind, int port, int expectWorkers, int fpsets, Duration workerTimeout) {
    public ClusterOptions {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be in 1..65535, not " + port);
        if (expectWorkers < 1) throw new IllegalArgumentException("expect at least one worker, not " + expectWorkers);
        if (fpsets < 0) throw new IllegalArgumentException("fpsets must be >= 0, not " + fpsets);
    }
}
