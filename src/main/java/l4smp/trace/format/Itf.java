package l4smp.trace.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.trace.ActionLabel;
import l4smp.trace.SourceLocation;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Informal Trace Format (ITF) of Apalache and Quint
 * (https://apalache-mc.org/docs/adr/015adr-trace.html), written and read back.
 *
 * <p>Values: integers as {@code {"#bigint": "-12"}}, sequences as JSON arrays, sets as
 * {@code {"#set": [...]}}, functions as {@code {"#map": [[k, v], ...]}}, records as objects,
 * strings as strings, values without a finite form as {@code {"#unserializable": "..."}}. ITF has
 * no model values; like Apalache's uninterpreted constants they are written as strings, and the
 * trace's {@code #meta} lists their names under {@code "model-values"} so that l4smp reads them
 * back as model values. {@code {"#tup": [...]}} is read as a sequence (TLA+ does not tell tuples
 * from sequences).
 *
 * <p>l4smp's additions live in {@code #meta} objects, which ITF readers ignore: each state's
 * {@code #meta} has its {@code index} and the {@code action} that produced it
 * ({@code {"name", "parameters", "location"}}); the trace's {@code #meta} has
 * {@code "loop-action"} for a lasso and the trace's descriptive fields.
 */
public final class Itf {
    public static final String FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Itf() {
    }

    // ---------------------------------------------------------------- writing

    public static String write(Trace trace) {
        try {
            return JSON.writeValueAsString(toJson(trace)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    public static ObjectNode toJson(Trace trace) {
        Set<String> modelValues = new TreeSet<>();
        Set<String> strings = new TreeSet<>();
        for (TraceState s : trace.states()) {
            s.values().values().forEach(v -> collectNames(v, modelValues, strings));
        }
        Set<String> clash = new TreeSet<>(modelValues);
        clash.retainAll(strings);
        if (!clash.isEmpty()) {
            throw new IllegalArgumentException("cannot write ITF: " + clash
                    + " occur both as model values and as strings, and ITF writes both as strings");
        }

        ObjectNode root = NODES.objectNode();
        ObjectNode meta = root.putObject("#meta");
        meta.put("format", "ITF");
        meta.put("format-description", FORMAT_DESCRIPTION);
        trace.meta().forEach(meta::put);
        if (!modelValues.isEmpty()) {
            ArrayNode mv = meta.putArray("model-values");
            modelValues.forEach(mv::add);
        }
        if (trace.loopAction() != null) meta.set("loop-action", actionToJson(trace.loopAction()));

        ArrayNode vars = root.putArray("vars");
        trace.variables().forEach(vars::add);
        ArrayNode states = root.putArray("states");
        for (int i = 0; i < trace.states().size(); i++) {
            TraceState s = trace.states().get(i);
            ObjectNode state = states.addObject();
            ObjectNode stateMeta = state.putObject("#meta");
            stateMeta.put("index", i);
            if (s.action() != null) stateMeta.set("action", actionToJson(s.action()));
            for (String v : trace.variables()) state.set(v, valueToJson(s.values().get(v)));
        }
        if (trace.loopIndex() != null) root.put("loop", trace.loopIndex());
        return root;
    }

    private static ObjectNode actionToJson(ActionLabel a) {
        ObjectNode node = NODES.objectNode();
        node.put("name", a.name());
        if (!a.parameters().isEmpty()) {
            ObjectNode params = node.putObject("parameters");
            a.parameters().forEach((k, v) -> params.set(k, valueToJson(v)));
        }
        if (a.location() != null) node.put("location", a.location().toString());
        return node;
    }

    public static JsonNode valueToJson(TlaValue value) {
        if (value instanceof TlaValue.Bool b) return NODES.booleanNode(b.value());
        if (value instanceof TlaValue.Int i) return NODES.objectNode().put("#bigint", i.value().toString());
        if (value instanceof TlaValue.Str s) return NODES.textNode(s.value());
        if (value instanceof TlaValue.ModelValue m) return NODES.textNode(m.name());
        if (value instanceof TlaValue.Seq s) {
            ArrayNode a = NODES.arrayNode();
            s.elements().forEach(e -> a.add(valueToJson(e)));
            return a;
        }
        if (value instanceof TlaValue.Set s) {
            ObjectNode o = NODES.objectNode();
            ArrayNode a = o.putArray("#set");
            s.elements().forEach(e -> a.add(valueToJson(e)));
            return o;
        }
        if (value instanceof TlaValue.Rec r) {
            ObjectNode o = NODES.objectNode();
            r.fields().forEach((k, v) -> o.set(k, valueToJson(v)));
            return o;
        }
        if (value instanceof TlaValue.Fun f) {
            ObjectNode o = NODES.objectNode();
            ArrayNode a = o.putArray("#map");
            f.mapping().forEach((k, v) -> a.addArray().add(valueToJson(k)).add(valueToJson(v)));
            return o;
        }
        return NODES.objectNode().put("#unserializable", ((TlaValue.Opaque) value).text());
    }

    private static void collectNames(TlaValue v, Set<String> modelValues, Set<String> strings) {
        if (v instanceof TlaValue.ModelValue m) modelValues.add(m.name());
        else if (v instanceof TlaValue.Str s) strings.add(s.value());
        else if (v instanceof TlaValue.Seq s) s.elements().forEach(e -> collectNames(e, modelValues, strings));
        else if (v instanceof TlaValue.Set s) s.elements().forEach(e -> collectNames(e, modelValues, strings));
        else if (v instanceof TlaValue.Rec r) r.fields().values().forEach(e -> collectNames(e, modelValues, strings));
        else if (v instanceof TlaValue.Fun f) f.mapping().forEach((k, e) -> {
            collectNames(k, modelValues, strings);
            collectNames(e, modelValues, strings);
        });
    }

    // ---------------------------------------------------------------- reading

    public static Trace read(String json) throws TraceFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TraceFormatException("not JSON: line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        return fromJson(root);
    }

    public static Trace fromJson(JsonNode root) throws TraceFormatException {
        if (root == null || !root.isObject()) throw new TraceFormatException("$: an ITF trace is a JSON object");
        JsonNode meta = root.path("#meta");
        Set<String> modelValues = new LinkedHashSet<>();
        for (JsonNode n : meta.path("model-values")) modelValues.add(n.asText());
        Reader reader = new Reader(modelValues);

        List<String> vars = variables(root.get("vars"));
        JsonNode statesNode = root.get("states");
        if (statesNode == null || !statesNode.isArray() || statesNode.isEmpty()) {
            throw new TraceFormatException("$.states: missing, or not a non-empty array of states");
        }
        List<TraceState> states = new ArrayList<>();
        for (int i = 0; i < statesNode.size(); i++) {
            states.add(reader.state(statesNode.get(i), "$.states[" + i + "]", vars));
        }
        Integer loop = loop(root.get("loop"), states.size());
        ActionLabel loopAction = meta.has("loop-action") ? reader.action(meta.get("loop-action"), "$.#meta.loop-action") : null;
        if (loop == null && loopAction != null) throw new TraceFormatException("$.#meta.loop-action: given, but the trace has no loop");
        return new Trace(vars, states, loop, loopAction, traceMeta(meta));
    }

    static List<String> variables(JsonNode varsNode) throws TraceFormatException {
        List<String> vars = new ArrayList<>();
        if (varsNode == null || !varsNode.isArray()) throw new TraceFormatException("$.vars: missing, or not an array of variable names");
        for (JsonNode v : varsNode) {
            if (!v.isTextual()) throw new TraceFormatException("$.vars: " + v + " is not a variable name");
            vars.add(v.asText());
        }
        return vars;
    }

    /** The loop index, or {@code null} for a finite trace. */
    static Integer loop(JsonNode l, int states) throws TraceFormatException {
        if (l == null) return null;
        if (!l.canConvertToInt() || l.asInt() < 0 || l.asInt() >= states) {
            throw new TraceFormatException("$.loop: " + l + " is not a state index in 0.." + (states - 1));
        }
        return l.asInt();
    }

    /** The trace's descriptive fields: {@code #meta} without ITF's own and l4smp's structured ones. */
    static Map<String, String> traceMeta(JsonNode meta) {
        Map<String, String> traceMeta = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("format") || k.equals("format-description") || k.equals("model-values") || k.equals("loop-action")) continue;
            traceMeta.put(k, e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return traceMeta;
    }

    /** Reads states, actions and values, knowing which strings are model values. */
    record Reader(Set<String> modelValues) {

        TraceState state(JsonNode node, String path, List<String> vars) throws TraceFormatException {
            if (!node.isObject()) throw new TraceFormatException(path + ": a state is a JSON object");
            Map<String, TlaValue> values = new LinkedHashMap<>();
            for (String v : vars) {
                if (!node.has(v)) throw new TraceFormatException(path + ": variable '" + v + "' is missing");
                values.put(v, value(node.get(v), path + "." + v));
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("#meta") && !vars.contains(k)) {
                    throw new TraceFormatException(path + ": '" + k + "' is not one of the declared vars " + vars);
                }
            }
            JsonNode action = node.path("#meta").get("action");
            return new TraceState(values, action == null ? null : action(action, path + ".#meta.action"));
        }

        ActionLabel action(JsonNode node, String path) throws TraceFormatException {
            if (node.isTextual()) return ActionLabel.named(node.asText());
            if (!node.isObject() || !node.path("name").isTextual()) {
                throw new TraceFormatException(path + ": an action is a name or an object with a \"name\"");
            }
            Map<String, TlaValue> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("parameters").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), value(e.getValue(), path + ".parameters." + e.getKey()));
            }
            String loc = node.path("location").asText(null);
            return new ActionLabel(node.get("name").asText(), params, SourceLocation.parse(loc));
        }

        TlaValue value(JsonNode node, String path) throws TraceFormatException {
            switch (node.getNodeType()) {
                case BOOLEAN:
                    return TlaValue.of(node.booleanValue());
                case STRING:
                    return modelValues.contains(node.textValue()) ? TlaValue.model(node.textValue()) : TlaValue.str(node.textValue());
                case NUMBER:
                    if (!node.isIntegralNumber()) throw new TraceFormatException(path + ": " + node + " is not an integer");
                    return TlaValue.of(node.bigIntegerValue());
                case ARRAY:
                    List<TlaValue> elements = new ArrayList<>();
                    for (int i = 0; i < node.size(); i++) elements.add(value(node.get(i), path + "[" + i + "]"));
                    return TlaValue.seq(elements);
                case OBJECT:
                    return object(node, path);
                default:
                    throw new TraceFormatException(path + ": " + node.getNodeType() + " is not an ITF value");
            }
        }

        private TlaValue object(JsonNode node, String path) throws TraceFormatException {
            if (node.size() == 1) {
                String key = node.fieldNames().next();
                JsonNode body = node.get(key);
                switch (key) {
                    case "#bigint":
                        try {
                            return TlaValue.of(new java.math.BigInteger(body.asText()));
                        } catch (NumberFormatException e) {
                            throw new TraceFormatException(path + ".#bigint: \"" + body.asText() + "\" is not an integer");
                        }
                    case "#tup":
                        return list(body, path + ".#tup");
                    case "#set":
                        return TlaValue.set(((TlaValue.Seq) list(body, path + ".#set")).elements());
                    case "#map":
                        return map(body, path + ".#map");
                    case "#unserializable":
                        return new TlaValue.Opaque(body.asText());
                    default:
                        if (key.startsWith("#")) throw new TraceFormatException(path + ": unknown ITF tag '" + key + "'");
                }
            }
            if (node.isEmpty()) return TlaValue.seq();
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), value(e.getValue(), path + "." + e.getKey()));
            }
            return new TlaValue.Rec(fields);
        }

        private TlaValue list(JsonNode body, String path) throws TraceFormatException {
            if (!body.isArray()) throw new TraceFormatException(path + ": expected an array");
            return value(body, path);
        }

        private TlaValue map(JsonNode body, String path) throws TraceFormatException {
            if (!body.isArray()) throw new TraceFormatException(path + ": expected an array of [key, value] pairs");
            Map<TlaValue, TlaValue> graph = new LinkedHashMap<>();
            for (int i = 0; i < body.size(); i++) {
                JsonNode pair = body.get(i);
                if (!pair.isArray() || pair.size() != 2) throw new TraceFormatException(path + "[" + i + "]: expected a [key, value] pair");
                TlaValue k = value(pair.get(0), path + "[" + i + "][0]");
                if (graph.put(k, value(pair.get(1), path + "[" + i + "][1]")) != null) {
                    throw new TraceFormatException(path + "[" + i + "]: key " + k + " appears twice");
                }
            }
            return TlaValue.fun(graph);
        }
    }
}
