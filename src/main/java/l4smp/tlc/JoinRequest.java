package l4smp.tlc;

import java.time.Duration;

/**
 * A process that joins a distributed run: a worker ({@code l4smp worker}) that expands states,
 * or a fingerprint-set server ({@code l4smp fpset}) that stores a share of the fingerprints.
 *
 * @param role           which of the two
 * @param server         the server's address
 * @param advertise      this machine's address as the server sees it: the server calls back here
 * @param callbackPort   the one port this process listens on for the server's calls
 * @param threads        worker threads (for a worker)
 * @param connectTimeout how long to keep trying to reach a server that is not up yet
 */
public record JoinRequest(Role role, ServerAddress server, String advertise, int callbackPort, int threads,
                          Duration connectTimeout) {
    public enum Role { WORKER, FPSET }
}
