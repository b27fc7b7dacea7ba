package l4smp.cli;

import java.io.PrintWriter;

/**
 * Where a long-running distributed process reports: events as lines of their own, and a status
 * that is rewritten in place on a terminal, or printed as a line every half minute otherwise (a
 * log file of a run on a remote machine still shows how it went).
 */
final class StatusLine implements AutoCloseable {
    static final long LOG_EVERY_MILLIS = 30_000;

    private final PrintWriter out;
    private final boolean enabled;
    private final boolean inPlace;
    private int shown;
    private long logged = -LOG_EVERY_MILLIS;

    StatusLine(PrintWriter out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
        this.inPlace = System.console() != null;
    }

    synchronized void event(long elapsedMillis, String event) {
        if (!enabled) return;
        clear();
        out.println(String.format("  [%s] %s", clock(elapsedMillis), event));
        out.flush();
    }

    synchronized void status(long elapsedMillis, String status) {
        if (!enabled) return;
        String line = String.format("  [%s] %s", clock(elapsedMillis), status);
        if (inPlace) {
            out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            shown = line.length();
        } else if (elapsedMillis - logged >= LOG_EVERY_MILLIS) {
            out.println(line);
            logged = elapsedMillis;
        }
        out.flush();
    }

    private void clear() {
        if (shown == 0) return;
        out.print("\r" + " ".repeat(shown) + "\r");
        shown = 0;
    }

    @Override
    public synchronized void close() {
        if (enabled) clear();
        out.flush();
    }

    private static String clock(long millis) {
        long s = millis / 1000;
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
