package l4smp.tlc.engine;

import l4smp.tlc.JoinReport;
import l4smp.tlc.JoinRequest;
import l4smp.tlc.JoinResult;
import tlc2.tool.distributed.TLCServer;
import tlc2.tool.distributed.TLCServerRMI;
import tlc2.tool.fp.FPSet;
import tlc2.tool.fp.FPSetConfiguration;
import tlc2.tool.fp.FPSetFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.rmi.server.UnicastRemoteObject;
import java.util.function.Consumer;

/**
 * A fingerprint server's part in a distributed run, as TLC's {@code DistributedFPSet.main} sets
 * it up: a fingerprint set in this process, registered with the server, which spreads the
 * fingerprints over all such sets. TLC's set ends this JVM itself when the server closes it at
 * the end of the run ({@code DiskFPSet.exit}); the parent takes that exit, after the set was
 * registered, as the end of the run.
 */
final class ClusterFingerprints {
    private static final long POLL_MILLIS = 2000;

    private final JoinRequest join;
    private final Path scratch;
    private final Consumer<JoinReport> progress;
    private final long start = System.currentTimeMillis();

    ClusterFingerprints(JoinRequest join, Path scratch, Consumer<JoinReport> progress) {
        this.join = join;
        this.scratch = scratch;
        this.progress = progress;
    }

    JoinResult run() throws InterruptedException {
        TLCServerRMI server;
        try {
            server = ServerLookup.find(join, TLCServer.SERVER_NAME, progress, start);
        } catch (ServerLookup.Unreachable e) {
            return new JoinResult(JoinResult.Status.UNREACHABLE, e.getMessage(), 0);
        }
        FPSet fpSet;
        try {
            FPSetConfiguration configuration = new FPSetConfiguration();
            configuration.setFpBits(1); // TLC's choice for a fingerprint server: a MultiFPSet
            fpSet = FPSetFactory.getFPSet(configuration);
            fpSet.init(1, scratch.toString(), "FPSet");
            fpSet.unexportObject(true); // also its nested sets, which only it calls
            UnicastRemoteObject.exportObject(fpSet, join.callbackPort());
            server.registerFPSet(fpSet, join.advertise());
        } catch (RemoteException e) {
            return new JoinResult(JoinResult.Status.LOST_SERVER, "lost the server at " + join.server() + " while registering: "
                    + ServerLookup.cause(e), 0);
        } catch (IOException | RuntimeException e) {
            return new JoinResult(JoinResult.Status.FAILED, "cannot register with the server at " + join.server() + ": " + e, 0);
        }
        progress.accept(new JoinReport("registered with the server at " + join.server() + " as fingerprint server "
                + join.advertise() + ":" + join.callbackPort(), 0, System.currentTimeMillis() - start));
        while (true) {
            Thread.sleep(POLL_MILLIS);
            progress.accept(new JoinReport(null, fpSet.size(), System.currentTimeMillis() - start));
            try {
                server.isDone();
            } catch (RemoteException gone) {
                return new JoinResult(JoinResult.Status.LOST_SERVER, "lost the server at " + join.server() + " mid-run ("
                        + ServerLookup.cause(gone) + ")", 0);
            }
        }
    }
}
