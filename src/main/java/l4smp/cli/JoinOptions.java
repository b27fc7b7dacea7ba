package l4smp.cli;

import l4smp.tlc.Cluster;
import l4smp.tlc.JoinReport;
import l4smp.tlc.JoinRequest;
import l4smp.tlc.JoinResult;
import l4smp.tlc.ServerAddress;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Duration;

/** What {@code l4smp worker} and {@code l4smp fpset} share: the server, this end's address, the report. */
final class JoinOptions {
    @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "the server (port default: " + ServerAddress.DEFAULT_PORT + ")")
    String server;

    @Option(names = "--callback-port", paramLabel = "PORT",
            description = "the one port this process listens on for the server's calls (default: a free one)")
    Integer callbackPort;

    @Option(names = "--advertise", paramLabel = "ADDR",
            description = "this machine's address as the server reaches it (default: its address on the route to the server)")
    String advertise;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Converters.Time.class, defaultValue = "60s",
            description = "how long to keep trying to reach a server that is not up yet (default: ${DEFAULT-VALUE}; exit 61)")
    Duration connectTimeout;

    JoinRequest request(JoinRequest.Role role, int threads) {
        ServerAddress address;
        try {
            address = ServerAddress.parse(server);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("bad server address: " + e.getMessage(), "give HOST or HOST:PORT, e.g. 10.0.0.1:10997");
        }
        String self;
        int port;
        try {
            self = advertise != null ? advertise : Cluster.addressTowards(address);
            port = callbackPort != null ? callbackPort : Cluster.freePort(self);
        } catch (java.net.UnknownHostException e) {
            throw new UserError(ExitCodes.NO_SERVER, "unknown host " + address.host(), "check the server's name or address");
        } catch (IOException e) {
            throw UserError.usage("cannot find this machine's address towards " + address.host() + ": " + e.getMessage(),
                    "give it with --advertise ADDR");
        }
        if (port < 1 || port > 65535) throw UserError.usage("--callback-port must be in 1..65535", null);
        return new JoinRequest(role, address, self, port, threads, connectTimeout);
    }

    /** Takes part in the run, reporting on {@code terminal}; the exit code says how it ended. */
    static int join(JoinRequest request, Terminal terminal, boolean quiet, String counted) {
        JoinResult result;
        try (StatusLine line = new StatusLine(terminal.err(), !quiet)) {
            result = Cluster.join(request, r -> report(line, r, counted));
        }
        boolean ok = result.status() == JoinResult.Status.FINISHED;
        (ok ? terminal.out() : terminal.err()).println((ok ? "l4smp: " : "l4smp: error: ") + result.message());
        return switch (result.status()) {
            case FINISHED -> ExitCodes.OK;
            case UNREACHABLE, LOST_SERVER -> ExitCodes.NO_SERVER;
            case FAILED -> ExitCodes.INTERNAL;
        };
    }

    private static void report(StatusLine line, JoinReport r, String counted) {
        if (r.event() != null) {
            line.event(r.elapsedMillis(), r.event());
            return;
        }
        long perMinute = r.elapsedMillis() <= 0 ? 0 : r.count() * 60_000 / r.elapsedMillis();
        line.status(r.elapsedMillis(), String.format("%,d %s (%,d/min)", r.count(), counted, perMinute));
    }
}
