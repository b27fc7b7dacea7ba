package l4smp.tlc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private temporary directories l4smp makes for TLC's files, and their removal: when they
 * are done with, when the JVM exits (also on SIGTERM and SIGINT, through a shutdown hook), and,
 * for those a killed process left behind, at the next start.
 *
 * <p>Each directory's name says whose it is: {@code l4smp-tlc-<pid>.<start>-<random>}, the pid
 * and start time (ms) of the JVM that made it. A directory whose JVM no longer runs is stale;
 * the start time tells a recycled pid from the owner.
 */
public final class TempDirs {
    private static final Pattern OWNED = Pattern.compile("l4smp-[a-z]+-(\\d+)\\.(\\d+)-.*");
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final List<Runnable> BEFORE_CLEANUP = new ArrayList<>();
    private static volatile boolean hooked;
    private static volatile boolean swept;

    private TempDirs() {
    }

    /**
     * A new directory under {@code java.io.tmpdir}, named {@code l4smp-<purpose>-<owner>-...},
     * deleted at exit unless {@link #deleteTree} deleted it before.
     */
    public static Path create(String purpose) throws IOException {
        hookOnce();
        Path dir = Files.createTempDirectory("l4smp-" + purpose + "-" + ownerTag() + "-");
        LIVE.add(dir);
        return dir;
    }

    /**
     * Runs {@code action} at JVM exit before the directories are deleted: for stopping the
     * processes that write into them.
     */
    public static synchronized void beforeCleanup(Runnable action) {
        hookOnce();
        BEFORE_CLEANUP.add(action);
    }

    /**
     * Deletes {@code dir} and everything in it, as far as it can: these are private temporary
     * directories, so a file that cannot be removed is not worth failing a run for.
     */
    public static void deleteTree(Path dir) {
        if (dir == null) return;
        LIVE.remove(dir);
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort, see above
        }
    }

    /**
     * Removes, once per JVM, the directories under {@code java.io.tmpdir} whose owner is no
     * longer running (a run killed with SIGKILL cannot clean up after itself).
     *
     * @return the directories removed
     */
    public static List<Path> sweepStale() {
        if (swept) return List.of();
        swept = true;
        return sweepStale(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static List<Path> sweepStale(Path tmp) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, "l4smp-*")) {
            for (Path dir : entries) {
                Matcher m = OWNED.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir) || LIVE.contains(dir)) continue;
                if (!running(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))) {
                    deleteTree(dir);
                    if (!Files.exists(dir)) removed.add(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing to sweep, or not allowed to: not worth failing a run for
        }
        return removed;
    }

    /** Whether {@code dir} was made by {@link #create} (the worker deletes only such a directory). */
    public static boolean isOurs(Path dir) {
        return dir != null && dir.getFileName() != null && OWNED.matcher(dir.getFileName().toString()).matches();
    }

    /** {@code <pid>.<start ms>} of this JVM. */
    static String ownerTag() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + "." + startMillis(self).orElse(0L);
    }

    private static boolean running(long pid, long startMillis) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) return false;
        Optional<Long> started = startMillis(p.get());
        return started.isEmpty() || startMillis == 0 || started.get() == startMillis;
    }

    private static Optional<Long> startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli);
    }

    private static synchronized void hookOnce() {
        if (hooked) return;
        hooked = true;
        Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::cleanUp, "l4smp-temp-cleanup"));
    }

    private static void cleanUp() {
        List<Runnable> actions;
        synchronized (TempDirs.class) {
            actions = new ArrayList<>(BEFORE_CLEANUP);
        }
        for (Runnable a : actions) {
            try {
                a.run();
            } catch (RuntimeException e) {
                // the JVM is going: carry on with the rest
            }
        }
        for (Path dir : new ArrayList<>(LIVE)) deleteTree(dir);
    }
}
