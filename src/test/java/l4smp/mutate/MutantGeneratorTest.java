package l4smp.mutate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which mutants the generator makes from a module's text, and the exact text each one has. */
class MutantGeneratorTest {
    private static final String COMMON = """
            ---- MODULE Common ----
            Waiting == "waiting"
            Ready == "ready"
            Polling == "polling"
            States == {Waiting, Ready, Polling}
            ====
            """;

    private static final String SPEC = """
            ---- MODULE Spec ----
            EXTENDS Common
            VARIABLES st, q, n
            vars == <<st, q, n>>
            \\* a comment: x' = y /\\ z \\cup w
            Guard(t) == st[t] = Waiting /\\ n < 3
            Step(t) ==
                /\\ Guard(t)
                /\\ IF q = {} THEN TRUE ELSE n > 0
                /\\ st' = [st EXCEPT ![t] = Ready, ![n] = Polling]
                /\\ q' = q \\cup {t}   (* inline comment \\cup *)
                /\\ n' = n + 1
            Other == UNCHANGED vars
            Next == \\E t \\in {1, 2} : Step(t)
            TypeOK == n \\in 0..3
            NoneInv == q \\ {1} = {}
            ====
            """;

    private static List<Mutant> mutants() {
        return MutantGenerator.generate(ModuleText.parse(SPEC), List.of(ModuleText.parse(COMMON)), "Next");
    }

    private static List<String> changes(MutationOperator op) {
        return mutants().stream().filter(m -> m.operator() == op).map(Mutant::change).toList();
    }

    @Test
    void mutatesOnlyWhatTheNextStateRelationUses() {
        List<String> defs = mutants().stream().map(Mutant::definition).distinct().toList();
        assertEquals(List.of("Guard", "Step"), defs, "not Other, TypeOK or NoneInv; Next has nothing to mutate");
    }

    @Test
    void guardsAreDroppedAndNegatedUpdatesAreNot() {
        assertEquals(List.of("st[t] = Waiting  ->  TRUE", "n < 3  ->  TRUE", "Guard(t)  ->  TRUE",
                "IF q = {} THEN TRUE ELSE n > 0  ->  TRUE"), changes(MutationOperator.DROP_CONJUNCT));
        List<String> negated = changes(MutationOperator.NEGATE_GUARD);
        assertTrue(negated.contains("st[t] = Waiting /\\ n < 3  ->  ~(st[t] = Waiting /\\ n < 3)"), "a predicate's body");
        assertTrue(negated.contains("Guard(t)  ->  ~(Guard(t))"), "a conjunct using a predicate");
        assertTrue(negated.contains("q = {}  ->  ~(q = {})"), "an IF condition");
        assertFalse(negated.stream().anyMatch(c -> c.contains("'")), "no update is negated: " + negated);
    }

    @Test
    void updatesAreLeftUnchangedOneVariableAtATime() {
        assertEquals(List.of("st' = [st EXCEPT ![t] = Ready, ![n] = Polling]  ->  UNCHANGED st",
                "q' = q \\cup {t}  ->  UNCHANGED q", "n' = n + 1  ->  UNCHANGED n"), changes(MutationOperator.KEEP_VARIABLE));
    }

    @Test
    void exceptClausesAreDroppedOneAtATime() {
        assertEquals(List.of("![t] = Ready,  ->  ", ", ![n] = Polling  ->  "), changes(MutationOperator.DROP_EXCEPT));
        Mutant first = mutants().stream().filter(m -> m.operator() == MutationOperator.DROP_EXCEPT).findFirst().orElseThrow();
        assertTrue(first.apply(SPEC).contains("st' = [st EXCEPT  ![n] = Polling]"), first.apply(SPEC));
    }

    @Test
    void setOperatorsRelationsAndConstantsChange() {
        assertEquals(List.of("\\cup  ->  \\"), changes(MutationOperator.SWAP_SET_OP), "the \\cup in a comment is not touched");
        assertEquals(List.of("<  ->  <=", ">  ->  >="), changes(MutationOperator.CHANGE_RELATION));
        assertEquals(List.of("Waiting  ->  Ready", "3  ->  4", "3  ->  2", "0  ->  1"), changes(MutationOperator.CHANGE_CONSTANT),
                "only operands of comparisons: not the {1, 2} Next ranges over, the values of updates or THEN TRUE");
        assertEquals(List.of("q = {}  ->  TRUE"), changes(MutationOperator.GUARD_TRUE));
    }

    @Test
    void everyMutantIsOneEditAndMutantsAreDistinct() {
        List<Mutant> all = mutants();
        assertEquals(all.size(), all.stream().map(m -> m.apply(SPEC)).distinct().count());
        for (Mutant m : all) {
            assertEquals(m.original(), SPEC.substring(m.start(), m.end()));
            assertTrue(m.id().matches("M\\d{3}"));
        }
    }

    @Test
    void aModuleIsRenamedForACopyBesideTheOriginal() {
        String renamed = ModuleText.parse(SPEC).renamed("Other");
        assertTrue(renamed.startsWith("---- MODULE Other ----"));
        assertEquals("Other", ModuleText.parse(renamed).name());
    }

    @Test
    void aMissingNextStateRelationIsReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MutantGenerator.generate(ModuleText.parse(SPEC), List.of(), "Nxt"));
        assertTrue(e.getMessage().contains("Nxt"));
        assertThrows(IllegalArgumentException.class, () -> ModuleText.parse("no module here"));
    }
}
