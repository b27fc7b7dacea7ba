package l4smp.cli;

import l4smp.tlc.TestSpecs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals to a real {@code l4smp check} process (a JVM of its own, running a spec far too big
 * to finish) while TLC runs in its worker JVM: the run ends at once with the shell's exit code,
 * the worker goes with it, and nothing is left in the temporary directory. The times printed are
 * measurements for the record, not assertions (the bounds only tell "ended" from "hangs").
 */
class SignalsTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermEndsTheRunAtOnceWithExit143() throws Exception {
        Run run = startBigCheck();
        long t0 = System.nanoTime();
        run.cli.destroy(); // SIGTERM
        assertEndsWith(run, 143, t0, "SIGTERM");
    }

    @Test
    void sigintEndsTheRunAtOnceWithExit130() throws Exception {
        Run run = startBigCheck();
        Assumptions.assumeFalse(ignores(run.cli.pid(), 2), "SIGINT is ignored in this environment (started in the background)");
        long t0 = System.nanoTime();
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(run.cli.pid())).start().waitFor());
        assertEndsWith(run, 130, t0, "SIGINT");
    }

    @Test
    void theWorkerEndsOnItsOwnWhenItsParentIsKilled() throws Exception {
        Run run = startBigCheck();
        long t0 = System.nanoTime();
        run.cli.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
        assertTrue(run.worker.onExit().toCompletableFuture().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null
                && !run.worker.isAlive(), "the worker JVM is still running after its parent was killed");
        System.out.printf("worker exited %.2f s after SIGKILL of its parent%n", (System.nanoTime() - t0) / 1e9);
        assertNoTempFiles();
    }

    @Test
    void staleDirectoriesOfDeadRunsAreRemovedAtTheNextStart() throws Exception {
        Path stale = Files.createDirectories(tmp.resolve("l4smp-tlc-999999999.1-12345/run1-6789/states"));
        Files.writeString(stale.resolve("big.st"), "x".repeat(1000));
        Path unrelated = Files.createDirectories(tmp.resolve("l4smp-notes"));
        Process cli = cli("check", TestSpecs.spec("Holds").toString(), "--workers", "1", "-q").start();
        assertTrue(cli.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, cli.exitValue(), Files.readString(tmp.resolve("stderr.txt")));
        assertFalse(Files.exists(tmp.resolve("l4smp-tlc-999999999.1-12345")), "the dead run's directory is gone");
        assertTrue(Files.exists(unrelated), "a directory l4smp did not name is left alone");
        Files.delete(unrelated);
        assertNoTempFiles();
    }

    private record Run(Process cli, ProcessHandle worker) {
    }

    /** {@code l4smp check Big} in a JVM of its own, once its worker is exploring states. */
    private Run startBigCheck() throws Exception {
        Process cli = cli("check", TestSpecs.spec("Big").toString(), "--workers", "1", "-q").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> worker = cli.descendants().filter(SignalsTest::isWorker).findFirst();
            if (worker.isPresent() && running()) {
                Thread.sleep(2000); // well into the search
                return new Run(cli, worker.get());
            }
            assertTrue(cli.isAlive(), "the check ended early");
            Thread.sleep(100);
        }
        cli.destroyForcibly();
        throw new AssertionError("the TLC worker did not start exploring within 60 s");
    }

    /** The worker has made the scratch directory of its first run: TLC is starting. */
    private boolean running() throws Exception {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("run1-"));
        }
    }

    private static boolean isWorker(ProcessHandle p) {
        return p.info().commandLine().map(c -> c.contains("l4smp.tlc.worker.TlcWorkerMain")).orElse(false);
    }

    private ProcessBuilder cli(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", classPath(), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(tmp.resolve("stderr.txt").toFile());
    }

    private static String classPath() {
        return String.join(File.pathSeparator, Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).toList());
    }

    private void assertEndsWith(Run run, int exit, long t0, String signal) throws Exception {
        assertTrue(run.cli.waitFor(30, TimeUnit.SECONDS), signal + " did not end the run (it waits for TLC)");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: l4smp exited %d after %.2f s%n", signal, run.cli.exitValue(), seconds);
        assertEquals(exit, run.cli.exitValue(), Files.readString(tmp.resolve("stderr.txt")));
        assertFalse(run.worker.isAlive(), "the worker JVM outlived its parent");
        assertNoTempFiles();
    }

    private void assertNoTempFiles() throws Exception {
        try (Stream<Path> left = Files.list(tmp)) {
            List<Path> ours = left.filter(p -> p.getFileName().toString().startsWith("l4smp-")).toList();
            assertEquals(List.of(), ours, "temporary files left behind");
        }
    }

    /** Whether process {@code pid} ignores signal {@code signal} (Linux: SigIgn in /proc/PID/status). */
    private static boolean ignores(long pid, int signal) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigIgn:")) return (Long.parseLong(line.substring(7).trim(), 16) & (1L << (signal - 1))) != 0;
        }
        return false;
    }
}
