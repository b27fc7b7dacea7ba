package l4smp.pbt.conform;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import l4smp.hw.sched.Candidates;
import l4smp.hw.sched.ChoiceList;
import l4smp.hw.sched.Scheduler;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.Simulation;

/**
 * Shrinks the scheduler's choices of a failing run (issue 12 item 5): a run's interleaving is the
 * timing-realistic default choice at every machine step ({@link Scheduler#earliestClockFirst})
 * but for its deviations, the steps whose recorded choice differs from the default. The shrinker
 * keeps fewer and earlier deviations as long as the run still fails: it deletes chunks of them
 * (halving the chunk down to one, delta debugging), then moves each one as early as it still
 * fails (binary search on its step). The result is the choice list of the shrunk run, which
 * {@code l4smp simulate FILE --schedule S} replays.
 *
 * <p>A deviation whose choice is not a candidate at its step (the shrunk run took another path)
 * is left out there: the default chooses. Every candidate run is a full run of the scenario, so
 * the budget counts runs.
 */
public final class ScheduleShrinker {
    /** A deviation: at machine step {@code step}, {@code choice} instead of the default. */
    public record Deviation(long step, int choice) {
    }

    /** The shrunk schedule: its deviations and the choices of the whole run they make. */
    public record Result(List<Deviation> deviations, ChoiceList choices, int runs) {
    }

    /** Whether the run that makes {@code deviations} from the default fails as the run being shrunk did. */
    @FunctionalInterface
    public interface Runs {
        boolean fail(List<Deviation> deviations) throws ScenarioException;
    }

    private final Scenario scenario;
    private final long steps;
    private final Runs fails;
    private final int budget;
    private final long deadline;
    private int runs;

    /**
     * @param fails  whether a run, as it ended, shows the failure (it is run for at most {@code steps})
     * @param budget runs at most
     */
    public ScheduleShrinker(Scenario scenario, long steps, Predicate<Simulation> fails, int budget) {
        this(scenario, steps, deviations -> {
            Simulation sim = Simulation.build(scenario, deviating(deviations));
            try {
                sim.run(steps);
            } catch (RuntimeException crash) {
                return false; // another failure than the one shrunk
            }
            return fails.test(sim);
        }, budget, java.time.Duration.ofDays(1));
    }

    /**
     * A shrinker that asks {@code fails} whether a candidate schedule fails: for a property, which
     * runs the scenario with {@link #deviating} itself and checks what it checks.
     *
     * @param steps  the machine steps of a run
     * @param budget runs at most
     * @param time   and for at most this long (checked between runs)
     */
    public ScheduleShrinker(Scenario scenario, long steps, Runs fails, int budget, java.time.Duration time) {
        this.scenario = scenario;
        this.steps = steps;
        this.fails = fails;
        this.budget = budget;
        this.deadline = System.nanoTime() + time.toNanos();
    }

    /** The scheduler that makes {@code deviations} and chooses as {@link Scheduler#earliestClockFirst} elsewhere. */
    public static Scheduler deviating(List<Deviation> deviations) {
        TreeMap<Long, Integer> at = new TreeMap<>();
        deviations.forEach(d -> at.put(d.step(), d.choice()));
        Scheduler defaults = Scheduler.earliestClockFirst();
        return (Candidates candidates) -> {
            Integer choice = at.get(candidates.step());
            return choice != null && candidates.contains(choice) ? choice : defaults.choose(candidates);
        };
    }

    /** The deviations of a recorded run from the default choice. */
    public List<Deviation> deviations(ChoiceList recorded) throws ScenarioException {
        List<Deviation> out = new ArrayList<>();
        Scheduler defaults = Scheduler.earliestClockFirst();
        Scheduler replay = candidates -> {
            int n = (int) candidates.step();
            int choice = recorded.get(n);
            if (choice != defaults.choose(candidates)) {
                out.add(new Deviation(candidates.step(), choice));
            }
            return choice;
        };
        try {
            Simulation.build(scenario, replay).run(Math.min(steps, recorded.size()));
        } catch (RuntimeException crash) {
            // a run the kernel crashed in: its deviations up to the crash replay it
        }
        return out;
    }

    /**
     * Shrinks the deviations of {@code recorded}, a run that fails.
     *
     * @throws IllegalArgumentException if the recorded run, replayed by its deviations, does not fail
     */
    public Result shrink(ChoiceList recorded) throws ScenarioException {
        List<Deviation> best = deviations(recorded);
        if (!failing(best)) {
            throw new IllegalArgumentException("the recorded run does not fail when its " + best.size() + " deviations are replayed");
        }
        for (int chunk = Math.max(1, best.size() / 2); chunk >= 1 && withinBudget(); chunk = chunk == 1 ? 0 : chunk / 2) {
            for (int from = 0; from < best.size() && withinBudget(); ) {
                List<Deviation> fewer = new ArrayList<>(best.subList(0, from));
                fewer.addAll(best.subList(Math.min(best.size(), from + chunk), best.size()));
                if (failing(fewer)) {
                    best = fewer;
                } else {
                    from += chunk;
                }
            }
        }
        for (int i = 0; i < best.size() && withinBudget(); i++) {
            long low = i == 0 ? 0 : best.get(i - 1).step() + 1;
            long high = best.get(i).step();
            while (low < high && withinBudget()) {
                long mid = (low + high) / 2;
                List<Deviation> earlier = new ArrayList<>(best);
                earlier.set(i, new Deviation(mid, best.get(i).choice()));
                if (failing(earlier)) {
                    best = earlier;
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
        }
        return new Result(List.copyOf(best), choices(best), runs);
    }

    /** The choices of the whole run that makes {@code deviations}: a schedule for {@code simulate --schedule}. */
    public ChoiceList choices(List<Deviation> deviations) throws ScenarioException {
        Simulation sim = Simulation.build(scenario, deviating(deviations));
        try {
            sim.run(steps);
        } catch (RuntimeException crash) {
            // the choices up to the crash replay it
        }
        return sim.machine().choices();
    }

    private boolean withinBudget() {
        return runs < budget && System.nanoTime() < deadline;
    }

    /** Whether the run with {@code deviations} fails. */
    private boolean failing(List<Deviation> deviations) throws ScenarioException {
        runs++;
        return fails.fail(deviations);
    }
}
