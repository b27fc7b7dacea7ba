package l4smp.refine;

import l4smp.tlc.Outcome;
import l4smp.tlc.TestSpecs;
import l4smp.tlc.TlcDriver;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The classic trace-module check gives the verdicts the in-process checker gives. */
class ClassicCheckTest {
    static TraceChecker checker;

    @BeforeAll
    static void load() throws SpecLoadException {
        checker = TraceChecker.load(TestSpecs.spec("Transfer"), TestSpecs.cfg("Transfer"), List.of());
    }

    @AfterAll
    static void close() {
        checker.close();
    }

    private static ClassicCheck.Verdict classic(Trace t) throws Exception {
        return ClassicCheck.viaWorker(TlcDriver.shared(), t, checker.shape(), TestSpecs.spec("Transfer"),
                TestSpecs.cfg("Transfer"), List.of());
    }

    @Test
    void verdictsAgreeOnAcceptedViolatingMutatedAndNonInitialTraces() throws Exception {
        Trace cex = TlcDriver.shared().check(TestSpecs.request("Transfer")).trace();
        assertEquals(ClassicCheck.Verdict.ok(), classic(Trace.of(cex.variables(), List.of(cex.state(0)))));
        assertEquals(new ClassicCheck.Verdict(false, 1, Outcome.INVARIANT_VIOLATED), classic(cex));
        assertEquals(1, checker.check(cex).failure().index());

        Map<String, TlaValue> changed = new LinkedHashMap<>(cex.state(1).values());
        changed.put("log", TlaValue.seq());
        Trace mutated = Trace.of(cex.variables(), List.of(cex.state(0), new TraceState(changed, null)));
        assertEquals(1, classic(mutated).index());
        assertEquals(1, checker.check(mutated).failure().index());

        Trace notInitial = Trace.of(cex.variables(), List.of(cex.state(1)));
        assertEquals(0, classic(notInitial).index());
        assertEquals(0, checker.check(notInitial).failure().index());
    }
}
