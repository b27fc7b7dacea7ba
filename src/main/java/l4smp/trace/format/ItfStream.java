package l4smp.trace.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.TraceState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An ITF trace file read a state at a time, for traces too long to hold: the states are never all
 * in memory, so a reader's memory does not grow with the trace's length.
 *
 * <p>Two passes over the file: {@link #open} reads everything but the states ({@code #meta},
 * {@code vars}, {@code loop}, wherever they stand, and counts the states), {@link #states} then
 * reads the states in order. A value equal to the same variable's value in the previous state is
 * the previous state's object, so unchanged values (most of them, in a kernel trace) cost nothing.
 */
public final class ItfStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final Path file;
    private final List<String> variables;
    private final Set<String> modelValues;
    private final Map<String, String> meta;
    private final int size;
    private final Integer loopIndex;
    private final ActionLabel loopAction;

    private ItfStream(Path file, List<String> variables, Set<String> modelValues, Map<String, String> meta, int size,
                      Integer loopIndex, ActionLabel loopAction) {
        this.file = file;
        this.variables = List.copyOf(variables);
        this.modelValues = modelValues;
        this.meta = meta;
        this.size = size;
        this.loopIndex = loopIndex;
        this.loopAction = loopAction;
    }

    /** Reads all of {@code file} but its states; fails as {@link Itf#read} would on a malformed trace. */
    public static ItfStream open(Path file) throws IOException, TraceFormatException {
        JsonNode metaNode = null;
        JsonNode varsNode = null;
        JsonNode loopNode = null;
        int states = -1;
        try (JsonParser p = FACTORY.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new TraceFormatException("$: an ITF trace is a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "#meta" -> metaNode = JSON.readTree(p);
                    case "vars" -> varsNode = JSON.readTree(p);
                    case "loop" -> loopNode = JSON.readTree(p);
                    case "states" -> states = count(p, value);
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
        JsonNode meta = metaNode == null ? JSON.createObjectNode() : metaNode;
        Set<String> modelValues = new LinkedHashSet<>();
        for (JsonNode n : meta.path("model-values")) modelValues.add(n.asText());
        List<String> vars = Itf.variables(varsNode);
        if (states < 1) throw new TraceFormatException("$.states: missing, or not a non-empty array of states");
        Integer loop = Itf.loop(loopNode, states);
        Itf.Reader reader = new Itf.Reader(modelValues);
        ActionLabel loopAction = meta.has("loop-action") ? reader.action(meta.get("loop-action"), "$.#meta.loop-action") : null;
        if (loop == null && loopAction != null) throw new TraceFormatException("$.#meta.loop-action: given, but the trace has no loop");
        return new ItfStream(file, vars, modelValues, Itf.traceMeta(meta), states, loop, loopAction);
    }

    private static int count(JsonParser p, JsonToken start) throws IOException, TraceFormatException {
        if (start != JsonToken.START_ARRAY) throw new TraceFormatException("$.states: not an array of states");
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            p.skipChildren();
            n++;
        }
        return n;
    }

    private static TraceFormatException notJson(JsonProcessingException e) {
        return new TraceFormatException("not JSON: line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    }

    public List<String> variables() {
        return variables;
    }

    public Map<String, String> meta() {
        return meta;
    }

    /** The number of states. */
    public int size() {
        return size;
    }

    public boolean isLasso() {
        return loopIndex != null;
    }

    /** As {@link l4smp.trace.Trace#loopIndex()}. */
    public Integer loopIndex() {
        return loopIndex;
    }

    public ActionLabel loopAction() {
        return loopAction;
    }

    /** As {@link l4smp.trace.Trace#endsStuttering()}. */
    public boolean endsStuttering() {
        return loopIndex != null && loopIndex == size - 1 && loopAction == null;
    }

    /** The states in order, read from the file as they are asked for; close it when done. */
    public States states() throws IOException {
        return new States();
    }

    /** A pass over the states. Its errors are {@link TraceFormatException}s wrapped in {@link UncheckedTraceFormatException}. */
    public final class States implements Iterator<TraceState>, AutoCloseable {
        private final JsonParser parser;
        private final Itf.Reader reader = new Itf.Reader(modelValues);
        private int next;
        private TraceState previous;

        private States() throws IOException {
            parser = FACTORY.createParser(file.toFile());
            try {
                parser.nextToken();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    if (field.equals("states")) return;
                    parser.skipChildren();
                }
            } catch (JsonProcessingException e) {
                throw new UncheckedTraceFormatException(notJson(e));
            }
            throw new UncheckedTraceFormatException(new TraceFormatException("$.states: missing"));
        }

        /** The index of the state {@link #next()} returns. */
        public int index() {
            return next;
        }

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public TraceState next() {
            if (!hasNext()) throw new NoSuchElementException();
            try {
                parser.nextToken();
                JsonNode node = JSON.readTree(parser);
                TraceState s = shareUnchanged(reader.state(node, "$.states[" + next + "]", variables));
                previous = s;
                next++;
                return s;
            } catch (JsonProcessingException e) {
                throw new UncheckedTraceFormatException(notJson(e));
            } catch (TraceFormatException e) {
                throw new UncheckedTraceFormatException(e);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The state, with each value equal to the previous state's replaced by that object. */
        private TraceState shareUnchanged(TraceState s) {
            if (previous == null) return s;
            Map<String, TlaValue> values = new LinkedHashMap<>();
            boolean shared = false;
            for (Map.Entry<String, TlaValue> e : s.values().entrySet()) {
                TlaValue before = previous.values().get(e.getKey());
                boolean same = e.getValue().equals(before);
                values.put(e.getKey(), same ? before : e.getValue());
                shared |= same;
            }
            return shared ? new TraceState(values, s.action()) : s;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** A malformed state, met while iterating. */
    public static final class UncheckedTraceFormatException extends RuntimeException {
        public UncheckedTraceFormatException(TraceFormatException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized TraceFormatException getCause() {
            return (TraceFormatException) super.getCause();
        }
    }

    /** The states from {@code from} to {@code to} (inclusive), read afresh. */
    public List<TraceState> read(int from, int to) throws IOException {
        List<TraceState> out = new ArrayList<>();
        try (States s = states()) {
            while (s.hasNext() && s.index() <= to) {
                int i = s.index();
                TraceState st = s.next();
                if (i >= from) out.add(st);
            }
        }
        return out;
    }
}
