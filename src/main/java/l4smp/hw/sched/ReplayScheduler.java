package l4smp.hw.sched;

/**
 * Replays a {@link ChoiceList}: step n makes recorded choice n. With a fallback, the steps after
 * the list's end are chosen by the fallback (a recorded prefix, then exploration); without one,
 * running past the end is a {@link ReplayDivergence}.
 */
public final class ReplayScheduler implements Scheduler {
    private final ChoiceList choices;
    private final Scheduler fallback;
    private int next;

    /** Replays {@code choices} and fails after their end. */
    public ReplayScheduler(ChoiceList choices) {
        this(choices, null);
    }

    /** Replays {@code choices}, then lets {@code fallback} choose. */
    public ReplayScheduler(ChoiceList choices, Scheduler fallback) {
        this.choices = choices;
        this.fallback = fallback;
    }

    @Override
    public int choose(Candidates candidates) {
        if (next >= choices.size()) {
            if (fallback == null) {
                throw new ReplayDivergence("the recorded choice list ends after " + choices.size()
                        + " steps; step " + candidates.step() + " has candidates " + candidates.describe());
            }
            return fallback.choose(candidates);
        }
        int choice = choices.get(next);
        if (!candidates.contains(choice)) {
            throw new ReplayDivergence("step " + candidates.step() + ": the recorded choice is "
                    + (choice == EVENT ? "the next event" : "cpu" + choice) + ", but the candidates are "
                    + candidates.describe() + " (is this the configuration and software of the recorded run?)");
        }
        next++;
        return choice;
    }

    /** How many recorded choices have been replayed. */
    public int replayed() {
        return next;
    }

    @Override
    public String toString() {
        return "replay(" + choices.size() + " choices" + (fallback == null ? ")" : ", then " + fallback + ")");
    }
}
