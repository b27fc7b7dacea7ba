package l4smp.tlc;

import com.fasterxml.jackson.databind.JsonNode;
import l4smp.tlc.worker.ClusterProtocol;
import l4smp.trace.format.TraceFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.function.Consumer;

/**
 * Distributed runs on TLC's own distributed mode, seen from the l4smp process that serves a model
 * ({@code check --distributed}) or joins one ({@code worker}, {@code fpset}); see
 * docs/distributed.md. As for local runs, TLC runs in a worker JVM (decision 0003), here one of
 * its own per run: RMI's address and sockets are settings of the whole JVM.
 */
public final class Cluster {
    private Cluster() {
    }

    /** Serves {@code request} to workers until TLC's server is done; {@code progress} gets its samples. */
    public static ServeResult serve(CheckRequest request, ClusterOptions options, Consumer<ClusterReport> progress) {
        WorkerProcess worker;
        try {
            worker = WorkerProcess.start(rmiOptions(options.bind()));
        } catch (IOException e) {
            return ServeResult.of(CheckResult.internalError("cannot start the TLC worker JVM: " + e.getMessage()));
        }
        ServeResult[] served = new ServeResult[1];
        ClusterReport[] last = new ClusterReport[1];
        long deadline = request.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + request.timeout().toNanos();
        try {
            WorkerProcess.Ending end = worker.converse(ClusterProtocol.serveLine(request, options), deadline, msg -> {
                if (msg.has("cluster")) {
                    last[0] = ClusterProtocol.readReport(msg.get("cluster"));
                    progress.accept(last[0]);
                    return false;
                }
                if (!msg.has("served")) return false;
                served[0] = readServed(msg.get("served"));
                return true;
            });
            return switch (end) {
                case ANSWERED -> served[0];
                case TIMED_OUT -> ServeResult.of(worker.timedOut(request, last[0] == null ? null : last[0].totals()));
                case DIED -> ServeResult.of(worker.died());
            };
        } catch (IOException | UncheckedIOException e) {
            return ServeResult.of(CheckResult.internalError("lost contact with the TLC worker: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ServeResult.of(CheckResult.internalError("interrupted while serving the model"));
        } finally {
            worker.close();
        }
    }

    /** Takes part in a run as {@code request} says, until the server releases this process or is lost. */
    public static JoinResult join(JoinRequest request, Consumer<JoinReport> progress) {
        WorkerProcess worker;
        try {
            worker = WorkerProcess.start(rmiOptions(request.advertise()));
        } catch (IOException e) {
            return new JoinResult(JoinResult.Status.FAILED, "cannot start the TLC worker JVM: " + e.getMessage(), 0);
        }
        JoinResult[] joined = new JoinResult[1];
        boolean[] registered = new boolean[1];
        try {
            WorkerProcess.Ending end = worker.converse(ClusterProtocol.joinLine(request), Long.MAX_VALUE, msg -> {
                if (msg.has("joining")) {
                    JoinReport r = ClusterProtocol.readJoining(msg.get("joining"));
                    if (r.event() != null && r.event().startsWith("registered")) registered[0] = true;
                    progress.accept(r);
                    return false;
                }
                if (!msg.has("joined")) return false;
                joined[0] = ClusterProtocol.readJoined(msg.get("joined"));
                return true;
            });
            if (end == WorkerProcess.Ending.ANSWERED) return joined[0];
            // TLC's fingerprint set ends its JVM with status 0 when the server closes it: the end of the run.
            if (request.role() == JoinRequest.Role.FPSET && registered[0] && worker.exitStatus() == 0) {
                return new JoinResult(JoinResult.Status.FINISHED, "the server ended the run and released this fingerprint server", 0);
            }
            return new JoinResult(JoinResult.Status.FAILED, worker.died().message(), 0);
        } catch (IOException | UncheckedIOException e) {
            return new JoinResult(JoinResult.Status.FAILED, "lost contact with the TLC worker: " + e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JoinResult(JoinResult.Status.FAILED, "interrupted", 0);
        } finally {
            worker.close();
        }
    }

    /**
     * This machine's address on the route to {@code server}: where the server can call it back.
     * (Connecting a datagram socket only picks the route; nothing is sent.)
     */
    public static String addressTowards(ServerAddress server) throws IOException {
        InetAddress target = InetAddress.getByName(server.host());
        if (target.isLoopbackAddress()) return target.getHostAddress();
        try (DatagramSocket route = new DatagramSocket()) {
            route.connect(target, server.port());
            return route.getLocalAddress().getHostAddress();
        }
    }

    /** A port free on {@code address} now, for a process to listen on. */
    public static int freePort(String address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return probe.getLocalPort();
        }
    }

    /** RMI puts this address into the stubs it hands out: it is where the other side calls. */
    private static List<String> rmiOptions(String address) throws IOException {
        InetAddress a = InetAddress.getByName(address);
        return a.isAnyLocalAddress() ? List.of() : List.of("-Djava.rmi.server.hostname=" + a.getHostAddress());
    }

    private static ServeResult readServed(JsonNode served) {
        try {
            return ClusterProtocol.readServed(served);
        } catch (TraceFormatException e) {
            throw new UncheckedIOException(new IOException("the worker sent a malformed trace: " + e.getMessage(), e));
        }
    }
}
