package l4smp.cli;

import l4smp.tlc.ClusterReport;
import l4smp.tlc.Progress;

import java.io.PrintWriter;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * The server's terminal during {@code check --distributed}: workers joining and leaving as they
 * happen; the totals (states generated, distinct, on the queue, distinct states per minute) and
 * each worker's share (states it expanded, per minute) on the status line.
 */
final class ClusterProgressView implements Consumer<ClusterReport>, AutoCloseable {
    private final StatusLine line;

    ClusterProgressView(PrintWriter err, boolean enabled) {
        this.line = new StatusLine(err, enabled);
    }

    @Override
    public void accept(ClusterReport r) {
        long elapsed = r.totals().elapsedMillis();
        r.events().forEach(e -> line.event(elapsed, e));
        line.status(elapsed, r.started() ? running(r) : "waiting for workers: " + r.connected() + " connected");
    }

    private static String running(ClusterReport r) {
        Progress t = r.totals();
        long perMinute = t.elapsedMillis() <= 0 ? 0 : t.distinct() * 60_000 / t.elapsedMillis();
        StringJoiner workers = new StringJoiner(", ");
        for (ClusterReport.WorkerLoad w : r.workers()) {
            long rate = t.elapsedMillis() <= 0 ? 0 : w.expanded() * 60_000 / t.elapsedMillis();
            workers.add(String.format("%s %,d (%,d/min)%s", w.name(), w.expanded(), rate, w.threads() == 0 ? " left" : ""));
        }
        return String.format("%d %s, %,d generated, %,d distinct (%,d/min), %,d on queue; expanded: %s", r.connected(),
                r.connected() == 1 ? "worker" : "workers", t.generated(), t.distinct(), perMinute, t.queue(), workers);
    }

    @Override
    public void close() {
        line.close();
    }
}
