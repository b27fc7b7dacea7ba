package l4smp.tlc;

import java.util.List;

/**
 * A snapshot of a distributed run, sampled about twice a second on the server.
 *
 * @param totals  states generated, distinct and on the queue, as TLC's server counts them
 * @param started whether the expected workers have joined and states are being handed out
 * @param workers every worker process that has joined, in the order they joined
 * @param events  what happened since the last snapshot, one line each (a worker joined or left)
 */
public record ClusterReport(Progress totals, boolean started, List<WorkerLoad> workers, List<String> events) {
    public ClusterReport {
        workers = List.copyOf(workers);
        events = List.copyOf(events);
    }

    /**
     * One worker process as the server sees it.
     *
     * @param name     its address and callback port, e.g. {@code 10.0.0.7:41001}
     * @param threads  its TLC worker threads still connected (0 once it has left)
     * @param expanded states handed to it for expansion so far
     */
    public record WorkerLoad(String name, int threads, long expanded) {
    }

    /** Worker processes still connected. */
    public long connected() {
        return workers.stream().filter(w -> w.threads() > 0).count();
    }
}
