package l4smp.refine;

import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker evaluates an invariant's conjunct only on states whose step changed a variable the
 * conjunct reads (through definitions, LETs and operator arguments): a violation must still be
 * found on the very state where it happens, and the verdicts must be those of evaluating every
 * invariant whole on every state.
 */
class InvariantConjunctsTest {
    private static final String SPEC = """
            ---- MODULE Counters ----
            EXTENDS Naturals
            VARIABLES x, y, z
            Init == x = 0 /\\ y = 0 /\\ z = 0
            IncX == x' = x + 1 /\\ UNCHANGED <<y, z>>
            IncY == y' = y + 1 /\\ UNCHANGED <<x, z>>
            IncZ == z' = z + 1 /\\ UNCHANGED <<x, y>>
            Next == IncX \\/ IncY \\/ IncZ
            Limit == 2
            Below(v) == v < Limit
            TypeOK == /\\ x \\in Nat /\\ y \\in Nat /\\ z \\in Nat
            SmallY == Below(y)
            SmallZ == LET w == z IN w \\in 0..Limit - 1
            Sum == x + y < 5
            ====
            """;

    @TempDir
    static Path dir;
    private static TraceChecker checker;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("Counters.tla"), SPEC);
        Files.writeString(dir.resolve("Counters.cfg"), "INIT Init\nNEXT Next\nINVARIANTS TypeOK SmallY SmallZ Sum\n");
        checker = TraceChecker.load(dir.resolve("Counters.tla"), dir.resolve("Counters.cfg"), List.of());
    }

    @AfterAll
    static void close() {
        checker.close();
    }

    /** A trace from (0, 0, 0) taking the named actions, one letter each: x, y or z. */
    private static Trace run(String steps) {
        List<TraceState> states = new ArrayList<>();
        int[] v = new int[3];
        states.add(state(v, null));
        for (char c : steps.toCharArray()) {
            v[c - 'x']++;
            states.add(state(v, new ActionLabel("Inc" + Character.toUpperCase(c), Map.of(), null)));
        }
        return Trace.of(List.of("x", "y", "z"), states);
    }

    private static TraceState state(int[] v, ActionLabel action) {
        Map<String, TlaValue> values = new LinkedHashMap<>();
        values.put("x", TlaValue.of(v[0]));
        values.put("y", TlaValue.of(v[1]));
        values.put("z", TlaValue.of(v[2]));
        return new TraceState(values, action);
    }

    @Test
    void aViolationIsFoundOnTheStateWhereItHappens() {
        // SmallZ reads z only through a LET; the steps before change x and y only
        TraceVerdict z = checker.check(run("xxyzxz"));
        assertFalse(z.accepted());
        assertEquals(TraceVerdict.Kind.INVARIANT, z.failure().kind());
        assertEquals("SmallZ", z.failure().invariant());
        assertEquals(6, z.failure().index());
        // SmallY reads y through an operator argument
        TraceVerdict y = checker.check(run("zyxy"));
        assertEquals("SmallY", y.failure().invariant());
        assertEquals(4, y.failure().index());
        // Sum reads x and y; the step to state 6 makes x + y = 5
        TraceVerdict sum = checker.check(run("xyzxxx"));
        assertEquals("Sum", sum.failure().invariant());
        assertEquals(6, sum.failure().index());
        assertTrue(checker.check(run("xyzxx")).accepted());
    }

    @Test
    void verdictsAreThoseOfEvaluatingEveryInvariantWholeOnEveryState() {
        String[] runs = {"", "x", "zz", "yy", "xyxyx", "zxyxz", "xxxxx", "yxzyz", "xzxzx", "zyx"};
        try {
            for (String r : runs) {
                checker.incremental(true);
                TraceVerdict incremental = checker.check(run(r));
                checker.incremental(false);
                assertEquals(checker.check(run(r)), incremental, r);
            }
        } finally {
            checker.incremental(true);
        }
    }
}
