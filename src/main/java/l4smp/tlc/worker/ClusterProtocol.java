package l4smp.tlc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.ClusterFailure;
import l4smp.tlc.ClusterOptions;
import l4smp.tlc.ClusterReport;
import l4smp.tlc.JoinReport;
import l4smp.tlc.JoinRequest;
import l4smp.tlc.JoinResult;
import l4smp.tlc.Progress;
import l4smp.tlc.ServeResult;
import l4smp.tlc.ServerAddress;
import l4smp.trace.format.TraceFormatException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker protocol's lines for distributed runs (see {@link Protocol} for local ones). The
 * parent sends {@code {"serve": {...}}} or {@code {"join": {...}}}; the worker answers with
 * {@code {"cluster": ...}} or {@code {"joining": ...}} samples, then one {@code {"served": ...}}
 * or {@code {"joined": ...}} line.
 */
public final class ClusterProtocol {
    private ClusterProtocol() {
    }

    public static String serveLine(CheckRequest request, ClusterOptions o) {
        ObjectNode root = Protocol.JSON.createObjectNode();
        ObjectNode serve = root.putObject("serve");
        serve.set("check", Protocol.requestNode(request));
        serve.putObject("options").put("bind", o.bind()).put("port", o.port()).put("expectWorkers", o.expectWorkers())
                .put("fpsets", o.fpsets()).put("workerTimeoutMillis", o.workerTimeout().toMillis());
        return root.toString();
    }

    static CheckRequest readServeRequest(JsonNode serve) {
        return Protocol.readCheckRequest(serve.get("check"));
    }

    static ClusterOptions readServeOptions(JsonNode serve) {
        JsonNode o = serve.get("options");
        return new ClusterOptions(o.get("bind").asText(), o.get("port").asInt(), o.get("expectWorkers").asInt(),
                o.get("fpsets").asInt(), Duration.ofMillis(o.get("workerTimeoutMillis").asLong()));
    }

    public static String joinLine(JoinRequest j) {
        ObjectNode root = Protocol.JSON.createObjectNode();
        root.putObject("join").put("role", j.role().name()).put("host", j.server().host()).put("port", j.server().port())
                .put("advertise", j.advertise()).put("callbackPort", j.callbackPort()).put("threads", j.threads())
                .put("connectTimeoutMillis", j.connectTimeout().toMillis());
        return root.toString();
    }

    static JoinRequest readJoinRequest(JsonNode j) {
        return new JoinRequest(JoinRequest.Role.valueOf(j.get("role").asText()),
                new ServerAddress(j.get("host").asText(), j.get("port").asInt()), j.get("advertise").asText(),
                j.get("callbackPort").asInt(), j.get("threads").asInt(), Duration.ofMillis(j.get("connectTimeoutMillis").asLong()));
    }

    static String report(ClusterReport r) {
        ObjectNode root = Protocol.JSON.createObjectNode();
        ObjectNode c = root.putObject("cluster");
        c.set("totals", Protocol.progressNode(r.totals()));
        c.put("started", r.started());
        ArrayNode workers = c.putArray("workers");
        r.workers().forEach(w -> workers.addObject().put("name", w.name()).put("threads", w.threads()).put("expanded", w.expanded()));
        ArrayNode events = c.putArray("events");
        r.events().forEach(events::add);
        return root.toString();
    }

    public static ClusterReport readReport(JsonNode c) {
        Progress totals = Protocol.readProgressNode(c.get("totals"));
        List<ClusterReport.WorkerLoad> workers = new ArrayList<>();
        c.get("workers").forEach(w -> workers.add(new ClusterReport.WorkerLoad(w.get("name").asText(), w.get("threads").asInt(),
                w.get("expanded").asLong())));
        List<String> events = new ArrayList<>();
        c.get("events").forEach(e -> events.add(e.asText()));
        return new ClusterReport(totals, c.get("started").asBoolean(), workers, events);
    }

    static String served(ServeResult s) {
        ObjectNode root = Protocol.JSON.createObjectNode();
        ObjectNode served = root.putObject("served");
        if (s.result() != null) served.set("result", Protocol.resultToJson(s.result()));
        else served.putObject("failure").put("kind", s.failure().kind().name()).put("message", s.failure().message());
        return root.toString();
    }

    public static ServeResult readServed(JsonNode served) throws TraceFormatException {
        if (served.has("result")) return ServeResult.of(Protocol.readResult(served.get("result")));
        JsonNode f = served.get("failure");
        return ServeResult.failed(ClusterFailure.Kind.valueOf(f.get("kind").asText()), f.get("message").asText());
    }

    static String joining(JoinReport r) {
        ObjectNode root = Protocol.JSON.createObjectNode();
        ObjectNode j = root.putObject("joining");
        if (r.event() != null) j.put("event", r.event());
        j.put("count", r.count()).put("elapsedMillis", r.elapsedMillis());
        return root.toString();
    }

    public static JoinReport readJoining(JsonNode j) {
        return new JoinReport(j.path("event").asText(null), j.get("count").asLong(), j.get("elapsedMillis").asLong());
    }

    static String joined(JoinResult r) {
        ObjectNode root = Protocol.JSON.createObjectNode();
        root.putObject("joined").put("status", r.status().name()).put("message", r.message()).put("expanded", r.expanded());
        return root.toString();
    }

    public static JoinResult readJoined(JsonNode j) {
        return new JoinResult(JoinResult.Status.valueOf(j.get("status").asText()), j.get("message").asText(),
                j.get("expanded").asLong());
    }
}
