package l4smp.refine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.TestSpecs;
import l4smp.tlc.TlcDriver;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceCheckerTest {
    static TraceChecker transfer;

    @BeforeAll
    static void load() throws SpecLoadException {
        transfer = TraceChecker.load(TestSpecs.spec("Transfer"), TestSpecs.cfg("Transfer"), List.of());
    }

    @AfterAll
    static void close() {
        transfer.close();
    }

    /** Transfer's behaviour: a1 withdraws 2 (to -1), which NoOverdraft forbids. */
    private static Trace counterexample() {
        return TlcDriver.shared().check(TestSpecs.request("Transfer")).trace();
    }

    @Test
    void theVariablesAreTheSpecsInDeclarationOrder() {
        assertEquals(List.of("balance", "log"), transfer.variables());
    }

    @Test
    void tlcsCounterexampleIsABehaviourThatViolatesTheInvariantAtItsLastState() {
        TraceVerdict v = transfer.check(counterexample());
        assertFalse(v.accepted());
        assertEquals(TraceVerdict.Kind.INVARIANT, v.failure().kind());
        assertEquals(1, v.failure().index());
        assertEquals("NoOverdraft", v.failure().invariant());
    }

    @Test
    void aPrefixThatHoldsIsAccepted() {
        Trace t = counterexample();
        Trace first = Trace.of(t.variables(), List.of(t.state(0)));
        assertEquals(TraceVerdict.accepted(0), transfer.check(first));
    }

    @Test
    void aChangedValueIsNotAStepAndTheVariableIsNamed() {
        Trace t = counterexample();
        Map<String, TlaValue> changed = new LinkedHashMap<>(t.state(1).values());
        changed.put("log", TlaValue.seq());
        Trace bad = Trace.of(t.variables(), List.of(t.state(0), new TraceState(changed, t.state(1).action())));
        TraceVerdict v = transfer.check(bad);
        assertEquals(TraceVerdict.Kind.NOT_A_STEP, v.failure().kind());
        assertEquals(1, v.failure().index());
        assertEquals(List.of("log"), v.failure().diverging());
        assertEquals("Withdraw", v.failure().claimed().name());
        assertTrue(v.failure().message().contains("Withdraw is enabled but does not lead here"), v.failure().message());
    }

    @Test
    void aWrongActionLabelIsRejectedAndTheRealActionNamed() {
        Trace t = counterexample();
        Trace relabelled = Trace.of(t.variables(), List.of(t.state(0),
                new TraceState(t.state(1).values(), new ActionLabel("Deposit", Map.of("a", model("a1")), null))));
        TraceVerdict v = transfer.check(relabelled);
        assertEquals(TraceVerdict.Kind.WRONG_ACTION, v.failure().kind());
        assertEquals("Withdraw", v.failure().enabled().get(0).name());
        Trace wrongParameter = Trace.of(t.variables(), List.of(t.state(0),
                new TraceState(t.state(1).values(), new ActionLabel("Withdraw", Map.of("a", model("a2")), null))));
        assertEquals(TraceVerdict.Kind.WRONG_ACTION, transfer.check(wrongParameter).failure().kind());
    }

    @Test
    void aFirstStateThatIsNotInitialIsRejectedAtZero() {
        Trace t = counterexample();
        Trace bad = Trace.of(t.variables(), List.of(t.state(1)));
        TraceVerdict v = transfer.check(bad);
        assertEquals(TraceVerdict.Kind.NOT_INITIAL, v.failure().kind());
        assertEquals(0, v.failure().index());
        assertEquals(List.of("balance", "log"), v.failure().diverging());
    }

    @Test
    void stutteringIsAccepted() {
        Trace t = counterexample();
        Trace stutter = Trace.of(t.variables(), List.of(t.state(0), new TraceState(t.state(0).values(), ActionLabel.named("KernelStep"))));
        assertTrue(transfer.check(stutter).accepted());
    }

    @Test
    void otherVariablesAreRejected() {
        Trace t = Trace.of(List.of("x"), List.of(new TraceState(Map.of("x", of(1)), null)));
        assertEquals(TraceVerdict.Kind.VARIABLES, transfer.check(t).failure().kind());
    }

    @Test
    void everySimulatedBehaviourIsAccepted() throws SpecLoadException {
        List<Trace> behaviours = TlcDriver.shared().behaviours(TestSpecs.request("Holds")
                .withSimulation(new CheckRequest.Simulation(12, 20)).withSeed(3L));
        assertEquals(20, behaviours.size());
        assertTrue(behaviours.stream().allMatch(b -> b.size() == 12), "no deadlock in Holds: every behaviour is 12 states long");
        try (TraceChecker holds = TraceChecker.load(TestSpecs.spec("Holds"), TestSpecs.cfg("Holds"), List.of())) {
            for (Trace b : behaviours) {
                TraceVerdict v = holds.check(b);
                assertTrue(v.accepted(), () -> String.valueOf(v.failure()));
                assertEquals(11, v.stepsChecked());
            }
            // a dropped step is no longer a behaviour
            List<TraceState> dropped = new ArrayList<>(behaviours.get(0).states());
            dropped.remove(3);
            TraceVerdict v = holds.check(Trace.of(behaviours.get(0).variables(), dropped));
            assertEquals(3, v.failure().index());
            assertEquals(TraceVerdict.Kind.NOT_A_STEP, v.failure().kind());
        }
    }

    @Test
    void aLassoIsCheckedWithItsLoopStep() throws SpecLoadException {
        Trace lasso = TlcDriver.shared().check(TestSpecs.request("Lasso")).trace();
        try (TraceChecker c = TraceChecker.load(TestSpecs.spec("Lasso"), TestSpecs.cfg("Lasso"), List.of())) {
            assertEquals(TraceVerdict.accepted(3), c.check(lasso));
            Trace wrongLoop = new Trace(lasso.variables(), lasso.states(), 1, lasso.loopAction(), Map.of());
            TraceVerdict v = c.check(wrongLoop);
            assertEquals(3, v.failure().index(), "the loop step is reported at the trace's length");
            assertNull(v.failure().invariant());
        }
    }

    @Test
    void aSpecThatDoesNotParseIsNotLoaded() {
        SpecLoadException e = assertThrows(SpecLoadException.class,
                () -> TraceChecker.load(TestSpecs.spec("SemanticError"), TestSpecs.cfg("SemanticError"), List.of()));
        assertTrue(e.getMessage().contains("SemanticError"), e.getMessage());
    }
}
