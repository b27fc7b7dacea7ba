package l4smp.pbt;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Runs a property: generates inputs from the run's seed chain (see {@link Seeds}), checks each,
 * counts discards and labels, stops at the tries, the time budget or the discard cap, and on the
 * first failure shrinks it and reports the counterexample.
 *
 * <p>The time budget is checked between inputs, never inside one: a single input that hangs is
 * not interrupted.
 */
public final class PropertyRunner {
    private final LongSupplier nanoClock;

    public PropertyRunner() {
        this(System::nanoTime);
    }

    /** A runner reading time from {@code nanoClock} (tests pass a clock they advance). */
    PropertyRunner(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Runs {@code property} with the system-property configuration ({@code -Dl4smp.pbt.seed=...},
     * see {@link RunConfig}) and throws if it does not hold: the one call a JUnit test needs.
     *
     * @throws PropertyFailedError with the report, when the property failed or gave up
     */
    public static PropertyResult assertHolds(Property<?> property) {
        return assertHolds(property, RunConfig.fromSystemProperties());
    }

    /** As {@link #assertHolds(Property)} with an explicit configuration. */
    public static PropertyResult assertHolds(Property<?> property, RunConfig config) {
        PropertyResult result = new PropertyRunner().run(property, config);
        if (Boolean.getBoolean(RunConfig.STATS_PROPERTY)) {
            System.out.print(result.summary() + "\n" + result.statistics().render());
        }
        if (result.status() != PropertyResult.Status.PASSED) {
            throw new PropertyFailedError(result);
        }
        return result;
    }

    /** Runs {@code property} as {@code config} says. */
    public <T> PropertyResult run(Property<T> property, RunConfig config) {
        long seed = config.seed().orElseGet(Seeds::fresh);
        int maxTries = config.tries().orElse(property.tries());
        long maxDiscards = (long) config.discardRatio() * maxTries;
        long start = nanoClock.getAsLong();
        long budget = config.timeBudget().toNanos();
        Statistics statistics = new Statistics();
        int tries = 0;
        int discards = 0;
        long trySeed = seed;
        PropertyResult.Stop stop = PropertyResult.Stop.TRIES_DONE;
        while (tries < maxTries) {
            if (tries + discards > 0 && nanoClock.getAsLong() - start >= budget) {
                stop = PropertyResult.Stop.TIME_BUDGET;
                break;
            }
            Execution<T> run = Execution.of(property, Source.random(trySeed));
            switch (run.status()) {
                case DISCARDED -> discards++;
                case PASSED -> {
                    tries++;
                    statistics.record(run.trial().labels());
                }
                case FAILED -> {
                    tries++;
                    statistics.record(run.trial().labels());
                    Counterexample counterexample = shrink(property, run, trySeed, config);
                    return new PropertyResult(property.name(), PropertyResult.Status.FAILED, PropertyResult.Stop.FAILURE,
                            tries, discards, elapsedSince(start), seed, statistics, Optional.of(counterexample));
                }
            }
            if (discards >= maxDiscards) {
                return new PropertyResult(property.name(), PropertyResult.Status.GAVE_UP,
                        PropertyResult.Stop.TOO_MANY_DISCARDS, tries, discards, elapsedSince(start), seed, statistics,
                        Optional.empty());
            }
            trySeed = Seeds.next(trySeed);
        }
        return new PropertyResult(property.name(), PropertyResult.Status.PASSED, stop, tries, discards,
                elapsedSince(start), seed, statistics, Optional.empty());
    }

    private <T> Counterexample shrink(Property<T> property, Execution<T> failing, long trySeed, RunConfig config) {
        Shrinker<T> shrinker = new Shrinker<>(choices -> Execution.of(property, Source.replay(choices)), failing,
                config.maxShrinkSteps(), config.shrinkBudget().toNanos(), nanoClock);
        Execution<T> best = reduced(property, shrinker.shrink());
        return new Counterexample(trySeed, printed(property, failing), printed(property, best), best.input(),
                best.choices(), best.failure(), best.trial().notes(), shrinker.steps(), shrinker.exhausted());
    }

    /**
     * The shrunk execution, its input reduced further if it is {@link Reducible}: a candidate counts
     * when the property fails on it the same way. The reduced input keeps the shrunk one's choices,
     * which generate the unreduced form.
     */
    @SuppressWarnings("unchecked")
    private static <T> Execution<T> reduced(Property<T> property, Execution<T> best) {
        if (!(best.input() instanceof Reducible<?> reducible)) {
            return best;
        }
        Object[] last = {best};
        T input = ((Reducible<T>) reducible).reduce(candidate -> {
            Execution<T> run = Execution.check(property, candidate, best.choices(), best.magnitudes(), best.spans());
            boolean same = run.failed() && run.failure().kind().equals(best.failure().kind());
            if (same) {
                last[0] = run;
            }
            return same;
        });
        Execution<T> found = (Execution<T>) last[0];
        if (input == best.input()) {
            return best;
        }
        if (found.input() == input) {
            return found;
        }
        // the reducer returned another input than the last it accepted: keep it only if it fails the same way
        Execution<T> again = Execution.check(property, input, best.choices(), best.magnitudes(), best.spans());
        return again.failed() && again.failure().kind().equals(best.failure().kind()) ? again : best;
    }

    private static <T> String printed(Property<T> property, Execution<T> run) {
        if (run.failure() != null && run.failure().inGenerator()) {
            return "(none: the generator threw)";
        }
        try {
            return property.print(run.input());
        } catch (RuntimeException e) {
            return "(printing the input threw " + e + ")";
        }
    }

    private Duration elapsedSince(long start) {
        return Duration.ofNanos(nanoClock.getAsLong() - start);
    }
}
