package l4smp.cli;

import l4smp.tlc.ConfigHeader;
import l4smp.tlc.TlcDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs the suite's configurations on {@code jobs} TLC worker JVMs at once, each job with a driver
 * (and so a worker) of its own. The configurations tagged {@code standard} (the big models) start
 * first, so that the small ones fill in around them rather than a big one starting last and
 * running alone. One job uses the shared driver and keeps the cfgs' order.
 */
final class SuiteSchedule {
    /** Checks one configuration with the given driver. */
    interface Check {
        SuiteCommand.Row run(Path cfg, TlcDriver driver) throws IOException;
    }

    private final int jobs;

    SuiteSchedule(int jobs) {
        this.jobs = jobs;
    }

    /** The rows in the order of {@code cfgs}; {@code done} hears each as it finishes (from one thread at a time). */
    List<SuiteCommand.Row> run(List<Path> cfgs, Check check, Consumer<SuiteCommand.Row> done) throws IOException {
        if (jobs == 1 || cfgs.size() <= 1) {
            List<SuiteCommand.Row> rows = new ArrayList<>();
            for (Path cfg : cfgs) {
                SuiteCommand.Row row = check.run(cfg, TlcDriver.shared());
                done.accept(row);
                rows.add(row);
            }
            return rows;
        }
        List<Path> order = new ArrayList<>(cfgs);
        order.sort(Comparator.comparing(SuiteSchedule::isSmall)); // stable: big first, else in the cfgs' order
        List<TlcDriver> drivers = new ArrayList<>();
        ThreadLocal<TlcDriver> driver = ThreadLocal.withInitial(() -> {
            TlcDriver d = new TlcDriver();
            synchronized (drivers) {
                drivers.add(d);
            }
            return d;
        });
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, cfgs.size()), r -> {
            Thread t = new Thread(r, "l4smp-suite-job");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SuiteCommand.Row>> futures = new ArrayList<>();
            for (Path cfg : order) {
                futures.add(pool.submit(() -> {
                    SuiteCommand.Row row = check.run(cfg, driver.get());
                    synchronized (done) {
                        done.accept(row);
                    }
                    return row;
                }));
            }
            SuiteCommand.Row[] rows = new SuiteCommand.Row[cfgs.size()];
            for (int i = 0; i < order.size(); i++) rows[cfgs.indexOf(order.get(i))] = get(futures.get(i));
            return List.of(rows);
        } finally {
            pool.shutdownNow();
            synchronized (drivers) {
                drivers.forEach(TlcDriver::close);
            }
        }
    }

    private static boolean isSmall(Path cfg) {
        try {
            return !ConfigHeader.read(cfg).tags().contains("standard");
        } catch (IOException unreadable) {
            return true; // its row will say what is wrong
        }
    }

    private static SuiteCommand.Row get(Future<SuiteCommand.Row> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the suite ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
