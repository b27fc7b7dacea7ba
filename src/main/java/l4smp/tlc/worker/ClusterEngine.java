package l4smp.tlc.worker;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.ClusterOptions;
import l4smp.tlc.ClusterReport;
import l4smp.tlc.JoinReport;
import l4smp.tlc.JoinRequest;
import l4smp.tlc.JoinResult;
import l4smp.tlc.ServeResult;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The boundary between the worker JVM and TLC's distributed mode, like {@link Engine} for local
 * runs: implemented in {@code l4smp.tlc.engine}, loaded with TLC by a fresh {@link IsolatedLoader}.
 * A JVM that serves or joins a distributed run does nothing else: RMI's socket factory and
 * host name are JVM-wide settings.
 */
public interface ClusterEngine {

    /**
     * Runs TLC's server for {@code request}: parses the model, listens, waits for workers, and
     * returns what TLC found or why the run could not be made.
     */
    ServeResult serve(CheckRequest request, ClusterOptions options, Path scratch, Consumer<ClusterReport> progress);

    /** Joins the server as a worker or fingerprint server until the server releases this process. */
    JoinResult join(JoinRequest request, Path scratch, Consumer<JoinReport> progress);
}
