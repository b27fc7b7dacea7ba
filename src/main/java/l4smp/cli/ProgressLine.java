package l4smp.cli;

import l4smp.tlc.Progress;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Live progress of a TLC run on one terminal line (stderr), rewritten in place. Silent when
 * stderr is not a terminal, so logs and pipes stay clean.
 */
final class ProgressLine implements Consumer<Progress>, AutoCloseable {
    private final PrintStream out;
    private final boolean enabled;
    private int lastLength;

    ProgressLine(boolean wanted) {
        this.out = System.err;
        this.enabled = wanted && System.console() != null;
    }

    @Override
    public synchronized void accept(Progress p) {
        if (!enabled) return;
        String line = String.format("  %,d states generated, %,d distinct, %,d on queue, %,d states/min, %ds",
                p.generated(), p.distinct(), p.queue(), p.statesPerMinute(), p.elapsedMillis() / 1000);
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    @Override
    public synchronized void close() {
        if (enabled && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
        }
    }
}
