package l4smp.tlc;

import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static l4smp.tlc.TestSpecs.check;
import static l4smp.tlc.TestSpecs.request;
import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.of;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLC runs through the driver, asserting outcomes, statistics and the exact counterexamples. */
class TlcDriverTest {

    @Test
    void aModelThatHolds() {
        CheckResult r = check("Holds");
        assertEquals(Outcome.HOLDS, r.outcome(), r.message());
        assertEquals(new Statistics(7, 6, 0, 6, 0, r.statistics().wallMillis()), r.statistics());
        assertNull(r.trace());
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void anInvariantViolationWithItsCounterexample() {
        CheckResult r = check("Transfer");
        assertEquals(Outcome.INVARIANT_VIOLATED, r.outcome());
        assertEquals("NoOverdraft", r.violated());
        Trace t = r.trace();
        assertEquals(List.of("balance", "log"), t.variables());
        assertEquals(2, t.size());
        assertEquals(TlaValue.fun(Map.of(model("a1"), of(1), model("a2"), of(1))), t.state(0).get("balance"));
        assertEquals(TlaValue.seq(), t.state(0).get("log"));
        assertEquals("Withdraw", t.state(1).action().name());
        assertEquals(Map.of("a", model("a1")), t.state(1).action().parameters());
        assertEquals("Transfer", t.state(1).action().location().module());
        assertEquals(10, t.state(1).action().location().beginLine());
        assertEquals(TlaValue.fun(Map.of(model("a1"), of(-1), model("a2"), of(1))), t.state(1).get("balance"));
        assertEquals(TlaValue.seq(TlaValue.rec("acct", model("a1"), "amount", of(2))), t.state(1).get("log"));
        assertFalse(t.isLasso());
        assertTrue(r.statistics().distinct() >= 2 && r.statistics().generated() >= r.statistics().distinct());
    }

    @Test
    void aDeadlockEndsTheTraceInTheStateWithoutSuccessor() {
        CheckResult r = check("Deadlock");
        assertEquals(Outcome.DEADLOCK, r.outcome());
        assertEquals(List.of(of(0), of(1), of(2), of(3)), r.trace().states().stream().map(s -> s.get("x")).toList());
        assertEquals(List.of("Inc", "Inc", "Inc"), r.trace().actionNames());
        assertEquals(Outcome.HOLDS, TlcDriver.shared().check(request("Deadlock").withDeadlock(false)).outcome(),
                "--no-deadlock turns the check off");
    }

    @Test
    void aLivenessViolationIsALassoWithItsLoopBackAction() {
        CheckResult r = check("Lasso");
        assertEquals(Outcome.PROPERTY_VIOLATED, r.outcome());
        assertEquals("EventuallyOff", r.violated());
        Trace t = r.trace();
        assertEquals(List.of(str("green"), str("yellow"), str("red")), t.states().stream().map(s -> s.get("light")).toList());
        assertEquals(List.of("ToYellow", "ToRed"), t.actionNames());
        assertEquals(0, t.loopIndex());
        assertEquals("ToGreen", t.loopAction().name());
        assertFalse(t.endsStuttering());
    }

    @Test
    void aLivenessViolationByStutteringLoopsOnItsLastState() {
        CheckResult r = check("Stutter");
        assertEquals("Done", r.violated());
        Trace t = r.trace();
        assertEquals(List.of(of(0), of(1)), t.states().stream().map(s -> s.get("n")).toList());
        assertEquals(1, t.loopIndex());
        assertTrue(t.endsStuttering());
    }

    @Test
    void theViolatedPropertyIsNamedAmongSeveral() {
        CheckResult r = check("TwoProperties");
        assertEquals(Outcome.PROPERTY_VIOLATED, r.outcome());
        assertEquals("ReachesThree", r.violated());
        assertTrue(r.candidates().isEmpty());
    }

    @Test
    void aSyntaxErrorIsReportedWithFileLineAndColumn() {
        CheckResult r = check("ParseError");
        assertEquals(Outcome.PARSE_ERROR, r.outcome());
        SpecProblem p = r.problems().get(0);
        assertEquals(TestSpecs.spec("ParseError").toString(), p.file());
        assertEquals(4, p.line());
        assertEquals(20, p.column());
        assertTrue(p.message().contains("Encountered \"1\""), p.message());
    }

    @Test
    void aSemanticErrorIsReportedWithFileLineAndColumn() {
        CheckResult r = check("SemanticError");
        assertEquals(Outcome.PARSE_ERROR, r.outcome());
        SpecProblem p = r.problems().get(0);
        assertEquals(5, p.line());
        assertEquals(14, p.column());
        assertEquals("Unknown operator: `y'.", p.message());
    }

    @Test
    void anEvaluationErrorKeepsTheBehaviourUpToIt() {
        CheckResult r = check("EvalError");
        assertEquals(Outcome.EVALUATION_ERROR, r.outcome());
        assertTrue(r.message().contains("Tail"), r.message());
        assertEquals(1, r.trace().size());
        assertEquals(TlaValue.seq(of(1), of(2)), r.trace().state(0).get("s"));
    }

    @Test
    void aFalseAssumptionIsLocated() {
        CheckResult r = check("Assumption");
        assertEquals(Outcome.ASSUMPTION_FAILED, r.outcome());
        assertEquals(4, r.problems().get(0).line());
        assertEquals(21, r.problems().get(0).column());
    }

    @Test
    void aCfgNamingAnUndefinedInvariantIsAConfigErrorAtThatName() {
        CheckResult r = TlcDriver.shared().check(CheckRequest.of(TestSpecs.spec("Holds"), TestSpecs.cfg("BadConfig")));
        assertEquals(Outcome.CONFIG_ERROR, r.outcome());
        SpecProblem p = r.problems().get(0);
        assertEquals(TestSpecs.cfg("BadConfig").toString(), p.file());
        assertEquals(3, p.line());
        assertEquals(11, p.column());
        assertTrue(p.message().contains("NoSuchInvariant"));
    }

    @Test
    void sanysWarningsAreReported() {
        CheckResult r = check("Warning");
        assertEquals(Outcome.HOLDS, r.outcome());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("'Foo'"), r.warnings().get(0));
        assertTrue(check("Holds").warnings().isEmpty());
    }

