package l4smp.tlc.engine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.ClusterOptions;
import l4smp.tlc.ClusterReport;
import l4smp.tlc.JoinReport;
import l4smp.tlc.JoinRequest;
import l4smp.tlc.JoinResult;
import l4smp.tlc.ServeResult;
import l4smp.tlc.worker.BoundSockets;
import l4smp.tlc.worker.ClusterEngine;
import tlc2.output.MP;
import util.ToolIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** TLC's distributed mode behind l4smp's boundary: one role per JVM (see {@link ClusterEngine}). */
public final class ClusterEngineImpl implements ClusterEngine {

    @Override
    public ServeResult serve(CheckRequest request, ClusterOptions options, Path scratch, Consumer<ClusterReport> progress) {
        return new ClusterServer(request, options, scratch, progress).run();
    }

    @Override
    public JoinResult join(JoinRequest request, Path scratch, Consumer<JoinReport> progress) {
        MP.setRecorder(new Recorder());
        ToolIO.out = System.err; // TLC's chatter: the worker JVM's stderr, kept by the parent to explain a crash
        ToolIO.err = System.err;
        try {
            BoundSockets.install(request.advertise());
        } catch (IOException e) {
            return new JoinResult(JoinResult.Status.FAILED, "cannot listen on " + request.advertise() + ": " + e.getMessage(), 0);
        }
        try {
            return request.role() == JoinRequest.Role.WORKER ? new ClusterWorkers(request, progress).run()
                    : new ClusterFingerprints(request, scratch, progress).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JoinResult(JoinResult.Status.FAILED, "interrupted", 0);
        }
    }
}
