package l4smp.cli;

import l4smp.tlc.Progress;
import l4smp.tlc.Statistics;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Live progress of a TLC run on stderr. On a terminal, one line rewritten in place; otherwise (a
 * CI log, a pipe) a new line every {@value #LOG_INTERVAL_MILLIS} ms, so that a long run shows it
 * is alive without flooding the log. {@code --quiet} turns it off.
 */
final class ProgressLine implements Consumer<Progress>, AutoCloseable {
    static final long LOG_INTERVAL_MILLIS = 5_000;

    private final PrintWriter out;
    private final boolean enabled;
    private final boolean terminal;
    private final String prefix;
    private int lastLength;
    private long lastLogged;

    /**
     * @param prefix put before each line, e.g. the configuration a suite is checking
     */
    ProgressLine(PrintWriter err, boolean wanted, String prefix) {
        this(err, wanted, prefix, true);
    }

    /**
     * @param inPlace whether the line may be rewritten in place on a terminal (not when other
     *                progress lines are printed at the same time)
     */
    ProgressLine(PrintWriter err, boolean wanted, String prefix, boolean inPlace) {
        this.out = err;
        this.enabled = wanted;
        this.terminal = inPlace && System.console() != null;
        this.prefix = prefix;
    }

    @Override
    public synchronized void accept(Progress p) {
        if (!enabled) return;
        String line = prefix + line(p);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else if (p.elapsedMillis() - lastLogged >= LOG_INTERVAL_MILLIS) {
            out.println(line);
            lastLogged = p.elapsedMillis();
        }
        out.flush();
    }

    static String line(Progress p) {
        return String.format("  %,d states generated, %,d distinct, %,d on queue%s, %,d states/min, %ds",
                p.generated(), p.distinct(), p.queue(), Statistics.known(p.depth()) ? ", depth " + p.depth() : "",
                p.statesPerMinute(), p.elapsedMillis() / 1000);
    }

    @Override
    public synchronized void close() {
        if (enabled && terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }
}
