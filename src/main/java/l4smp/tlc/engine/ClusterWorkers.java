package l4smp.tlc.engine;

import l4smp.tlc.JoinReport;
import l4smp.tlc.JoinRequest;
import l4smp.tlc.JoinResult;
import tlc2.tool.distributed.InternRMI;
import tlc2.tool.distributed.RMIFilenameToStreamResolver;
import tlc2.tool.distributed.TLCApp;
import tlc2.tool.distributed.TLCServer;
import tlc2.tool.distributed.TLCServerRMI;
import tlc2.tool.distributed.fp.IFPSetManager;
import tlc2.util.FP64;
import util.UniqueString;

import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A worker process's part in a distributed run, as TLC's {@code TLCWorker.main} sets it up:
 * the spec and cfg come from the server, so do the fingerprint polynomial and the interned
 * names; then each thread registers with the server, which hands it states until the run ends.
 */
final class ClusterWorkers {
    /** How often the server is asked whether it is still there. */
    private static final long POLL_MILLIS = 2000;

    private final JoinRequest join;
    private final Consumer<JoinReport> progress;
    private final long start = System.currentTimeMillis();

    ClusterWorkers(JoinRequest join, Consumer<JoinReport> progress) {
        this.join = join;
        this.progress = progress;
    }

    JoinResult run() throws InterruptedException {
        TLCServerRMI server;
        try {
            server = ServerLookup.find(join, TLCServer.SERVER_WORKER_NAME, progress, start);
        } catch (ServerLookup.Unreachable e) {
            return new JoinResult(JoinResult.Status.UNREACHABLE, e.getMessage(), 0);
        }
        List<ClusterWorker> threads = new ArrayList<>();
        CountDownLatch released = new CountDownLatch(join.threads());
        try {
            FP64.Init(server.getIrredPolyForFP());
            UniqueString.setSource((InternRMI) server); // before any name is interned: the server's numbering
            RMIFilenameToStreamResolver files = new RMIFilenameToStreamResolver();
            files.setTLCServer(server);
            TLCApp app = new TLCApp(server.getSpecFileName(), server.getConfigFileName(), Boolean.FALSE, files);
            boolean deadlock = server.getCheckDeadlock() && app.tool.getModelConfig().getCheckDeadlock();
            LevelledApp work = new LevelledApp(app, deadlock);
            IFPSetManager fingerprints = server.getFPSetManager();
            for (int t = 0; t < join.threads(); t++) {
                ClusterWorker w = ClusterWorker.create(t, work, fingerprints, join.advertise(), join.callbackPort(), released);
                threads.add(w);
                server.registerWorker(w);
            }
            progress.accept(new JoinReport("joined the server at " + join.server() + " with " + join.threads()
                    + (join.threads() == 1 ? " thread" : " threads") + " as " + join.advertise() + ":" + join.callbackPort()
                    + "; checking " + app.getFileName(), 0, elapsed()));
            return await(server, threads, released);
        } catch (RemoteException e) {
            return new JoinResult(JoinResult.Status.LOST_SERVER, "lost the server at " + join.server() + " while joining: "
                    + ServerLookup.cause(e), expanded(threads));
        } catch (java.io.IOException | RuntimeException e) {
            return new JoinResult(JoinResult.Status.FAILED, "cannot join the server at " + join.server() + ": " + e, expanded(threads));
        } finally {
            threads.forEach(ClusterWorker::leave);
        }
    }

    /** Until the server releases every thread, or stops answering. */
    private JoinResult await(TLCServerRMI server, List<ClusterWorker> threads, CountDownLatch released)
            throws InterruptedException {
        long lastPoll = System.currentTimeMillis();
        while (!released.await(1, TimeUnit.SECONDS)) {
            progress.accept(new JoinReport(null, expanded(threads), elapsed()));
            if (System.currentTimeMillis() - lastPoll < POLL_MILLIS) continue;
            lastPoll = System.currentTimeMillis();
            try {
                if (server.isDone()) break; // ended without releasing this worker (e.g. it had been dropped)
            } catch (RemoteException gone) {
                if (released.getCount() == 0) break;
                return new JoinResult(JoinResult.Status.LOST_SERVER, "lost the server at " + join.server() + " mid-run ("
                        + ServerLookup.cause(gone) + "); this worker expanded " + String.format("%,d", expanded(threads)) + " states", expanded(threads));
            }
        }
        return new JoinResult(JoinResult.Status.FINISHED, "the server ended the run; this worker expanded "
                + String.format("%,d", expanded(threads)) + " states", expanded(threads));
    }

    private static long expanded(List<ClusterWorker> threads) {
        return threads.stream().mapToLong(ClusterWorker::expanded).sum();
    }

    private long elapsed() {
        return System.currentTimeMillis() - start;
    }
}
