package l4smp.hw.sched;

/**
 * The timing-realistic strategy: the candidate with the earliest time goes next, so the CPUs'
 * clocks advance together as on the real machine and an event happens before any step that
 * starts at or after its time. Ties go to the event, then to the lowest CPU number, so a run is
 * a function of its configuration alone.
 */
public final class EarliestClockFirst implements Scheduler {
    @Override
    public int choose(Candidates candidates) {
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) {
            if (candidates.time(i) < candidates.time(best)) {
                best = i;
            }
        }
        return candidates.choice(best);
    }

    @Override
    public String toString() {
        return "earliest-clock-first";
    }
}
