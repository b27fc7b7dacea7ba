package l4smp.cli;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Cluster;
import l4smp.tlc.ClusterFailure;
import l4smp.tlc.ClusterOptions;
import l4smp.tlc.ServeResult;
import l4smp.tlc.ServerAddress;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;

/** {@code check --distributed} and its options: serve the model to workers on TLC's distributed mode. */
final class DistributedOptions {
    static final String SECURITY = "TLC's RMI protocol is unauthenticated and unencrypted: whoever reaches the port "
            + "can run code in this JVM. Expose it only on a trusted network.";

    @Option(names = "--distributed", description = {"serve the model to 'l4smp worker' processes (TLC's distributed mode; "
            + "safety only: no liveness)", SECURITY})
    boolean enabled;

    @Option(names = "--port", paramLabel = "PORT", description = "--distributed: the one port to listen on (default: "
            + ServerAddress.DEFAULT_PORT + ")")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "--distributed: the address to listen on (default: 127.0.0.1; "
            + "0.0.0.0 for every interface)")
    String bind;

    @Option(names = "--expect-workers", paramLabel = "N", description = "--distributed: wait for N workers before exploring (default: 1)")
    Integer expectWorkers;

    @Option(names = "--fpsets", paramLabel = "N", description = "--distributed: spread the fingerprints over N 'l4smp fpset' "
            + "servers (default: 0, keep them here)")
    Integer fpsets;

    @Option(names = "--worker-timeout", paramLabel = "DURATION", converter = Converters.Time.class,
            description = "--distributed: give up (exit 60) when the workers have not joined within this, or all have left "
                    + "for this long (default: 10m)")
    Duration workerTimeout;

    /** The options as TLC's server takes them; a usage error for any given without --distributed. */
    ClusterOptions options(CheckRequest request) {
        if (!enabled) {
            if (port != null || bind != null || expectWorkers != null || fpsets != null || workerTimeout != null) {
                throw UserError.usage("--port, --bind, --expect-workers, --fpsets and --worker-timeout need --distributed",
                        "add --distributed, or drop them");
            }
            return null;
        }
        if (request.simulation() != null) {
            throw UserError.usage("--simulate cannot be --distributed", "distributed TLC explores every state; drop one of them");
        }
        String address = bind == null ? "127.0.0.1" : bind;
        try {
            java.net.InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw UserError.usage("--bind " + address + " is not an address", "give one of this machine's addresses, e.g. 10.0.0.1");
        }
        try {
            return new ClusterOptions(address, port == null ? ServerAddress.DEFAULT_PORT : port,
                    expectWorkers == null ? 1 : expectWorkers, fpsets == null ? 0 : fpsets,
                    workerTimeout == null ? Duration.ofMinutes(10) : workerTimeout);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage(), null);
        }
    }

    /** Serves the model until TLC's server is done; the result is that of a local run. */
    static CheckResult check(CheckRequest request, ClusterOptions options, PrintWriter err, boolean showProgress) {
        ServeResult served;
        try (ClusterProgressView view = new ClusterProgressView(err, showProgress)) {
            if (showProgress) {
                err.println("l4smp: serving " + request.moduleName() + " on " + new ServerAddress(options.bind(), options.port())
                        + "; start workers with: l4smp worker " + new ServerAddress(options.bind(), options.port()));
            }
            served = Cluster.serve(request, options, view);
        }
        if (served.result() != null) return served.result();
        ClusterFailure f = served.failure();
        throw switch (f.kind()) {
            case UNSUPPORTED -> UserError.usage(f.message(), "distributed TLC checks invariants, action properties and deadlock");
            case CANNOT_LISTEN -> UserError.usage(f.message(), null);
            case NO_WORKERS -> new UserError(ExitCodes.NO_WORKERS, f.message(),
                    "start workers with 'l4smp worker HOST:" + options.port() + "', or give them longer with --worker-timeout");
        };
    }
}
