package l4smp.cli;

import l4smp.tlc.TestSpecs;
import l4smp.trace.format.Itf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --out} writes what is at the path the way a Unix tool would, and never destroys a special file. */
class OutputFilesTest {
    @TempDir
    Path tmp;
    private Path itf;

    @BeforeEach
    void trace() throws Exception {
        itf = tmp.resolve("t.itf.json");
        Files.writeString(itf, Itf.write(TestSpecs.check("Transfer").trace()));
    }

    private CliRun export(Path out, String... more) {
        String[] args = Stream.concat(Stream.of("export", itf.toString(), "--out", out.toString()), Stream.of(more))
                .toArray(String[]::new);
        return CliRun.of(args);
    }

    @Test
    void aSymbolicLinkIsFollowedAndStaysALink() throws Exception {
        Path target = tmp.resolve("real.txt");
        Files.writeString(target, "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.txt"), target.getFileName());
        CliRun r = export(link);
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertTrue(Files.readString(target).contains("State 1: Withdraw"), "the trace went to the link's target");
    }

    @Test
    void aFifoIsWrittenIntoNotReplaced() throws Exception {
        Path fifo = tmp.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (java.io.IOException e) {
                return "read failed: " + e;
            }
        });
        CliRun r = export(fifo, "--format", "text");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(reader.get(30, TimeUnit.SECONDS).contains("State 1: Withdraw"), "the reader got the trace");
        assertEquals(0010000, fileType(fifo), "still a FIFO");
    }

    @Test
    void characterDevicesAreWrittenIntoAndOtherSpecialFilesRefused() throws Exception {
        assertEquals(OutputFiles.Kind.STREAM, OutputFiles.target(Path.of("/dev/null")).kind());
        Path socket = tmp.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CliRun r = export(socket, "--format", "text");
            assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
            assertTrue(r.err().startsWith("l4smp: error: cannot write " + socket + ": it is a socket"), r.err());
            assertEquals(0140000, fileType(socket), "the socket is left alone");
        }
    }

    @Test
    void aNewFileHasTheUmasksModeAndAnExistingFileKeepsItsMode() throws Exception {
        Path fresh = tmp.resolve("fresh.txt");
        assertEquals(ExitCodes.OK, export(fresh).exit());
        assertEquals(0666 & ~umask(), mode(fresh), "created as any Unix tool creates files");

        Path kept = tmp.resolve("kept.txt");
        Files.writeString(kept, "old");
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(ExitCodes.OK, export(kept).exit());
        assertEquals(0640, mode(kept));
        assertTrue(Files.readString(kept).contains("State 1: Withdraw"));
        try (Stream<Path> left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void dashIsStandardOutput() {
        CliRun r = export(Path.of("-"), "--format", "itf");
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        assertTrue(r.out().startsWith("{") && r.out().contains("\"#meta\""), r.out());
        assertEquals(ExitCodes.USAGE, export(Path.of("-")).exit(), "the format cannot be told from '-'");
        CliRun check = CliRun.of("check", TestSpecs.spec("Transfer").toString(), "--out", "-", "--format", "text", "--workers", "1");
        assertEquals(ExitCodes.INVARIANT, check.exit(), check.toString());
        assertTrue(check.out().startsWith("Transfer with Transfer.cfg: invariant NoOverdraft is violated\n\nState 0:"),
                "only the trace on stdout: " + check.out());
        assertTrue(check.err().contains("invariant NoOverdraft is violated (exit 10)"), "the report on stderr: " + check.err());
    }

    @Test
    void anUnwritableTargetIsFoundBeforeTheRunWithTheReason() {
        CliRun r = CliRun.of("check", TestSpecs.spec("Transfer").toString(), "--out", "/proc/l4smp-test.txt");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().startsWith("l4smp: error: cannot write /proc/l4smp-test.txt: cannot create files in /proc ("), r.err());
        assertFalse(r.out().contains("invariant"), "TLC was not run: " + r.out());
        assertFalse(Files.exists(Path.of("/proc/l4smp-test.txt")));
    }

    private static int fileType(Path p) throws Exception {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
    }

    private static int mode(Path p) throws Exception {
        int m = 0;
        for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) m |= 1 << (8 - perm.ordinal());
        return m;
    }

    /** This process's umask, as Linux reports it. */
    private static int umask() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) return Integer.parseInt(line.substring(6).trim(), 8);
        }
        throw new AssertionError("no Umask in /proc/self/status");
    }
}
