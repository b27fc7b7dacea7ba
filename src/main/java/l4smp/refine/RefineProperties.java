package l4smp.refine;

import l4smp.pbt.Gen;
import l4smp.pbt.Gens;
import l4smp.pbt.Property;
import l4smp.pbt.PropertyProvider;
import l4smp.pbt.PropertyRegistry;
import l4smp.pbt.Trial;
import l4smp.tlc.Project;
import l4smp.tlc.TlcDriver;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import l4smp.trace.format.TlaTraceModule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace checker's properties, on the project's own specs (every configuration that expects
 * {@code holds}): TLC's simulated behaviours are accepted; mutants are rejected exactly where TLC
 * says they stop being behaviours; and on spliced traces the two agree. "TLC" is its successor
 * function replaying the trace as it model-checks a trace module (the classic method), run in the
 * checker's process ({@link TraceChecker#replay}): the tries take milliseconds rather than a TLC
 * run each. {@code RefinePropertiesTest} checks that replay against TLC on real trace modules.
 * Registered for {@code l4smp pbt}; the tests run them too.
 */
public final class RefineProperties implements PropertyProvider {
    public static final String ACCEPTS_SIMULATIONS = "refine.accepts-simulated-behaviours";
    public static final String REJECTS_MUTANTS = "refine.rejects-mutants-where-tlc-does";
    public static final String AGREES_WITH_CLASSIC = "refine.agrees-with-classic-on-spliced-traces";

    /** A generated behaviour: which spec, TLC's seed, how many states at most. */
    public record Behaviour(SpecTarget target, long seed, int depth) {
    }

    public record Mutant(Behaviour behaviour, Mutation mutation) {
    }

    /** The first {@code cut} states of one behaviour followed by another behaviour from its state {@code from}. */
    public record Splice(Behaviour behaviour, int cut, int from) {
    }

    @Override
    public void registerProperties(PropertyRegistry registry) {
        registry.register(ACCEPTS_SIMULATIONS, "every behaviour TLC's simulator generates for a spec is accepted by the TraceChecker",
                () -> acceptsSimulations(Env.get()));
        registry.register(REJECTS_MUTANTS, "a mutated behaviour (changed value, dropped or swapped step, wrong label) is rejected "
                + "exactly where TLC says it stops being a behaviour, and accepted when TLC says it still is one",
                () -> rejectsMutants(Env.get()));
        registry.register(AGREES_WITH_CLASSIC, "on spliced behaviours the TraceChecker and the classic trace-spec method "
                + "(TLC on a generated trace module) give the same verdict at the same step", () -> agreesWithClassic(Env.get()));
    }

    static Gen<Behaviour> behaviours(List<SpecTarget> targets) {
        return Gens.zip(Gens.elements(targets), Gens.longs(0, 1_000_000), Gens.integers(2, 25), Behaviour::new);
    }

    static Property<Behaviour> acceptsSimulations(Env env) {
        return Property.forAll(ACCEPTS_SIMULATIONS, behaviours(env.targets), (Behaviour b, Trial trial) -> {
            trial.classify(true, b.target().name());
            for (Trace t : env.simulate(b, 4)) {
                TraceVerdict v = env.checker(b.target()).check(t);
                trial.classify(t.size() < b.depth(), "ended in a deadlock");
                if (!v.accepted()) {
                    trial.note("rejected: " + v.failure().message());
                    return false;
                }
            }
            return true;
        }).withTries(10);
    }

    static Property<Mutant> rejectsMutants(Env env) {
        Gen<Mutation> mutations = Gens.zip(Gens.elements(Mutation.Kind.values()), Gens.integers(0, 60), Gens.integers(0, 60),
                Mutation::new);
        return Property.forAll(REJECTS_MUTANTS, Gens.zip(behaviours(env.targets), mutations, Mutant::new), (Mutant m, Trial trial) -> {
            Trace original = env.simulate(m.behaviour(), 1).get(0);
            Trace mutant = m.mutation().apply(original).orElse(null);
            trial.assume(mutant != null, "the behaviour is too short for this mutation");
            TraceChecker checker = env.checker(m.behaviour().target());
            TraceVerdict v = checker.check(mutant);
            int changed = m.mutation().firstChangedIndex(original);
            trial.classify(true, m.mutation().kind().name());
            if (m.mutation().kind() == Mutation.Kind.WRONG_LABEL) return labelAgrees(env, m, mutant, changed, v, trial);
            ClassicCheck.Verdict classic = env.classic(m.behaviour().target(), mutant);
            trial.classify(classic.accepted(), "the mutant is still a behaviour");
            trial.note("checker: " + describe(v) + "; TLC: " + classic);
            if (classic.accepted()) return acceptedByStates(v);
            return !acceptedByStates(v) && v.failure().index() == classic.index() && v.failure().index() >= changed;
        }).withTries(12);
    }

