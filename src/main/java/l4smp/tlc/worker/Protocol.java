package l4smp.tlc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.tlc.Progress;
import l4smp.tlc.SpecProblem;
import l4smp.tlc.Statistics;
import l4smp.trace.Trace;
import l4smp.trace.format.Itf;
import l4smp.trace.format.TraceFormatException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's wire format: one JSON object per line. The parent sends requests
 * ({@code {"check": {...}}} or {@code {"quit": true}}); the worker answers with any number of
 * {@code {"progress": {...}}} lines and then one {@code {"result": {...}}} line. Traces travel
 * as ITF, so every run also exercises the ITF writer and reader.
 */
public final class Protocol {
    static final ObjectMapper JSON = new ObjectMapper();

    private Protocol() {
    }

    public static String checkRequestLine(CheckRequest r) {
        ObjectNode root = JSON.createObjectNode();
        root.set("check", requestNode(r));
        return root.toString();
    }

    public static String behavioursRequestLine(CheckRequest r) {
        ObjectNode root = JSON.createObjectNode();
        root.set("behaviours", requestNode(r));
        return root.toString();
    }

    static ObjectNode requestNode(CheckRequest r) {
        ObjectNode c = JSON.createObjectNode();
        c.put("spec", r.spec().toString());
        c.put("config", r.config().toString());
        c.put("workers", r.workers());
        if (r.checkDeadlock() != null) c.put("checkDeadlock", r.checkDeadlock());
        if (r.simulation() != null) {
            c.putObject("simulation").put("depth", r.simulation().depth()).put("traces", r.simulation().traces());
        }
        if (r.seed() != null) c.put("seed", r.seed());
        if (r.timeout() != null) c.put("timeoutMillis", r.timeout().toMillis());
        ArrayNode lib = c.putArray("libraryPath");
        r.libraryPath().forEach(p -> lib.add(p.toString()));
        return c;
    }

    static CheckRequest readCheckRequest(JsonNode c) {
        List<Path> lib = new ArrayList<>();
        c.path("libraryPath").forEach(p -> lib.add(Path.of(p.asText())));
        JsonNode sim = c.get("simulation");
        return new CheckRequest(Path.of(c.get("spec").asText()), Path.of(c.get("config").asText()),
                c.path("workers").asInt(0),
                c.has("checkDeadlock") ? c.get("checkDeadlock").asBoolean() : null,
                sim == null ? null : new CheckRequest.Simulation(sim.get("depth").asInt(), sim.get("traces").asLong()),
                c.has("seed") ? c.get("seed").asLong() : null,
                c.has("timeoutMillis") ? Duration.ofMillis(c.get("timeoutMillis").asLong()) : null,
                lib);
    }

    static String traces(List<Trace> traces) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode a = root.putArray("traces");
        traces.forEach(t -> a.add(Itf.toJson(t)));
        return root.toString();
    }

    static String error(String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("error", message);
        return root.toString();
    }

    static String progress(Progress p) {
        ObjectNode root = JSON.createObjectNode();
        root.set("progress", progressNode(p));
        return root.toString();
    }

    static ObjectNode progressNode(Progress p) {
        return JSON.createObjectNode().put("generated", p.generated()).put("distinct", p.distinct())
                .put("queue", p.queue()).put("depth", p.depth()).put("elapsedMillis", p.elapsedMillis());
    }

    public static Progress readProgressNode(JsonNode p) {
        return new Progress(p.get("generated").asLong(), p.get("distinct").asLong(), p.get("queue").asLong(),
                p.path("depth").asLong(Statistics.UNKNOWN), p.get("elapsedMillis").asLong());
    }

    static String result(CheckResult r) {
        ObjectNode root = JSON.createObjectNode();
        root.set("result", resultToJson(r));
        return root.toString();
    }

    /** The result as JSON; also what {@code l4smp check --json} prints. */
    public static ObjectNode resultToJson(CheckResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("outcome", r.outcome().label());
        if (r.violated() != null) o.put("violated", r.violated());
        if (!r.candidates().isEmpty()) {
            ArrayNode c = o.putArray("candidates");
            r.candidates().forEach(c::add);
        }
        Statistics s = r.statistics();
        ObjectNode stats = o.putObject("statistics");
        count(stats, "generated", s.generated());
        count(stats, "distinct", s.distinct());
        count(stats, "queue", s.queue());
        count(stats, "depth", s.depth());
        stats.put("traces", s.traces()).put("wallMillis", s.wallMillis());
        ArrayNode problems = o.putArray("problems");
        for (SpecProblem p : r.problems()) {
            ObjectNode n = problems.addObject();
            if (p.file() != null) n.put("file", p.file());
            if (p.module() != null) n.put("module", p.module());
            n.put("line", p.line()).put("column", p.column()).put("message", p.message());
        }
        ArrayNode warnings = o.putArray("warnings");
        r.warnings().forEach(warnings::add);
        if (r.message() != null) o.put("message", r.message());
        if (r.trace() != null) o.set("trace", Itf.toJson(r.trace()));
        return o;
    }

    /** A count, or null when TLC did not report it. */
    private static void count(ObjectNode o, String name, long value) {
        if (Statistics.known(value)) o.put(name, value);
        else o.putNull(name);
    }

    private static long count(JsonNode s, String name) {
        JsonNode n = s.path(name);
        return n.isNull() ? Statistics.UNKNOWN : n.asLong();
    }

    /** The traces of a {@code behaviours} answer. */
    public static List<Trace> readTraces(JsonNode o) throws TraceFormatException {
        List<Trace> out = new ArrayList<>();
        for (JsonNode t : o.get("traces")) out.add(Itf.fromJson(t));
        return out;
    }

    public static CheckResult readResult(JsonNode o) throws TraceFormatException {
        List<String> candidates = new ArrayList<>();
        o.path("candidates").forEach(c -> candidates.add(c.asText()));
        JsonNode s = o.path("statistics");
        Statistics stats = new Statistics(count(s, "generated"), count(s, "distinct"), count(s, "queue"), count(s, "depth"),
                s.path("traces").asLong(), s.path("wallMillis").asLong());
        List<SpecProblem> problems = new ArrayList<>();
        for (JsonNode p : o.path("problems")) {
            problems.add(new SpecProblem(p.path("file").asText(null), p.path("module").asText(null),
                    p.path("line").asInt(), p.path("column").asInt(), p.path("message").asText()));
        }
        List<String> warnings = new ArrayList<>();
        o.path("warnings").forEach(w -> warnings.add(w.asText()));
        Trace trace = o.has("trace") ? Itf.fromJson(o.get("trace")) : null;
        return new CheckResult(Outcome.valueOf(o.get("outcome").asText().toUpperCase(java.util.Locale.ROOT)),
                o.path("violated").asText(null), candidates, stats, trace, problems, warnings, o.path("message").asText(null));
    }
}
