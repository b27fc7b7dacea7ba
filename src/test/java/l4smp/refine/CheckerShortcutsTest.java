package l4smp.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import l4smp.tlc.TestSpecs;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortcuts that make checking keep up with the kernel decide exactly as checking without
 * them: a spec parsed again in a used class loader ({@link TraceChecker#reload}), and the memory
 * of steps found good (a step remembered, then the same state and label with another next state).
 */
class CheckerShortcutsTest {
    private static final TlaValue A1 = TlaValue.model("a1");
    private static final TlaValue A2 = TlaValue.model("a2");

    /** Transfer's state: both balances and the log of {@code amounts} withdrawn by a1. */
    private static TraceState state(int a1, int a2, ActionLabel label, int... amounts) {
        List<TlaValue> log = new java.util.ArrayList<>();
        for (int amount : amounts) {
            log.add(TlaValue.rec("acct", A1, "amount", TlaValue.of(amount)));
        }
        return new TraceState(Map.of("balance", TlaValue.fun(Map.of(A1, TlaValue.of(a1), A2, TlaValue.of(a2))),
                "log", TlaValue.seq(log)), label);
    }

    private static ActionLabel label(String action) {
        return new ActionLabel(action, Map.of("a", A1), null);
    }

    /** a1 withdraws {@code amount} from its balance of 1. */
    private static Trace withdrawal(int amount) {
        return Trace.of(List.of("balance", "log"), List.of(state(1, 1, null), state(1 - amount, 1, label("Withdraw"), amount)));
    }

    private static Path amountCfg(Path dir, int amount) throws Exception {
        Path cfg = dir.resolve("Transfer" + amount + ".cfg");
        Files.writeString(cfg, "CONSTANTS Accounts = {a1, a2}\n          Amount = " + amount
                + "\nSPECIFICATION Spec\nINVARIANT NoOverdraft\n");
        return cfg;
    }

    @Test
    void aSpecReloadedInAUsedClassLoaderDecidesAsAFreshlyLoadedOne(@TempDir Path dir) throws Exception {
        Path spec = TestSpecs.spec("Transfer");
        Path two = TestSpecs.cfg("Transfer");
        Path one = amountCfg(dir, 1);
        List<Trace> traces = List.of(withdrawal(1), withdrawal(2));
        List<TraceVerdict> freshTwo;
        List<TraceVerdict> freshOne;
        try (TraceChecker a = TraceChecker.load(spec, two, List.of()); TraceChecker b = TraceChecker.load(spec, one, List.of())) {
            freshTwo = traces.stream().map(a::check).toList();
            freshOne = traces.stream().map(b::check).toList();
        }
        // the two configurations disagree on both traces, so a reload that kept the old constants would show
        assertEquals(TraceVerdict.Kind.NOT_A_STEP, freshTwo.get(0).failure().kind());
        assertEquals(TraceVerdict.Kind.INVARIANT, freshTwo.get(1).failure().kind());
        assertTrue(freshOne.get(0).accepted());
        assertEquals(TraceVerdict.Kind.NOT_A_STEP, freshOne.get(1).failure().kind());

        TraceChecker first = TraceChecker.load(spec, two, List.of());
        assertEquals(freshTwo, traces.stream().map(first::check).toList());
        TraceChecker second = first.reload(spec, one, List.of());
        assertEquals(freshOne, traces.stream().map(second::check).toList());
        TraceChecker third = second.reload(spec, two, List.of());
        try (third) {
            assertEquals(freshTwo, traces.stream().map(third::check).toList());
            second.close(); // a checker that handed its loader on leaves it to the new one
            assertEquals(freshTwo.get(0), third.check(traces.get(0)));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.check(traces.get(0)));
            assertTrue(e.getMessage().contains("reload"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> first.reload(spec, one, List.of()));
        }
    }

    @Test
    void aRememberedStepDoesNotLetAnotherNextStateWithTheSameLabelThrough() throws Exception {
        Trace good = Trace.of(List.of("balance", "log"), List.of(state(1, 1, null), state(2, 1, label("Deposit"), -1)));
        Trace bad = Trace.of(List.of("balance", "log"), List.of(state(1, 1, null), state(3, 1, label("Deposit"), -1)));
        try (TraceChecker remembering = TraceChecker.load(TestSpecs.spec("Transfer"), TestSpecs.cfg("Transfer"), List.of());
             TraceChecker forgetting = TraceChecker.load(TestSpecs.spec("Transfer"), TestSpecs.cfg("Transfer"), List.of())) {
            forgetting.remember(false);
            assertTrue(remembering.check(good).accepted());
            assertTrue(remembering.check(good).accepted()); // the step is remembered now
            TraceVerdict v = remembering.check(bad);
            assertEquals(TraceVerdict.Kind.NOT_A_STEP, v.failure().kind());
            assertEquals(List.of("balance"), v.failure().diverging());
            assertEquals(forgetting.check(bad), v);
        }
    }

    /** A step is skipped as stuttering only if no value changed, down to a field of a record in a sequence. */
    @Test
    void anUnlabelledStepThatChangesOneFieldDeepInsideIsNotTakenForStuttering() throws Exception {
        Trace deposit = Trace.of(List.of("balance", "log"), List.of(state(1, 1, null), state(2, 1, label("Deposit"), -1),
                state(2, 1, null, -1)));
        Trace changedField = Trace.of(List.of("balance", "log"), List.of(state(1, 1, null), state(2, 1, label("Deposit"), -1),
                state(2, 1, null, -2)));
        try (TraceChecker checker = TraceChecker.load(TestSpecs.spec("Transfer"), TestSpecs.cfg("Transfer"), List.of())) {
            assertEquals(TraceVerdict.accepted(2), checker.check(deposit));
            TraceVerdict v = checker.check(changedField);
            assertEquals(TraceVerdict.Kind.NOT_A_STEP, v.failure().kind());
            assertEquals(2, v.failure().index());
            assertTrue(v.failure().diverging().contains("log"), v.failure().toString());
        }
    }
}