    /** A relabelled step: TLC decides whether the named action relates the two states. */
    private static boolean labelAgrees(Env env, Mutant m, Trace mutant, int i, TraceVerdict v, Trial trial) throws IOException {
        TraceChecker checker = env.checker(m.behaviour().target());
        ActionLabel claimed = mutant.state(i).action();
        List<String> formals = checker.formalParameters(claimed.name());
        trial.assume(formals != null && claimed.parameters().keySet().containsAll(formals),
                "the label's parameters do not name the operator's");
        StringBuilder next = new StringBuilder(claimed.name());
        if (!formals.isEmpty()) {
            next.append('(').append(String.join(", ", formals.stream()
                    .map(f -> claimed.parameters().get(f).toTla(TlaTraceModule::constantFor)).toList())).append(')');
        }
        Boolean replayed = checker.replayLabelled(mutant.state(i - 1), mutant.state(i), claimed);
        ClassicCheck.Verdict classic = Boolean.TRUE.equals(replayed) ? ClassicCheck.Verdict.ok()
                : new ClassicCheck.Verdict(false, 1, l4smp.tlc.Outcome.DEADLOCK);
        trial.classify(classic.accepted(), "the new label is also right");
        trial.note("checker: " + describe(v) + "; TLC on " + next + ": " + classic);
        if (classic.accepted()) return v.accepted();
        return !v.accepted() && v.failure().kind() == TraceVerdict.Kind.WRONG_ACTION && v.failure().index() == i;
    }

    static Property<Splice> agreesWithClassic(Env env) {
        Gen<Splice> splices = Gens.zip(behaviours(env.targets), Gens.integers(1, 25), Gens.integers(0, 25), Splice::new);
        return Property.forAll(AGREES_WITH_CLASSIC, splices, (Splice s, Trial trial) -> {
            List<Trace> two = env.simulate(s.behaviour(), 2);
            trial.assume(two.size() == 2, "TLC returned fewer behaviours");
            Trace a = two.get(0);
            Trace b = two.get(1);
            List<TraceState> states = new ArrayList<>(a.states().subList(0, Math.min(s.cut(), a.size())));
            states.addAll(b.states().subList(Math.min(s.from(), b.size() - 1), b.size()));
            Trace spliced = Trace.of(a.variables(), states).withMeta(a.meta());
            TraceVerdict v = env.checker(s.behaviour().target()).check(spliced);
            ClassicCheck.Verdict classic = env.classic(s.behaviour().target(), spliced);
            trial.classify(classic.accepted(), "the splice is a behaviour");
            trial.note("checker: " + describe(v) + "; TLC: " + classic);
            if (classic.accepted()) return acceptedByStates(v);
            return !acceptedByStates(v) && v.failure().index() == classic.index();
        }).withTries(12);
    }

    /** The classic method does not see action labels: compare on states only. */
    private static boolean acceptedByStates(TraceVerdict v) {
        return v.accepted() || v.failure().kind() == TraceVerdict.Kind.WRONG_ACTION;
    }

    private static String describe(TraceVerdict v) {
        return v.accepted() ? "accepted" : v.failure().kind() + " at " + v.failure().index();
    }

    /** The project's specs, one trace checker per spec (parsed once), and the TLC driver. */
    public static final class Env {
        private static Env instance;

        final List<SpecTarget> targets;
        final List<Path> libraryPath;
        final TlcDriver driver = TlcDriver.shared();
        private final Map<SpecTarget, TraceChecker> checkers = new HashMap<>();
        private final Map<Behaviour, List<Trace>> simulated = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Behaviour, List<Trace>> eldest) {
                return size() > 64; // shrinking re-runs the same behaviours: keep the recent ones
            }
        };

        private Env(Project project) {
            this.targets = SpecTarget.discover(project);
            this.libraryPath = List.of(project.specDir());
            if (targets.isEmpty()) {
                throw new IllegalStateException("no configuration under " + project.configDir() + " expects `holds`");
            }
        }

        public static synchronized Env get() {
            if (instance == null) instance = new Env(Project.locate(null));
            return instance;
        }

        /**
         * Parses every target's spec, as many at once as there are cores: a try needs the checker of
         * its spec, and parsing them one by one as tries first need them would put every parse on
         * the clock of the first property run.
         */
        private void loadAll() {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                    Math.max(1, Math.min(targets.size(), Runtime.getRuntime().availableProcessors())));
            try {
                List<java.util.concurrent.Future<TraceChecker>> loading = new ArrayList<>();
                for (SpecTarget t : targets) loading.add(pool.submit(() -> TraceChecker.load(t.spec(), t.config(), libraryPath)));
                for (int i = 0; i < targets.size(); i++) checkers.put(targets.get(i), loading.get(i).get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while parsing the specs", e);
            } finally {
                pool.shutdown();
            }
        }

        synchronized TraceChecker checker(SpecTarget t) {
            if (checkers.isEmpty()) loadAll();
            return checkers.computeIfAbsent(t, k -> {
                try {
                    return TraceChecker.load(k.spec(), k.config(), libraryPath);
                } catch (SpecLoadException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        }

        /** Behaviours of TLC's successor function, chosen as its simulator does (see {@link TraceChecker#simulate}). */
        synchronized List<Trace> simulate(Behaviour b, int count) {
            List<Trace> all = simulated.computeIfAbsent(b, k -> checker(k.target()).simulate(k.seed(), k.depth(), 4));
            return all.subList(0, Math.min(count, all.size()));
        }

        /** The classic verdict: where TLC's replay of the trace stops, as for a trace module. */
        ClassicCheck.Verdict classic(SpecTarget t, Trace trace) {
            int stop = checker(t).replay(trace);
            return stop < 0 ? ClassicCheck.Verdict.ok() : new ClassicCheck.Verdict(false, stop, l4smp.tlc.Outcome.DEADLOCK);
        }
    }
}
