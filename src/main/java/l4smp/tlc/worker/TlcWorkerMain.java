package l4smp.tlc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

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

    public static void main(String[] args) throws IOException {
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int runs = 0;
        for (String line; (line = in.readLine()) != null; ) {
            JsonNode request = Protocol.JSON.readTree(line);
            if (request.has("quit")) break;
            if (request.has("behaviours")) {
                emit(protocol, behaviours(Protocol.readCheckRequest(request.get("behaviours")), ++runs));
                continue;
            }
            CheckRequest check = Protocol.readCheckRequest(request.get("check"));
            CheckResult result = runIsolated(check, ++runs, p -> emit(protocol, Protocol.progress(p)));
            emit(protocol, Protocol.result(result));
        }
        // TLC leaves non-daemon threads behind (e.g. LiveWorker's trace executor): end them all.
        System.exit(0);
    }

    private static synchronized void emit(PrintStream out, String line) {
        out.println(line);
    }

    /** One run in its own class loader and scratch directory; also used by tests in-process. */
    static CheckResult runIsolated(CheckRequest request, int runNumber, java.util.function.Consumer<l4smp.tlc.Progress> progress) {
        Path scratch = null;
        try (IsolatedLoader loader = new IsolatedLoader(TlcWorkerMain.class.getClassLoader())) {
            scratch = Files.createTempDirectory("run" + runNumber + "-");
            Engine engine = (Engine) loader.loadClass("l4smp.tlc.engine.TlcEngine").getDeclaredConstructor().newInstance();
            try {
                return onFreshThread(loader, engine, request, scratch, progress);
            } finally {
                releaseRmiExports(loader);
                unregisterMBeans();
            }
        } catch (ReflectiveOperationException | IOException e) {
            return CheckResult.internalError("cannot start TLC: " + e);
        } catch (RuntimeException | StackOverflowError e) {
            return CheckResult.internalError("TLC failed: " + e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** TLC's simulator's behaviours, in a fresh loader like a check; the answer line of the protocol. */
    static String behaviours(CheckRequest request, int runNumber) {
        Path scratch = null;
        try (IsolatedLoader loader = new IsolatedLoader(TlcWorkerMain.class.getClassLoader())) {
            scratch = Files.createTempDirectory("run" + runNumber + "-");
            Engine engine = (Engine) loader.loadClass("l4smp.tlc.engine.TlcEngine").getDeclaredConstructor().newInstance();
            Path dir = scratch;
            Object[] out = new Object[1];
            Thread t = new Thread(null, () -> {
                try {
                    out[0] = engine.behaviours(request, dir);
                } catch (RuntimeException | Error e) {
                    out[0] = e;
                }
            }, "l4smp-tlc-simulate", 256L << 20);
            t.setContextClassLoader(loader);
            t.start();
            t.join();
            unregisterMBeans();
            if (out[0] instanceof Throwable e) return Protocol.error(String.valueOf(e.getMessage()));
            @SuppressWarnings("unchecked") java.util.List<l4smp.trace.Trace> traces = (java.util.List<l4smp.trace.Trace>) out[0];
            return Protocol.traces(traces);
        } catch (ReflectiveOperationException | IOException e) {
            return Protocol.error("cannot start TLC: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Protocol.error("interrupted");
        } finally {
            deleteQuietly(scratch);
        }
    }

    /**
     * TLC keeps thread-locals holding its own objects (IdThread's current state); on a long-lived
     * thread they would pin every run's class loader. A thread per run takes them with it.
     */
    private static CheckResult onFreshThread(ClassLoader loader, Engine engine, CheckRequest request, Path scratch,
                                             java.util.function.Consumer<l4smp.tlc.Progress> progress) {
        CheckResult[] result = new CheckResult[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = engine.run(request, scratch, progress);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "l4smp-tlc-run", 256L << 20); // TLC evaluates recursively: give it a deep stack
        t.setContextClassLoader(loader);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.internalError("interrupted while TLC was running");
        }
        if (failure[0] != null) return CheckResult.internalError("TLC failed: " + failure[0]);
        return result[0];
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

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover scratch file is not worth failing a run for; the worker's tmpdir goes anyway
        }
    }
}
