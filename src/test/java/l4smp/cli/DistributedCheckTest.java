package l4smp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Cluster;
import l4smp.tlc.ClusterOptions;
import l4smp.tlc.Outcome;
import l4smp.tlc.ServeResult;
import l4smp.tlc.TestSpecs;
import l4smp.tlc.TlcDriver;
import l4smp.trace.Trace;
import l4smp.trace.format.Itf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code check --distributed} with {@code l4smp worker} processes on loopback, against a local
 * run of the same model. The Grid spec's counts and trace lengths do not depend on how the work
 * was spread over the workers (see Grid.tla), so they must agree exactly.
 */
class DistributedCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String grid() {
        return TestSpecs.spec("Grid").toString();
    }

    private static String cfg(String name) {
        return TestSpecs.DIR.resolve(name + ".cfg").toString();
    }

    /** A local run's JSON summary. */
    private static JsonNode local(String cfg) throws Exception {
        CliRun r = CliRun.of("check", grid(), "--config", cfg(cfg), "--workers", "1", "--json");
        return JSON.readTree(r.out());
    }

    /** The same check served to two loopback workers; {@code extra} are more arguments for check. */
    private CliRun distributed(String cfg, LoopbackWorkers workers, String... extra) throws Exception {
        int port = LoopbackWorkers.freePort();
        List<String> args = new java.util.ArrayList<>(List.of("check", grid(), "--config", cfg(cfg), "--distributed",
                "--port", String.valueOf(port), "--expect-workers", "2", "--worker-timeout", "90s"));
        args.addAll(List.of(extra));
        CompletableFuture<CliRun> server = CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new)));
        Process a = workers.worker(port);
        Process b = workers.worker(port);
        CliRun r = server.get();
        assertEquals(0, LoopbackWorkers.exitOf(a), "worker a: " + workers.log(0));
        assertEquals(0, LoopbackWorkers.exitOf(b), "worker b: " + workers.log(1));
        assertTrue(workers.log(0).contains("the server ended the run"), workers.log(0));
        return r;
    }

    @Test
    void aModelThatHoldsHasTheLocalRunsCountsAndDepth() throws Exception {
        JsonNode local = local("Grid");
        try (LoopbackWorkers workers = new LoopbackWorkers(tmp)) {
            CliRun r = distributed("Grid", workers, "--json");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            JsonNode d = JSON.readTree(r.out());
            assertEquals("holds", d.get("outcome").asText());
            assertEquals(13 * 13 + 200, local.get("statistics").get("distinct").asLong(), "13 x 13 grid points and the tail");
            assertEquals(local.get("statistics").get("distinct"), d.get("statistics").get("distinct"));
            assertEquals(local.get("statistics").get("depth"), d.get("statistics").get("depth"));
        }
    }

    @Test
    void anInvariantViolationHasTheLocalRunsCountsAndTraceLength() throws Exception {
        JsonNode local = local("GridTail");
        Path out = tmp.resolve("tail.itf.json");
        try (LoopbackWorkers workers = new LoopbackWorkers(tmp)) {
            CliRun r = distributed("GridTail", workers, "--out", out.toString());
            assertEquals(ExitCodes.INVARIANT, r.exit(), r.toString());
            assertTrue(r.out().startsWith("Grid with GridTail.cfg: invariant NotEnd is violated (exit 10)"), r.out());
            assertTrue(r.err().contains("joined"), r.err());
            Trace trace = Itf.read(Files.readString(out));
            Trace localTrace = Itf.fromJson(local.get("trace"));
            assertEquals(225, localTrace.size(), "the end of the tail is 24 + 200 steps from the origin");
            assertEquals(localTrace.size(), trace.size());
            assertEquals(localTrace.states().get(0), trace.states().get(0), "the same initial state");
            assertEquals(localTrace.states().get(224).values(), trace.states().get(224).values(), "the same bad state");
            for (int i = 1; i < trace.size(); i++) {
                assertNotNull(trace.states().get(i).action(), "step " + i + " names its action");
                assertTrue(List.of("Right", "Up", "Tail").contains(trace.states().get(i).action().name()), trace.states().get(i).toString());
            }
            assertTrue(r.out().contains("369 distinct"), "as the local run: " + local.get("statistics") + "\n" + r.out());
        }
    }

    @Test
    void aDeadlockHasTheLocalRunsCountsAndTraceLength() throws Exception {
        JsonNode local = local("GridDeadlock");
        try (LoopbackWorkers workers = new LoopbackWorkers(tmp)) {
            CliRun r = distributed("GridDeadlock", workers, "--json");
            assertEquals(ExitCodes.DEADLOCK, r.exit(), r.toString());
            JsonNode d = JSON.readTree(r.out());
            assertEquals("deadlock", d.get("outcome").asText());
            assertEquals(local.get("statistics").get("distinct"), d.get("statistics").get("distinct"));
            assertEquals(local.get("trace").get("states").size(), d.get("trace").get("states").size());
        }
    }

    @Test
    void fingerprintsSpreadOverAnFpsetServerGiveTheSameCounts() throws Exception {
        JsonNode local = local("Grid");
        int port = LoopbackWorkers.freePort();
        try (LoopbackWorkers processes = new LoopbackWorkers(tmp)) {
            CompletableFuture<CliRun> server = CompletableFuture.supplyAsync(() -> CliRun.of("check", grid(), "--config",
                    cfg("Grid"), "--distributed", "--port", String.valueOf(port), "--fpsets", "1", "--worker-timeout", "90s", "--json"));
            Process fpset = processes.start("fpset", "127.0.0.1:" + port, "--connect-timeout", "90s");
            Process worker = processes.worker(port);
            CliRun r = server.get();
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals(local.get("statistics").get("distinct"), JSON.readTree(r.out()).get("statistics").get("distinct"));
            assertEquals(0, LoopbackWorkers.exitOf(fpset), processes.log(0));
            assertTrue(processes.log(0).contains("released this fingerprint server"), processes.log(0));
            assertEquals(0, LoopbackWorkers.exitOf(worker), processes.log(1));
        }
    }

    /** A worker killed mid-run: TLC's server puts its states back on the queue, the other finishes. */
    @Test
    void killingAWorkerMidRunLosesNoStates() throws Exception {
        CheckRequest request = CheckRequest.of(TestSpecs.spec("Grid"), TestSpecs.DIR.resolve("GridBig.cfg")).withWorkers(1);
        CheckResult local = TlcDriver.shared().check(request);
        assertEquals(251 * 251 + 200, local.statistics().distinct());
        int port = LoopbackWorkers.freePort();
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        try (LoopbackWorkers workers = new LoopbackWorkers(tmp)) {
            Process victim = workers.worker(port);
            Process survivor = workers.worker(port);
            ServeResult served = Cluster.serve(request, new ClusterOptions("127.0.0.1", port, 2, 0, Duration.ofSeconds(90)), r -> {
                events.addAll(r.events());
                if (!killed.get() && r.workers().size() == 2 && r.workers().get(0).expanded() + r.workers().get(1).expanded() > 5_000
                        && r.totals().queue() > 0) {
                    killed.set(true);
                    killQuietly(victim);
                }
            });
            assertTrue(killed.get(), "the run ended before a worker could be killed; events: " + events);
            CheckResult d = served.result();
            assertNotNull(d, String.valueOf(served.failure()));
            assertEquals(Outcome.HOLDS, d.outcome(), d.message());
            assertEquals(local.statistics().distinct(), d.statistics().distinct(), "no state lost");
            assertEquals(local.statistics().depth(), d.statistics().depth());
            assertTrue(events.stream().anyMatch(e -> e.contains("left; the states it was expanding went back on the queue")), events.toString());
            assertEquals(0, LoopbackWorkers.exitOf(survivor), workers.log(1));
        }
    }

    private static void killQuietly(Process victim) {
        try {
            LoopbackWorkers.kill(victim);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLivenessPropertyIsRefusedUpFront() {
        CliRun r = CliRun.of("check", grid(), "--config", cfg("GridLive"), "--distributed", "--port", "1",
                "--worker-timeout", "5s");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("distributed TLC does not check liveness"), r.err());
        assertTrue(r.err().contains("Live"), r.err());
    }

    @Test
    void aSpecThatDoesNotParseFailsAsLocally() {
        CliRun r = CliRun.of("check", TestSpecs.spec("ParseError").toString(), "--distributed", "--worker-timeout", "5s");
        assertEquals(ExitCodes.PARSE, r.exit(), r.toString());
        assertTrue(r.err().contains("ParseError.tla:"), r.err());
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.of("check", grid(), "--config", cfg("Grid"), "--distributed",
                    "--port", String.valueOf(taken.getLocalPort()), "--worker-timeout", "5s");
            assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1 port " + taken.getLocalPort()), r.err());
        }
    }

    @Test
    void noWorkerWithinTheTimeoutEndsTheRun() throws Exception {
        CliRun r = CliRun.of("check", grid(), "--config", cfg("Grid"), "--distributed",
                "--port", String.valueOf(LoopbackWorkers.freePort()), "--expect-workers", "2", "--worker-timeout", "3s");
        assertEquals(ExitCodes.NO_WORKERS, r.exit(), r.toString());
        assertTrue(r.err().contains("only 0 of the 2 expected workers joined within 3 s"), r.err());
    }

    @Test
    void aWorkerThatCannotReachTheServerSaysSo() throws Exception {
        int port = LoopbackWorkers.freePort();
        CliRun r = CliRun.of("worker", "127.0.0.1:" + port, "--connect-timeout", "2s");
        assertEquals(ExitCodes.NO_SERVER, r.exit(), r.toString());
        assertTrue(r.err().contains("no server answers at 127.0.0.1:" + port), r.err());
    }

    @Test
    void distributedOptionsNeedDistributed() {
        CliRun r = CliRun.of("check", grid(), "--config", cfg("Grid"), "--port", "4000");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("need --distributed"), r.err());
    }

    @Test
    void helpWarnsThatTheProtocolIsUnauthenticated() {
        for (String command : List.of("check", "worker", "fpset")) {
            CliRun r = CliRun.of(command, "--help");
            assertTrue(r.out().replaceAll("\\s+", " ").contains("RMI protocol is unauthenticated"), command + ": " + r.out());
        }
    }
}
