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

    private final Scenario scenario;
    private final long steps;
    private final Predicate<Simulation> fails;
    private final int budget;
    private int runs;

    /**
     * @param fails  whether a run, as it ended, shows the failure (it is run for at most {@code steps})
     * @param budget runs at most
     */
    public ScheduleShrinker(Scenario scenario, long steps, Predicate<Simulation> fails, int budget) {
        this.scenario = scenario;
        this.steps = steps;
        this.fails = fails;
        this.budget = budget;
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
        Simulation.build(scenario, replay).run(Math.min(steps, recorded.size()));
        return out;
    }

    /**
     * Shrinks the deviations of {@code recorded}, a run that fails.
     *
     * @throws IllegalArgumentException if the recorded run, replayed by its deviations, does not fail
     */
    public Result shrink(ChoiceList recorded) throws ScenarioException {
        List<Deviation> best = deviations(recorded);
        ChoiceList choices = failing(best);
        if (choices == null) {
            throw new IllegalArgumentException("the recorded run does not fail when its " + best.size() + " deviations are replayed");
        }
        for (int chunk = Math.max(1, best.size() / 2); chunk >= 1 && runs < budget; chunk = chunk == 1 ? 0 : chunk / 2) {
            for (int from = 0; from < best.size() && runs < budget; ) {
                List<Deviation> fewer = new ArrayList<>(best.subList(0, from));
                fewer.addAll(best.subList(Math.min(best.size(), from + chunk), best.size()));
                ChoiceList c = failing(fewer);
                if (c != null) {
                    best = fewer;
                    choices = c;
                } else {
                    from += chunk;
                }
            }
        }
        for (int i = 0; i < best.size() && runs < budget; i++) {
            long low = i == 0 ? 0 : best.get(i - 1).step() + 1;
            long high = best.get(i).step();
            while (low < high && runs < budget) {
                long mid = (low + high) / 2;
                List<Deviation> earlier = new ArrayList<>(best);
                earlier.set(i, new Deviation(mid, best.get(i).choice()));
                ChoiceList c = failing(earlier);
                if (c != null) {
                    best = earlier;
                    choices = c;
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
        }
        return new Result(List.copyOf(best), choices, runs);
    }

    /** The choices of the run with {@code deviations}, if it fails; else null. */
    private ChoiceList failing(List<Deviation> deviations) throws ScenarioException {
        runs++;
        TreeMap<Long, Integer> at = new TreeMap<>();
        deviations.forEach(d -> at.put(d.step(), d.choice()));
        Scheduler defaults = Scheduler.earliestClockFirst();
        Scheduler deviating = (Candidates candidates) -> {
            Integer choice = at.get(candidates.step());
            return choice != null && candidates.contains(choice) ? choice : defaults.choose(candidates);
        };
        Simulation sim = Simulation.build(scenario, deviating);
        try {
            sim.run(steps);
        } catch (RuntimeException crash) {
            return null; // another failure than the one shrunk
        }
        return fails.test(sim) ? sim.machine().choices() : null;
    }
}