    @Test
    void valuesOfEveryKindComeBackAsTlaValues() {
        Trace t = check("Values").trace();
        Map<String, TlaValue> s = t.state(0).values();
        assertEquals(List.of("int", "big", "neg", "str", "set", "seq", "rec", "fun", "mv", "nested"), t.variables());
        assertEquals(of(42), s.get("int"));
        assertEquals(TlaValue.of(BigInteger.valueOf(2147483647)), s.get("big"));
        assertEquals(of(-7), s.get("neg"));
        assertEquals(str("a \"quoted\" string"), s.get("str"));
        assertEquals(TlaValue.set(of(1), of(2), of(3)), s.get("set"));
        assertEquals(TlaValue.seq(str("x"), str("y")), s.get("seq"));
        assertEquals(TlaValue.rec("a", of(1), "b", TlaValue.set(model("P"))), s.get("rec"));
        assertEquals(TlaValue.fun(Map.of(model("P"), of(1), model("Q"), of(2))), s.get("fun"));
        assertEquals(model("P"), s.get("mv"));
        assertEquals(TlaValue.rec("k", TlaValue.seq(TlaValue.set(), TlaValue.seq(), TlaValue.set(TlaValue.seq(of(1), model("P"))))),
                s.get("nested"));
        assertEquals(model("Q"), t.state(1).get("mv"));
        assertEquals("Flip", t.state(1).action().name());
    }

    @Test
    void simulationFindsTheViolationOrRunsItsTraces() {
        CheckRequest sim = request("Transfer").withSimulation(new CheckRequest.Simulation(10, 50)).withSeed(7L);
        CheckResult bad = TlcDriver.shared().check(sim);
        assertEquals(Outcome.INVARIANT_VIOLATED, bad.outcome());
        assertEquals("NoOverdraft", bad.violated());
        assertTrue(bad.trace().size() >= 2);
        CheckResult fine = TlcDriver.shared().check(request("Holds").withSimulation(new CheckRequest.Simulation(10, 20)).withSeed(7L));
        assertEquals(Outcome.HOLDS, fine.outcome(), fine.message());
        assertEquals(20, fine.statistics().traces());
    }

    @Test
    void aTimeoutStopsTheRunAndTheNextRunWorks() {
        CheckResult r = TlcDriver.shared().check(request("Big").withTimeout(Duration.ofMillis(1500)));
        assertEquals(Outcome.TIMEOUT, r.outcome());
        assertEquals(Outcome.HOLDS, check("Holds").outcome());
    }

    @Test
    void nothingIsWrittenBesideTheSpecs() throws Exception {
        check("Lasso");
        check("EvalError");
        try (Stream<java.nio.file.Path> files = Files.list(TestSpecs.DIR)) {
            assertTrue(files.allMatch(p -> p.toString().endsWith(".tla") || p.toString().endsWith(".cfg")),
                    "TLC left files in " + TestSpecs.DIR);
        }
    }
}
