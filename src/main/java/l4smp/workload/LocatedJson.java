package l4smp.workload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read into a tree that remembers where each value began, so that a scenario's mistakes can
 * be reported by line and column, semantic ones included (Jackson's own tree forgets locations).
 */
final class LocatedJson {
    /** A JSON value and where it starts. */
    sealed interface Node permits Obj, Arr, Val {
        int line();

        int column();

        default String where() {
            return "line " + line() + ", column " + column();
        }

        default String kind() {
            if (this instanceof Obj) {
                return "an object";
            }
            if (this instanceof Arr) {
                return "a list";
            }
            Object v = ((Val) this).value();
            return v == null ? "null" : v instanceof String ? "a string" : v instanceof Boolean ? "true/false" : "a number";
        }
    }

    /** An object; {@code keys} holds where each field's name stands. */
    record Obj(Map<String, Node> fields, Map<String, String> keys, int line, int column) implements Node {
    }

    record Arr(List<Node> items, int line, int column) implements Node {
    }

    /** A string, a Long (or a BigInteger beyond 64 bits), a Double, a Boolean, or null. */
    record Val(Object value, int line, int column) implements Node {
    }

    private LocatedJson() {
    }

    static Node parse(String text) throws ScenarioException {
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ScenarioException("", "the file is empty; a scenario is a JSON object");
            }
            Node root = read(parser, first);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new ScenarioException("", "more text after the scenario's closing brace").at(location(at));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = e.getOriginalMessage();
            int cut = message.indexOf('\n');
            message = (cut < 0 ? message : message.substring(0, cut)).replaceAll("\\s*\\(for [A-Za-z]+ starting at .*", "");
            throw new ScenarioException("", "malformed JSON: " + message)
                    .at(at == null ? "unknown position" : location(at));
        } catch (IOException e) {
            throw new ScenarioException("", "cannot read the JSON: " + e.getMessage());
        }
    }

    private static Node read(JsonParser parser, JsonToken token) throws IOException, ScenarioException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> fields = new LinkedHashMap<>();
                Map<String, String> keys = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonLocation keyAt = parser.currentTokenLocation();
                    if (fields.containsKey(name)) {
                        throw new ScenarioException("", "field '" + name + "' appears twice").at(location(keyAt));
                    }
                    keys.put(name, location(keyAt));
                    fields.put(name, read(parser, parser.nextToken()));
                }
                return new Obj(fields, keys, line, column);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(parser, next));
                }
                return new Arr(items, line, column);
            }
            case VALUE_STRING -> {
                return new Val(parser.getText(), line, column);
            }
            case VALUE_NUMBER_INT -> {
                // Kept whole: a value beyond 64 bits is the reader's to refuse, naming it as written.
                return new Val(parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue()
                        : (Object) parser.getLongValue(), line, column);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Val(parser.getDoubleValue(), line, column);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Val(token == JsonToken.VALUE_TRUE, line, column);
            }
            case VALUE_NULL -> {
                return new Val(null, line, column);
            }
            default -> throw new ScenarioException("", "unexpected " + token).at("line " + line + ", column " + column);
        }
    }

    private static String location(JsonLocation at) {
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
