package l4smp.tlc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import l4smp.trace.format.TraceFormatException;
import l4smp.tlc.worker.Protocol;
import l4smp.tlc.worker.TlcWorkerMain;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One TLC worker JVM, seen from the parent: starts it, sends it a request, reads its progress
 * and result, and kills it on a timeout. A worker has its own {@code java.io.tmpdir} (where TLC
 * extracts its standard modules and writes its state files) that is deleted when it stops, so
 * that concurrent l4smp processes never share TLC's files and nothing is written beside specs.
 */
final class WorkerProcess implements AutoCloseable {
    /** Marks the end of the stream in the line queue when the worker's stdout closes. */
    private static final String EOF = "\u0000eof";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path tmpDir;
    private final BufferedWriter requests;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final java.util.ArrayDeque<String> stderrTail = new java.util.ArrayDeque<>();
    private int runs;

    /**
     * Every worker this JVM started and has not yet ended (a suite's jobs, a distributed run's
     * server): killed when the JVM exits, also on SIGTERM and SIGINT while a check runs, from a hook
     * that takes no lock a running check holds (or the signal would wait for TLC to finish).
     */
    private static final java.util.Set<WorkerProcess> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        TempDirs.beforeCleanup(() -> RUNNING.forEach(WorkerProcess::kill));
    }

    private WorkerProcess(Process process, Path tmpDir) {
        this.process = process;
        this.tmpDir = tmpDir;
        RUNNING.add(this);
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(this::pump, "l4smp-tlc-worker-reader");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(this::drainStderr, "l4smp-tlc-worker-stderr");
        errors.setDaemon(true);
        errors.start();
    }

    static WorkerProcess start() throws IOException {
        return start(List.of());
    }

    /** A worker JVM with more options for the JVM itself (a distributed run's RMI settings). */
    static WorkerProcess start(List<String> jvmOptions) throws IOException {
        TempDirs.sweepStale();
        Path tmp = TempDirs.create("tlc");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseParallelGC");
        command.add("-Xss" + EvaluationStack.XSS);
        command.add("-Dfile.encoding=UTF-8");
        command.add("-Djava.awt.headless=true");
        command.add("-Djava.io.tmpdir=" + tmp);
        if (Boolean.getBoolean("l4smp.tlc.debug")) command.add("-Dl4smp.tlc.debug=true");
        String extra = System.getenv("L4SMP_TLC_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) command.addAll(List.of(extra.trim().split("\\s+")));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(absoluteClassPath());
        command.add(TlcWorkerMain.class.getName());
        // The worker runs in its private directory, so that nothing TLC writes lands in the caller's.
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        return new WorkerProcess(pb.start(), tmp);
    }

    /** The caller's class path with absolute entries: the worker starts in another directory. */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * TLC's own chatter goes to the worker's stderr. The last lines are kept to explain a worker
     * that dies; all of it is shown when debugging.
     */
    private void drainStderr() {
        boolean echo = showWorkerOutput();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (echo) System.err.println("[tlc-worker] " + line);
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 40) stderrTail.removeFirst();
                }
            }
        } catch (IOException closed) {
            // the worker is gone
        }
    }

    private static boolean showWorkerOutput() {
        return Boolean.getBoolean("l4smp.tlc.debug") || System.getenv("L4SMP_TLC_DEBUG") != null;
    }

    int runs() {
        return runs;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends one request and waits for its result. On a timeout or a dead worker the worker is
     * killed and the result says so; the caller must then start a new worker.
     */
    CheckResult run(CheckRequest request, Consumer<Progress> progress) {
        runs++;
        long deadline = request.timeout() == null ? Long.MAX_VALUE
                : System.nanoTime() + request.timeout().toNanos();
        Progress last = null;
        try {
            requests.write(Protocol.checkRequestLine(request));
            requests.newLine();
            requests.flush();
            while (true) {
                long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (wait <= 0) return timedOut(request, last);
                String line = lines.poll(Math.min(wait, TimeUnit.SECONDS.toNanos(3600)), TimeUnit.NANOSECONDS);
                if (line == null) continue;
                if (line.equals(EOF)) return died();
                JsonNode msg = JSON.readTree(line);
                if (msg.has("progress")) {
                    last = Protocol.readProgressNode(msg.get("progress"));
                    progress.accept(last);
                } else if (msg.has("result")) {
                    return Protocol.readResult(msg.get("result"));
                }
            }
        } catch (IOException | TraceFormatException e) {
            close();
            return CheckResult.internalError("lost contact with the TLC worker: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return CheckResult.internalError("interrupted while TLC was running");
        }
    }

    /** TLC's simulated behaviours; on failure an exception saying why (the worker is then gone). */
    List<l4smp.trace.Trace> behaviours(CheckRequest request) {
        runs++;
        try {
            requests.write(Protocol.behavioursRequestLine(request));
            requests.newLine();
            requests.flush();
            while (true) {
                String line = lines.take();
                if (line.equals(EOF)) throw new IllegalStateException(died().message());
                JsonNode msg = JSON.readTree(line);
                if (msg.has("traces")) return Protocol.readTraces(msg);
                if (msg.has("error")) throw new IllegalStateException(msg.get("error").asText());
            }
        } catch (IOException | TraceFormatException e) {
            close();
            throw new IllegalStateException("lost contact with the TLC worker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while TLC was simulating", e);
        }
    }

    /** How a {@link #converse} ended. */
    enum Ending { ANSWERED, DIED, TIMED_OUT }

    /**
     * Sends {@code requestLine} and hands each line of the answer to {@code answer} until it
     * returns true (the last line), the worker dies, or {@code deadline} ({@link System#nanoTime},
     * {@code Long.MAX_VALUE} for none) passes; then the worker is killed.
     */
    Ending converse(String requestLine, long deadline, java.util.function.Predicate<JsonNode> answer)
            throws IOException, InterruptedException {
        runs++;
        requests.write(requestLine);
        requests.newLine();
        requests.flush();
        while (true) {
            long wait = deadline == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(3600) : deadline - System.nanoTime();
            if (wait <= 0) {
                close();
                return Ending.TIMED_OUT;
            }
            String line = lines.poll(wait, TimeUnit.NANOSECONDS);
            if (line == null) continue;
            if (line.equals(EOF)) return Ending.DIED;
            if (answer.test(JSON.readTree(line))) return Ending.ANSWERED;
        }
    }

    CheckResult timedOut(CheckRequest request, Progress last) {
        close();
        // The worker is killed, so the last sample is all that is known; TLC never said more.
        Statistics stats = Statistics.sampled(last, request.timeout().toMillis());
        return new CheckResult(Outcome.TIMEOUT, null, List.of(), stats, null, List.of(), List.of(),
                "stopped after " + request.timeout().toSeconds() + " s; no violation found until then");
    }

    CheckResult died() {
        int status = exitStatus();
        close();
        return CheckResult.internalError("the TLC worker JVM exited with status " + status + " during the run; its last words: "
                + lastWords() + " (set L4SMP_TLC_DEBUG=1 to see all its output)");
    }

    /** The exit status of a worker that has ended (or is ending), -1 if it does not end within 5 s. */
    int exitStatus() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The last line the worker printed on stderr. */
    String lastWords() {
        synchronized (stderrTail) {
            return stderrTail.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) lines.add(line);
        } catch (IOException closed) {
            // the worker went away; EOF below tells the waiting run
        }
        lines.add(EOF);
    }

    /**
     * Ends the worker at once, whatever it is doing, and removes its directory: for a JVM that is
     * going (SIGTERM, SIGINT), where a graceful {@link #close} would wait for TLC.
     */
    void kill() {
        RUNNING.remove(this);
        process.destroyForcibly();
        try {
            process.waitFor(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TempDirs.deleteTree(tmpDir);
    }

    @Override
    public void close() {
        RUNNING.remove(this);
        if (process.isAlive()) {
            try {
                requests.write("{\"quit\":true}");
                requests.newLine();
                requests.flush();
                if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
        TempDirs.deleteTree(tmpDir);
    }


}
