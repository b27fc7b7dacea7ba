package l4smp.cli;

import l4smp.tlc.TestSpecs;
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

/** One error format for every command; options that make no sense are refused; help and version say what is true. */
class UsageTest {
    @TempDir
    Path tmp;

    /** Before: a bad value printed the message and then 20-40 lines of usage. */
    @Test
    void aBadOptionGetsOneLineAndAShortHintNotTheUsage() {
        CliRun r = CliRun.of("check", "Holds", "--timeot", "5s");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals(List.of("l4smp: error: Unknown options: '--timeot', '5s'", "  did you mean: --timeout?",
                "  see 'l4smp check --help'"), r.err().lines().toList());
        CliRun value = CliRun.of("simulate", "scenarios/call-reply.json", "--steps", "0");
        assertEquals(ExitCodes.USAGE, value.exit());
        assertEquals(List.of("l4smp: error: --steps must be at least 1, not 0", "  see 'l4smp simulate --help'"),
                value.err().lines().toList());
        CliRun pbt = CliRun.of("pbt", "noSuchProperty");
        assertEquals(ExitCodes.USAGE, pbt.exit(), pbt.toString());
        assertTrue(pbt.err().startsWith("l4smp: error: "), pbt.err());
    }

    /** Before: --depth 0 and --traces -1 were accepted. */
    @Test
    void simulationNeedsAPositiveDepthAndNumberOfTraces() {
        for (String[] bad : new String[][]{{"--depth", "0"}, {"--traces", "-1"}}) {
            CliRun r = CliRun.of("check", TestSpecs.spec("Holds").toString(), "--simulate", bad[0], bad[1]);
            assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
            assertTrue(r.err().startsWith("l4smp: error: " + bad[0] + " must be at least 1, not " + bad[1]), r.err());
        }
    }

    /** Before: behaviours failed unless the directory existed. */
    @Test
    void behavioursCreatesItsOutputDirectory() throws Exception {
        Path dir = tmp.resolve("new/nested");
        CliRun r = CliRun.of("behaviours", TestSpecs.spec("Holds").toString(), "--traces", "2", "--depth", "3", "--out-dir", dir.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        CliRun onFile = CliRun.of("behaviours", TestSpecs.spec("Holds").toString(), "--out-dir", file.toString());
        assertEquals(ExitCodes.USAGE, onFile.exit(), onFile.toString());
        assertTrue(onFile.err().contains("it exists and is not a directory"), onFile.err());
    }

    /** Before: bench hw's help said exit 1; the top-level help's bench line listed nothing (then missed kernel and ipc); --version said "development build". */
    @Test
    void helpAndVersionSayWhatIsTrue() {
        String benchHelp = CliRun.of("bench", "hw", "--help").out();
        assertTrue(benchHelp.contains("50   some ratio is outside 0.95-1.05"), benchHelp);
        assertFalse(benchHelp.contains(", 1 if not"), benchHelp);
        String top = CliRun.of("--help").out();
        String benchLine = top.substring(top.indexOf("\n  bench "), top.indexOf("\n  pbt ")).replaceAll("\\s+", " ");
        for (String name : Main.commandLine().getSubcommands().get("bench").getSubcommands().keySet()) {
            assertTrue(benchLine.contains(name + " ("), "the bench line names " + name + ": " + benchLine);
        }
        String version = CliRun.of("--version").out();
        assertTrue(version.matches("(?s)l4smp \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{7,}.*"), version);
    }

    @Test
    void completionIsGeneratedForEveryCommand() {
        CliRun r = CliRun.of("completion");
        assertEquals(ExitCodes.OK, r.exit());
        assertTrue(r.out().contains("complete -F _complete_l4smp") && r.out().contains("--timeout") && r.out().contains("behaviours"),
                r.out().substring(0, Math.min(400, r.out().length())));
    }

    /** Running out of memory is one line saying how to give more, not a stack trace (a JVM with a 32 MB heap). */
    @Test
    void outOfMemoryIsOneLineSayingHowToGiveMore() throws Exception {
        Path big = tmp.resolve("big.itf.json");
        StringBuilder sb = new StringBuilder("{\"vars\": [\"x\"], \"states\": [");
        for (int i = 0; i < 400_000; i++) sb.append(i == 0 ? "" : ",").append("{\"x\": {\"#set\": [\"a").append(i).append("\", \"b\"]}}");
        Files.writeString(big, sb.append("]}").toString());
        String cp = String.join(File.pathSeparator, Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).toList());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp", cp,
                Main.class.getName(), "export", big.toString(), "--out", tmp.resolve("big.html").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(ExitCodes.INTERNAL, p.exitValue(), err);
        assertTrue(err.startsWith("l4smp: error: out of memory: the Java heap (at most "), err);
        assertTrue(err.contains("give Java more, e.g. java -Xmx"), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
        assertFalse(Files.exists(tmp.resolve("big.html")), "nothing half-written");
    }
}
