package l4smp.specs;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.TempDirs;
import l4smp.tlc.TlcDriver;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two wrong versions of XpIpc that issue 13's review found passing the small configurations
 * are killed there now: each is written into a scratch copy of spec-tla/ and checked.
 */
class XpIpcMutantsTest {

    /** XpIpc with {@code original} replaced by {@code mutant}, checked against {@code config}. */
    private static CheckResult checkMutant(String original, String mutant, String config) throws Exception {
        Path dir = Files.createTempDirectory("l4smp-xpipc-mutant-");
        try {
            try (Stream<Path> files = Files.list(ModelConfigsTest.PROJECT.specDir())) {
                for (Path f : files.filter(p -> p.toString().endsWith(".tla")).toList()) Files.copy(f, dir.resolve(f.getFileName()));
            }
            String spec = Files.readString(dir.resolve("XpIpc.tla"));
            assertTrue(spec.contains(original), "the spec still reads " + original);
            Files.writeString(dir.resolve("XpIpc.tla"), spec.replace(original, mutant));
            Path cfg = ModelConfigsTest.PROJECT.configDir().resolve("XpIpc").resolve(config + ".cfg");
            return TlcDriver.shared().check(new CheckRequest(dir.resolve("MCXpIpc.tla"), cfg, 1, null, null, null, null, List.of()));
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    @Test
    void aReceiverReturnThatForgetsItsWakeupEntryIsCaughtBySmall() throws Exception {
        CheckResult r = checkMutant("Commit(EndIpc(t, CcOk, [Cur EXCEPT !.wakeupQ[cpu[t]] = @ \\ {t}]))",
                "Commit(EndIpc(t, CcOk, Cur))", "XpIpcSmall");
        assertEquals("WakeupQueueInv", r.violated(), r.message());
    }

    @Test
    void aLostReplyMailboxIsCaughtBySmallAndLivenessSmall() throws Exception {
        String reply = "mb' = [mb EXCEPT ![t].state = \"reply\", ![t].cpu = cpu[t]]";
        String lost = "mb' = [mb EXCEPT ![t] = Nil]";
        assertEquals("ReplyInFlightInv", checkMutant(reply, lost, "XpIpcSmall").violated());
        assertEquals("ReplyInFlightInv", checkMutant(reply, lost, "XpIpcLivenessSmall").violated());
    }
}
