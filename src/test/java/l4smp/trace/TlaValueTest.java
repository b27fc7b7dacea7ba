package l4smp.trace;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static l4smp.trace.TlaValue.of;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlaValueTest {

    @Test
    void aFunctionOnOneToNIsTheSequence() {
        Map<TlaValue, TlaValue> graph = new LinkedHashMap<>();
        graph.put(of(2), str("b"));
        graph.put(of(1), str("a"));
        assertEquals(TlaValue.seq(str("a"), str("b")), TlaValue.fun(graph));
    }

    @Test
    void aFunctionOnStringsIsTheRecordAndTheEmptyFunctionIsTheEmptySequence() {
        Map<TlaValue, TlaValue> graph = new LinkedHashMap<>();
        graph.put(str("y"), of(2));
        graph.put(str("x"), of(1));
        assertEquals(TlaValue.rec("x", of(1), "y", of(2)), TlaValue.fun(graph));
        assertEquals(TlaValue.seq(), TlaValue.fun(Map.of()));
    }

    @Test
    void aFunctionOnOtherArgumentsStaysAFunction() {
        Map<TlaValue, TlaValue> graph = Map.of(TlaValue.model("p"), of(1), of(0), of(2));
        TlaValue f = TlaValue.fun(graph);
        assertInstanceOf(TlaValue.Fun.class, f);
        // 1..2 shifted to 0..1 is not a sequence
        assertInstanceOf(TlaValue.Fun.class, TlaValue.fun(Map.of(of(0), of(5), of(1), of(6))));
    }

    @Test
    void setsIgnoreOrderAndDuplicates() {
        assertEquals(TlaValue.set(of(1), of(2)), TlaValue.set(of(2), of(1), of(2)));
        assertEquals(List.of(of(1), of(2)), ((TlaValue.Set) TlaValue.set(of(2), of(1))).elements());
    }

    @Test
    void modelValuesDifferFromStringsWithTheSameName() {
        assertNotEquals(TlaValue.model("a"), str("a"));
        assertEquals("a", TlaValue.model("a").toString());
        assertEquals("\"a\"", str("a").toString());
    }

    @Test
    void printsAsTlaPlus() {
        TlaValue v = TlaValue.rec("k", TlaValue.seq(TlaValue.set(), of(-3), str("q\"t")),
                "f", TlaValue.fun(Map.of(TlaValue.model("p"), of(true))));
        assertEquals("[f |-> (p :> TRUE), k |-> <<{}, -3, \"q\\\"t\">>]", v.toString());
    }

    @Test
    void theOrderIsTotalAcrossKinds() {
        List<TlaValue> values = List.of(str("s"), of(true), of(BigInteger.TEN.pow(30)), TlaValue.model("m"),
                TlaValue.seq(of(1)), TlaValue.set(of(1)), TlaValue.rec("a", of(1)), new TlaValue.Opaque("Nat"));
        for (TlaValue a : values) {
            for (TlaValue b : values) {
                assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)), a + " vs " + b);
                assertEquals(a.equals(b), a.compareTo(b) == 0, a + " vs " + b);
            }
        }
    }

    @Test
    void aTraceChecksItsStatesAndLoop() {
        TraceState s = new TraceState(Map.of("x", of(1)), null);
        assertThrows(IllegalArgumentException.class, () -> Trace.of(List.of("x", "y"), List.of(s)));
        assertThrows(IllegalArgumentException.class, () -> new Trace(List.of("x"), List.of(s), 1, null, Map.of()));
        Trace t = new Trace(List.of("x"), List.of(s, new TraceState(Map.of("x", of(2)), ActionLabel.named("Inc"))), 0,
                ActionLabel.named("Reset"), Map.of());
        assertTrue(t.isLasso());
        assertEquals(List.of("x"), t.changedAt(1));
        assertEquals(List.of("Inc"), t.actionNames());
    }
}
