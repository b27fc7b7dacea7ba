package l4smp.tlc.engine;

import l4smp.tlc.ClusterOptions;
import l4smp.tlc.ClusterReport;
import l4smp.tlc.Progress;
import tlc2.output.EC;
import tlc2.tool.distributed.TLCServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches TLC's server during a distributed run: which worker processes are connected (from
 * TLC's registration messages), when the expected ones are all there (then it opens the
 * {@link WorkGate}), and whether the run has been left without workers for too long.
 */
final class ClusterMonitor {
    private final TLCServer server;
    private final WorkGate gate;
    private final Recorder recorder;
    private final ClusterOptions options;
    private final long start;
    /** Worker processes in the order they joined, with their threads still connected. */
    private final Map<String, Integer> threads = new LinkedHashMap<>();
    private int read;
    private int fpsets;
    private long orphanedSince = -1;

    ClusterMonitor(TLCServer server, WorkGate gate, Recorder recorder, ClusterOptions options, long start) {
        this.server = server;
        this.gate = gate;
        this.recorder = recorder;
        this.options = options;
        this.start = start;
    }

    /** What happened since the last sample, and where the run stands. */
    ClusterReport sample() {
        List<String> events = new ArrayList<>();
        List<Recorder.Message> messages = recorder.messages();
        for (; read < messages.size(); read++) note(messages.get(read), events);
        if (!gate.isOpen() && threads.size() >= options.expectWorkers()) {
            gate.open();
            events.add(threads.size() + (threads.size() == 1 ? " worker has" : " workers have") + " joined: exploring the state space");
        }
        long now = System.currentTimeMillis();
        if (gate.isOpen() && connected() == 0) {
            if (orphanedSince < 0) orphanedSince = now;
        } else {
            orphanedSince = -1;
        }
        List<ClusterReport.WorkerLoad> loads = new ArrayList<>();
        Map<String, Long> expanded = gate.expanded();
        threads.forEach((name, n) -> loads.add(new ClusterReport.WorkerLoad(name, n, expanded.getOrDefault(name, 0L))));
        return new ClusterReport(totals(now), gate.isOpen(), loads, events);
    }

    /** Why the run cannot go on (too few workers for too long), or {@code null}. */
    String stalled() {
        long now = System.currentTimeMillis();
        long limit = options.workerTimeout().toMillis();
        String within = " within " + seconds(limit);
        if (!gate.isOpen() && now - start > limit) {
            if (fpsets < options.fpsets()) {
                return "only " + fpsets + " of the " + options.fpsets() + " expected fingerprint servers registered" + within;
            }
            return "only " + threads.size() + " of the " + options.expectWorkers() + " expected workers joined" + within;
        }
        if (orphanedSince >= 0 && now - orphanedSince > limit) {
            Progress t = totals(now);
            return String.format("every worker left and none joined again%s; %,d distinct states were found and %,d are still "
                    + "on the queue", within, t.distinct(), t.queue());
        }
        return null;
    }

    private void note(Recorder.Message m, List<String> events) {
        if (m.code() == EC.TLC_DISTRIBUTED_WORKER_REGISTERED) {
            String name = WorkerNames.process(m.text(0));
            int now = threads.merge(name, 1, Integer::sum);
            if (now == 1) {
                events.add("worker " + name + " joined" + (gate.isOpen() ? ""
                        : " (" + threads.size() + " of " + options.expectWorkers() + " expected)"));
            }
        } else if (m.code() == EC.TLC_DISTRIBUTED_WORKER_DEREGISTERED) {
            String name = WorkerNames.process(m.text(0));
            int now = threads.merge(name, -1, Integer::sum);
            if (now == 0) events.add("worker " + name + " left; the states it was expanding went back on the queue");
        } else if (m.code() == EC.TLC_DISTRIBUTED_SERVER_FPSET_REGISTERED) {
            fpsets++;
            events.add("fingerprint server " + fpsets + " of " + options.fpsets() + " registered");
        }
    }

    private long connected() {
        return threads.values().stream().filter(n -> n > 0).count();
    }

    private Progress totals(long now) {
        long generated = 0, distinct = 0, queue = 0;
        try {
            // distinct first, generated last, so that generated is never behind distinct (see Progress)
            distinct = server.fpSetManager.size();
            queue = server.getNewStates();
            generated = server.getStatesGenerated();
        } catch (RuntimeException notYet) {
            // the fingerprint servers have not all registered yet
        }
        return new Progress(generated, distinct, queue, l4smp.tlc.Statistics.UNKNOWN, now - start);
    }

    private static String seconds(long millis) {
        return millis % 60_000 == 0 ? millis / 60_000 + " min" : millis / 1000 + " s";
    }
}
