package l4smp.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code l4smp worker} processes on this machine for the distributed tests: each a JVM of its own
 * (with its TLC worker JVM below it), talking to the server over loopback only.
 */
final class LoopbackWorkers implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();
    private final Path logs;

    LoopbackWorkers(Path logs) {
        this.logs = logs;
    }

    /** A port nobody listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code l4smp ARGS...} as a process of its own. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path log = logs.resolve("process-" + started.size() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** A worker with one thread for the server on loopback {@code port}. */
    Process worker(int port) throws IOException {
        return start("worker", "127.0.0.1:" + port, "--threads", "1", "--connect-timeout", "90s");
    }

    /** Ends {@code p} and its TLC JVM at once, as a machine that dies would. */
    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Its exit code, after waiting for it to end. */
    static int exitOf(Process p) throws InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("the process did not end within 120 s");
        return p.exitValue();
    }

    String log(int i) throws IOException {
        return Files.readString(logs.resolve("process-" + i + ".log"));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) kill(p);
        }
    }
}
