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
 * @param threads     the threads it touched (read or wrote), in the order first touched
 * @param millicycles the CPU's clock when the step ended
 */
public record KernelStep(long number, int cpu, List<PathSegment> segments, List<ThreadId> threads, long millicycles) {
    public KernelStep {
        segments = List.copyOf(segments);
        threads = List.copyOf(threads);
    }

    /** The segments' labels joined with '+', e.g. {@code ipc.sendPath.lock+ipc.transmitPath.short+ipc.sendPath.complete}. */
    public String label() {
        return segments.stream().map(PathSegment::label).collect(Collectors.joining("+"));
    }

    public boolean ran(PathSegment segment) {
        return segments.contains(segment);
    }
}
