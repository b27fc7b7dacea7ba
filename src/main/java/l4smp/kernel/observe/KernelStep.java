package l4smp.kernel.observe;

import java.util.List;
import java.util.stream.Collectors;
import l4smp.kernel.thread.ThreadId;

/**
 * One atomic kernel step as an observer sees it.
 *
 * @param number      the machine's step number
 * @param cpu         the CPU it ran on
 * @param segments    the path segments it ran, in order
 * @param subjects    for each segment, the thread it acted for: the thread the CPU ran, or the one
 *                    the segment is about (the thread whose timeout expired, the sender whose
 *                    request a proxy performs); nil for the dispatcher
 * @param threads     the threads it touched (read or wrote), in the order first touched
 * @param millicycles the CPU's clock when the step ended
 */
public record KernelStep(long number, int cpu, List<PathSegment> segments, List<ThreadId> subjects,
                         List<ThreadId> threads, long millicycles) {
    public KernelStep {
        segments = List.copyOf(segments);
        subjects = List.copyOf(subjects);
        threads = List.copyOf(threads);
        if (subjects.size() != segments.size()) {
            throw new IllegalArgumentException("a subject for each of the " + segments.size() + " segments");
        }
    }

    /** The segments' labels joined with '+', e.g. {@code ipc.sendPath.lock+ipc.transmitPath.short+ipc.sendPath.complete}. */
    public String label() {
        return segments.stream().map(PathSegment::label).collect(Collectors.joining("+"));
    }

    public boolean ran(PathSegment segment) {
        return segments.contains(segment);
    }

    /** The subject of the first {@code segment} of this step, or null if it did not run. */
    public ThreadId subjectOf(PathSegment segment) {
        int i = segments.indexOf(segment);
        return i < 0 ? null : subjects.get(i);
    }
}
