package l4smp.tlc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import l4smp.tlc.CheckResult;
import l4smp.tlc.JoinRequest;
import l4smp.tlc.JoinResult;
import l4smp.tlc.ServeResult;
import l4smp.tlc.TempDirs;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The worker JVM's side of distributed runs: runs a serve or join request in a fresh TLC. */
final class ClusterRequests {
    private static final String ENGINE = "l4smp.tlc.engine.ClusterEngineImpl";

    private ClusterRequests() {
    }

    static boolean accepts(JsonNode request) {
        return request.has("serve") || request.has("join");
    }

    /** Runs {@code request}, sending its samples and its answer line to {@code answer}. */
    static void run(JsonNode request, int runNumber, Consumer<String> answer) {
        endWithParent();
        if (request.has("serve")) {
            JsonNode serve = request.get("serve");
            answer.accept(TlcWorkerMain.isolated(runNumber, ClusterEngine.class, ENGINE,
                    (engine, scratch) -> ClusterProtocol.served(engine.serve(ClusterProtocol.readServeRequest(serve),
                            ClusterProtocol.readServeOptions(serve), scratch, r -> answer.accept(ClusterProtocol.report(r)))),
                    why -> ClusterProtocol.served(ServeResult.of(CheckResult.internalError(why)))));
        } else {
            JoinRequest join = ClusterProtocol.readJoinRequest(request.get("join"));
            answer.accept(TlcWorkerMain.isolated(runNumber, ClusterEngine.class, ENGINE,
                    (engine, scratch) -> ClusterProtocol.joined(engine.join(join, scratch,
                            r -> answer.accept(ClusterProtocol.joining(r)))),
                    why -> ClusterProtocol.joined(new JoinResult(JoinResult.Status.FAILED, why, 0))));
        }
    }

    /**
     * A distributed run holds this JVM for as long as the server runs, without reading the
     * parent's requests; if the parent l4smp process is killed, nobody would end it. So it ends
     * itself (and its private temporary directory) when the parent is gone.
     */
    private static void endWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            Path own = Path.of(System.getProperty("java.io.tmpdir"));
            if (TempDirs.isOurs(own)) TempDirs.deleteTree(own); // never a shared /tmp: only a directory l4smp made
            Runtime.getRuntime().halt(1);
        }));
    }
}
