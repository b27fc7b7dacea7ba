package l4smp.cli;

import l4smp.tlc.TestSpecs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        ProcessHandle worker = run.workers.get(0);
        assertTrue(worker.onExit().toCompletableFuture().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null
                && !worker.isAlive(), "the worker JVM is still running after its parent was killed");
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

    /** SIGTERM to a suite checking two configurations at once: both jobs' workers go, not only one. */
    @Test
    void sigtermEndsEveryJobOfASuite() throws Exception {
        Path project = tmp.resolve("project");
        Files.createDirectories(project.resolve("spec-tla"));
        Files.createDirectories(project.resolve("model-configs/Big"));
        Files.copy(TestSpecs.spec("Big"), project.resolve("spec-tla/Big.tla"));
        for (String name : new String[]{"Big", "Big2"}) {
            Files.writeString(project.resolve("model-configs/Big/" + name + ".cfg"), "\\* expect: holds\n"
                    + Files.readString(TestSpecs.cfg("Big")));
        }
        Run run = start(2, "suite", "--root", project.toString(), "--jobs", "2", "--workers", "1", "-q");
        long t0 = System.nanoTime();
        run.cli.destroy(); // SIGTERM
        assertEndsWith(run, 143, t0, "SIGTERM to suite --jobs 2");
    }

    private record Run(Process cli, List<ProcessHandle> workers) {
    }

    /** {@code l4smp check Big} in a JVM of its own, once its worker is exploring states. */
    private Run startBigCheck() throws Exception {
        return start(1, "check", TestSpecs.spec("Big").toString(), "--workers", "1", "-q");
    }

    /** {@code l4smp args} in a JVM of its own, once {@code workers} TLC workers are exploring states. */
    private Run start(int workers, String... args) throws Exception {
        Process cli = cli(args).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> found = cli.descendants().filter(SignalsTest::isWorker).toList();
            if (found.size() == workers && running() == workers) {
                Thread.sleep(2000); // well into the search
                return new Run(cli, found);
            }
            assertTrue(cli.isAlive(), "the run ended early");
            Thread.sleep(100);
        }
        cli.destroyForcibly();
        throw new AssertionError("the TLC workers did not start exploring within 60 s");
    }

    /** How many workers have made the scratch directory of their first run: TLC is starting. */
    private long running() throws Exception {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("run1-")).count();
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
        for (ProcessHandle worker : run.workers) assertFalse(worker.isAlive(), "a worker JVM outlived its parent");
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
