package l4smp.refine;

import l4smp.trace.Trace;

import l4smp.pbt.Gens;
import l4smp.pbt.Property;
import l4smp.pbt.PropertyResult;
import l4smp.pbt.PropertyRunner;
import l4smp.pbt.RunConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trace checker's properties on the project's specs, with fixed seeds (l4smp pbt runs them
 * longer), and their oracle (TLC's successor function replaying a trace in process) against the
 * classic method proper: TLC model-checking a trace module in its worker.
 */
class RefinePropertiesTest {
    private static final RefineProperties.Env ENV = RefineProperties.Env.get();

    @Test
    void tlcsSimulatedBehavioursAreAccepted() {
        PropertyRunner.assertHolds(RefineProperties.acceptsSimulations(ENV), RunConfig.defaults().withSeed(11).withTries(4));
    }

    @Test
    void mutantsAreRejectedWhereTlcSays() {
        PropertyRunner.assertHolds(RefineProperties.rejectsMutants(ENV), RunConfig.defaults().withSeed(12).withTries(6));
    }

    @Test
    void splicedTracesGetTheClassicVerdict() {
        PropertyRunner.assertHolds(RefineProperties.agreesWithClassic(ENV), RunConfig.defaults().withSeed(13).withTries(6));
    }

    /**
     * A property that is false on purpose ("no mutant is ever rejected") must shrink to the
     * simplest mutant the generators can make: the first spec, seed 0, the shortest behaviour,
     * the first mutation kind at the first position.
     */
    @Test
    void aFailingTracePropertyShrinksToTheSimplestMutant() {
        var behaviours = RefineProperties.behaviours(ENV.targets);
        var mutations = Gens.zip(Gens.elements(Mutation.Kind.values()), Gens.integers(0, 60), Gens.integers(0, 60), Mutation::new);
        Property<RefineProperties.Mutant> neverRejected = Property.forAll("never rejected",
                Gens.zip(behaviours, mutations, RefineProperties.Mutant::new), m -> {
                    var mutant = m.mutation().apply(ENV.simulate(m.behaviour(), 1).get(0));
                    return mutant.isEmpty() || ENV.checker(m.behaviour().target()).check(mutant.get()).accepted();
                });
        PropertyResult r = new PropertyRunner().run(neverRejected, RunConfig.defaults().withSeed(5).withTries(20));
        assertEquals(PropertyResult.Status.FAILED, r.status());
        RefineProperties.Mutant minimal = (RefineProperties.Mutant) r.counterexample().orElseThrow().shrunkValue();
        assertEquals(new RefineProperties.Mutant(new RefineProperties.Behaviour(ENV.targets.get(0), 0, 2),
                new Mutation(Mutation.Kind.CHANGE_VARIABLE, 0, 0)), minimal);
        assertTrue(r.counterexample().get().shrunk().contains("CHANGE_VARIABLE"));
    }

    @Test
    void theInProcessReplayStopsWhereTlcOnATraceModuleDoes() throws Exception {
        int compared = 0;
        for (SpecTarget t : List.of(ENV.targets.get(0), ENV.targets.get(ENV.targets.size() - 1))) {
            Trace behaviour = ENV.simulate(new RefineProperties.Behaviour(t, 7, 12), 1).get(0);
            for (Mutation.Kind kind : List.of(Mutation.Kind.CHANGE_VARIABLE, Mutation.Kind.DROP_STEP, Mutation.Kind.SWAP_STEPS)) {
                for (Trace trace : List.of(behaviour, new Mutation(kind, 3, 1).apply(behaviour).orElse(behaviour))) {
                    ClassicCheck.Verdict tlc = ClassicCheck.viaWorker(ENV.driver, trace, ENV.checker(t).shape(), t.spec(),
                            t.config(), ENV.libraryPath);
                    ClassicCheck.Verdict replay = ENV.classic(t, trace);
                    assertEquals(tlc.accepted(), replay.accepted(), t + " " + kind + ": " + tlc + " vs " + replay);
                    if (!tlc.accepted()) assertEquals(tlc.index(), replay.index(), t + " " + kind);
                    compared++;
                }
            }
        }
        assertEquals(12, compared);
    }

    @Test
    void theProjectsHoldsConfigurationsAreTheTargets() {
        assertTrue(ENV.targets.stream().anyMatch(t -> t.name().equals("BankTransfer/BankTransfer")), ENV.targets.toString());
        assertTrue(ENV.targets.stream().noneMatch(t -> t.name().contains("NoCheck")), "bug configs are not targets");
        assertEquals(List.of(), ENV.targets.stream().filter(t -> !t.config().toFile().exists()).toList());
    }
}
