package l4smp.trace.format;

import l4smp.trace.ActionLabel;
import l4smp.trace.SourceLocation;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.of;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItfTest {

    /** One state holding a value of every kind ITF knows, and then some. */
    static Trace everyKind() {
        Map<TlaValue, TlaValue> graph = new LinkedHashMap<>();
        graph.put(model("p1"), TlaValue.set(of(1), of(2)));
        graph.put(model("p2"), TlaValue.set());
        Map<String, TlaValue> s0 = new LinkedHashMap<>();
        s0.put("set", TlaValue.set(of(3), of(1), TlaValue.set(of(-1))));
        s0.put("seq", TlaValue.seq(str("a"), TlaValue.seq(), of(7)));
        s0.put("rec", TlaValue.rec("state", str("polling"), "partner", model("t2")));
        s0.put("fun", TlaValue.fun(graph));
        s0.put("str", str("quote \" backslash \\ newline \n tab \t unicode \u00e9"));
        s0.put("mv", model("Nil"));
        s0.put("neg", of(-42));
        s0.put("big", of(new BigInteger("-123456789012345678901234567890")));
        s0.put("bool", of(false));
        s0.put("opaque", new TlaValue.Opaque("Nat"));
        Map<String, TlaValue> s1 = new LinkedHashMap<>(s0);
        s1.put("neg", of(-43));
        s1.put("mv", model("t1"));
        ActionLabel step = new ActionLabel("Send", Map.of("t", model("t1")), new SourceLocation("XpIpc", 10, 1, 14, 30));
        return new Trace(List.copyOf(s0.keySet()), List.of(new TraceState(s0, null), new TraceState(s1, step)), 0,
                ActionLabel.named("Reset"), Map.of("spec", "XpIpc.tla", "outcome", "property_violated"));
    }

    @Test
    void writingThenReadingGivesAnEqualTrace() throws TraceFormatException {
        Trace t = everyKind();
        assertEquals(t, Itf.read(Itf.write(t)));
    }

    @Test
    void writesTheItfEncodings() {
        String json = Itf.write(everyKind());
        assertTrue(json.contains("\"#bigint\" : \"-123456789012345678901234567890\""), json);
        assertTrue(json.contains("\"#set\""));
        assertTrue(json.contains("\"#map\""));
        assertTrue(json.contains("\"loop\" : 0"));
        assertTrue(json.contains("\"model-values\" : [ \"Nil\", \"p1\", \"p2\", \"t1\", \"t2\" ]"), json);
        assertTrue(json.contains("\"#unserializable\" : \"Nat\""));
        assertTrue(json.contains("\"location\" : \"XpIpc:10:1-14:30\""));
    }

    @Test
    void readsTuplesPlainNumbersAndActionNamesGivenAsText() throws TraceFormatException {
        String json = """
                {"vars": ["x", "y"],
                 "states": [{"x": {"#tup": [1, 2]}, "y": 5},
                            {"#meta": {"action": "Step"}, "x": [1, 2], "y": {"#bigint": "6"}}]}
                """;
        Trace t = Itf.read(json);
        assertEquals(TlaValue.seq(of(1), of(2)), t.state(0).get("x"));
        assertEquals(t.state(0).get("x"), t.state(1).get("x"));
        assertEquals(of(5), t.state(0).get("y"));
        assertEquals("Step", t.state(1).action().name());
    }

    @Test
    void badInputSaysWhereAndWhat() {
        assertEquals("$.states[1]: variable 'y' is missing", message("""
                {"vars": ["x", "y"], "states": [{"x": 1, "y": 2}, {"x": 1}]}"""));
        assertEquals("$.states[0].x.#bigint: \"1.5\" is not an integer", message("""
                {"vars": ["x"], "states": [{"x": {"#bigint": "1.5"}}]}"""));
        assertEquals("$.states[0].x: unknown ITF tag '#frob'", message("""
                {"vars": ["x"], "states": [{"x": {"#frob": 1}}]}"""));
        assertEquals("$.loop: 3 is not a state index in 0..0", message("""
                {"vars": ["x"], "states": [{"x": 1}], "loop": 3}"""));
        assertTrue(message("{\"vars\": [\"x\"], \"states\": [").startsWith("not JSON: line 1"));
        assertEquals("$.states[0]: 'z' is not one of the declared vars [x]", message("""
                {"vars": ["x"], "states": [{"x": 1, "z": 2}]}"""));
    }

    @Test
    void refusesAModelValueThatIsAlsoAString() {
        Trace t = Trace.of(List.of("x"), List.of(new TraceState(Map.of("x", TlaValue.set(model("a"), str("a"))), null)));
        assertThrows(IllegalArgumentException.class, () -> Itf.write(t));
    }

    private static String message(String json) {
        return assertThrows(TraceFormatException.class, () -> Itf.read(json)).getMessage();
    }
}
