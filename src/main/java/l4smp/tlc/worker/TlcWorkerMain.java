package l4smp.tlc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.TempDirs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TLC worker process: reads check requests on stdin, runs each in a fresh
 * {@link IsolatedLoader}, writes progress and the result on stdout (see {@link Protocol}).
 *
 * <p>TLC prints to System.out; the protocol owns the real stdout, so System.out is pointed at
 * stderr (which the parent discards unless asked to show it). TLC may call System.exit on an
 * internal error: then this process dies, and the parent reports the run as an internal error
 * and starts a new worker. Scratch files go to a per-run directory under java.io.tmpdir, which the
 * parent sets to a directory of this worker's own and deletes when the worker ends.
 */
public final class TlcWorkerMain {

    public static void main(String[] args) throws IOException, InterruptedException {
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        java.util.concurrent.BlockingQueue<String> requests = watchParent();
        int runs = 0;
        while (true) {
            String line = requests.take();
            JsonNode request = Protocol.JSON.readTree(line);
            if (request.has("quit")) break;
            if (request.has("behaviours")) {
                emit(protocol, behaviours(Protocol.readCheckRequest(request.get("behaviours")), ++runs));
                continue;
            }
            if (ClusterRequests.accepts(request)) {
                ClusterRequests.run(request, ++runs, answer -> emit(protocol, answer));
                continue;
            }
            CheckRequest check = Protocol.readCheckRequest(request.get("check"));
            CheckResult result = runIsolated(check, ++runs, p -> emit(protocol, Protocol.progress(p)));
            emit(protocol, Protocol.result(result));
        }
        // TLC leaves non-daemon threads behind (e.g. LiveWorker's trace executor): end them all.
        System.exit(0);
    }

    /**
     * Reads requests from standard input on a thread of its own, so that the end of the input is
     * seen even while TLC runs: the parent's end of the pipe closes when the parent dies, also by
     * SIGKILL, and a worker must not go on model checking (and filling its temporary directory)
     * for nobody. Then the worker removes its directory and halts at once.
     */
    private static java.util.concurrent.BlockingQueue<String> watchParent() {
        java.util.concurrent.BlockingQueue<String> requests = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    requests.add(line);
                    if (isQuit(line)) return;
                }
            } catch (IOException closed) {
                // the same as the end of the input
            }
            Path own = Path.of(System.getProperty("java.io.tmpdir"));
            if (TempDirs.isOurs(own)) TempDirs.deleteTree(own); // never a shared /tmp: only a directory l4smp made
            Runtime.getRuntime().halt(0);
        }, "l4smp-tlc-parent-watch");
        reader.setDaemon(true);
        reader.start();
        return requests;
    }

    private static boolean isQuit(String line) {
        try {
            return Protocol.JSON.readTree(line).has("quit");
        } catch (IOException notJson) {
            return false;
        }
    }

    private static synchronized void emit(PrintStream out, String line) {
        out.println(line);
    }

    /** One run in its own class loader and scratch directory; also used by tests in-process. */
    static CheckResult runIsolated(CheckRequest request, int runNumber, java.util.function.Consumer<l4smp.tlc.Progress> progress) {
        return isolated(runNumber, (engine, scratch) -> engine.run(request, scratch, progress),
                why -> CheckResult.internalError(why));
    }

    /** TLC's simulator's behaviours, in a fresh loader like a check; the answer line of the protocol. */
    static String behaviours(CheckRequest request, int runNumber) {
        return isolated(runNumber, (engine, scratch) -> {
            try {
                return Protocol.traces(engine.behaviours(request, scratch));
            } catch (IllegalStateException simulationFailed) { // its message says which spec and why
                return Protocol.error(simulationFailed.getMessage());
            }
        }, Protocol::error);
    }

    /** What to do with a freshly loaded engine and an empty scratch directory. */
    private interface EngineTask<T> {
        T run(Engine engine, Path scratch);
    }

    /**
     * Runs {@code task} with a TLC loaded afresh, on a fresh thread, in a scratch directory of its
     * own, and cleans up after TLC; {@code failed} turns a reason into the answer when it fails.
     */
    private static <T> T isolated(int runNumber, EngineTask<T> task, java.util.function.Function<String, T> failed) {
        return isolated(runNumber, Engine.class, "l4smp.tlc.engine.TlcEngine", task::run, failed);
    }

    /** As above, for any boundary {@code type} implemented in the engine by {@code implementation}. */
    static <E, T> T isolated(int runNumber, Class<E> type, String implementation,
                             java.util.function.BiFunction<E, Path, T> task, java.util.function.Function<String, T> failed) {
        Path scratch = null;
        try (IsolatedLoader loader = new IsolatedLoader(TlcWorkerMain.class.getClassLoader())) {
            scratch = Files.createTempDirectory("run" + runNumber + "-");
            E engine = type.cast(loader.loadClass(implementation).getDeclaredConstructor().newInstance());
            Path dir = scratch;
            try {
                return onFreshThread(loader, () -> task.apply(engine, dir), failed);
            } finally {
                releaseRmiExports(loader);
                unregisterMBeans();
            }
        } catch (ReflectiveOperationException | IOException e) {
            return failed.apply("cannot start TLC: " + e);
        } catch (RuntimeException | StackOverflowError e) {
            return failed.apply("TLC failed: " + e);
        } finally {
            TempDirs.deleteTree(scratch);
        }
    }

    /**
     * TLC keeps thread-locals holding its own objects (IdThread's current state); on a long-lived
     * thread they would pin every run's class loader. A thread per run takes them with it.
     */
    private static <T> T onFreshThread(ClassLoader loader, java.util.function.Supplier<T> task,
                                       java.util.function.Function<String, T> failed) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = task.get();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "l4smp-tlc-run", 0); // 0: the JVM's -Xss, as TLC's own threads get (see l4smp.tlc.EvaluationStack)
        t.setContextClassLoader(loader);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed.apply("interrupted while TLC was running");
        }
        if (failure[0] != null) return failed.apply("TLC failed: " + failure[0]);
        @SuppressWarnings("unchecked") T value = (T) result[0];
        return value;
    }

    /**
     * TLC's fingerprint set is an RMI object that is never unexported; while it stays exported, the
     * RMI runtime keeps the loader and all of TLC's classes alive.
     */
    private static void releaseRmiExports(ClassLoader loader) {
        try {
            Class<?> globals = loader.loadClass("tlc2.TLCGlobals");
            Object checker = globals.getField("mainChecker").get(null);
            if (checker == null) return;
            Object fpSet = checker.getClass().getField("theFPSet").get(checker);
            // FPSet.unexportObject also unexports the nested sets of a MultiFPSet.
            if (fpSet != null) fpSet.getClass().getMethod("unexportObject", boolean.class).invoke(fpSet, true);
        } catch (ReflectiveOperationException | RuntimeException notExported) {
            // nothing to release
        }
    }

    /** TLC registers JMX beans in the JVM-wide server; the next run's registration would fail and the old one pins its loader. */
    private static void unregisterMBeans() {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        for (javax.management.ObjectName name : server.queryNames(null, null)) {
            if (!name.getDomain().startsWith("tlc2")) continue;
            try {
                server.unregisterMBean(name);
            } catch (javax.management.JMException alreadyGone) {
                // nothing to do
            }
        }
    }


}
