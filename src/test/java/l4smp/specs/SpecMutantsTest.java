package l4smp.specs;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.tlc.TempDirs;
import l4smp.tlc.TlcDriver;
import l4smp.trace.TlaValue;
import l4smp.trace.TraceState;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static l4smp.specs.TraceValues.at;
import static l4smp.specs.TraceValues.elements;
import static l4smp.trace.TlaValue.model;
import static l4smp.trace.TlaValue.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wrong versions of the specs that once passed their small configurations are killed there now:
 * the two of XpIpc that issue 13's review found, and UhligRace's never-resumed XP sender and
 * ProxyWakeup's unchecked proxy partner that {@code l4smp mutate} found. Each is written into a
 * scratch copy of spec-tla/ and checked.
 */
class SpecMutantsTest {

    /** XpIpc with {@code original} replaced by {@code mutant}, checked against {@code config}. */
    private static CheckResult checkMutant(String original, String mutant, String config) throws Exception {
        return checkMutant("XpIpc", original, mutant, config);
    }

    /** {@code spec} with {@code original} replaced by {@code mutant}, checked against {@code config} (run by MC{@code spec}). */
    private static CheckResult checkMutant(String spec, String original, String mutant, String config) throws Exception {
        Path dir = Files.createTempDirectory("l4smp-spec-mutant-");
        try {
            try (Stream<Path> files = Files.list(ModelConfigsTest.PROJECT.specDir())) {
                for (Path f : files.filter(p -> p.toString().endsWith(".tla")).toList()) Files.copy(f, dir.resolve(f.getFileName()));
            }
            String text = Files.readString(dir.resolve(spec + ".tla"));
            assertTrue(text.contains(original), "the spec still reads " + original);
            Files.writeString(dir.resolve(spec + ".tla"), text.replace(original, mutant));
            Path cfg = ModelConfigsTest.PROJECT.configDir().resolve(spec).resolve(config + ".cfg");
            return TlcDriver.shared().check(new CheckRequest(dir.resolve("MC" + spec + ".tla"), cfg, 1, null, null, null, null, List.of()));
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

    /** An abort (§8.4.3) that cancels a polling sender but leaves it in the receiver's send queue. */
    @Test
    void aCanceledSenderLeftInTheSendQueueIsCaughtByAborts() throws Exception {
        CheckResult r = checkMutant("THEN [sendQ EXCEPT ![partner[t]] = Remove(@, t)]", "THEN sendQ", "XpIpcAborts");
        assertEquals("SendQueueInv", r.violated(), r.message());
    }

    /** The proxy's unwind of a canceled XP send (§8.4.3) telling the sender ok: a send reported ok delivered nothing. */
    @Test
    void aProxyCancelThatReportsOkIsCaughtByAborts() throws Exception {
        CheckResult r = checkMutant("ProxyDone(t, CcSendCanceled,", "ProxyDone(t, CcOk,", "XpIpcAborts");
        assertEquals("SendResultInv", r.violated(), r.message());
    }

    /** A deletion (Events "kill") that tells a sender polling for the dead receiver ok instead of not_existent. */
    @Test
    void aDeletionThatTellsAPollingSenderOkIsCaughtByKills() throws Exception {
        CheckResult r = checkMutant("[] OTHER -> CcNotExistent", "[] OTHER -> CcOk", "XpIpcKills");
        assertEquals("SendResultInv", r.violated(), r.message());
    }

    @Test
    void aLostReplyMailboxIsCaughtBySmallAndLivenessSmall() throws Exception {
        String reply = "mb' = [mb EXCEPT ![t].state = \"reply\", ![t].cpu = cpu[t]]";
        String lost = "mb' = [mb EXCEPT ![t] = Nil]";
        assertEquals("ReplyInFlightInv", checkMutant(reply, lost, "XpIpcSmall").violated());
        assertEquals("ReplyInFlightInv", checkMutant(reply, lost, "XpIpcLivenessSmall").violated());
    }

    @Test
    void anXpSenderNeverResumedIsCaughtByUhligRaceProxySmall() throws Exception {
        String resume = "    /\\ mb' = [mb EXCEPT ![s] = Nil]\n    /\\ st' = [st EXCEPT ![s] = Ready]\n";
        String stuck = "    /\\ mb' = [mb EXCEPT ![s] = Nil]\n    /\\ UNCHANGED st\n";
        CheckResult r = checkMutant("UhligRace", resume, stuck, "UhligRaceProxySmall");
        assertEquals("DoneReadyInv", r.violated(), r.message());
    }

    @Test
    void aReceivePathThatForgetsTheProxysPartnerIsCaughtByTwoReceivers() throws Exception {
        // l4smp mutate's survivor M019: "ready to send but not to B" unchecked. Every other
        // scenario has one receiver per CPU, where the proxy of a sender B receives from polls
        // for B anyway.
        CheckResult r = checkMutant("ProxyWakeup", "st[sp] = Polling /\\ partner[sp] = t /\\ ForA(sp, a)",
                "st[sp] = Polling /\\ ForA(sp, a)", "ProxyWakeupTwoReceivers");
        assertEquals("ActivatedPairInv", r.violated(), r.message());
        assertEquals(5, r.trace().size(), "A's proxy polls for C; B's closed receive from A activates it");
    }
    /**
     * UhligRace's mutant M097 (l4smp mutate): the receiver's path never sends its IPI. In the literal
     * reading (NaiveAck) it then waits for an acknowledgement that cannot come: stuck, but not in the
     * mutual wait of two entered paths that OnlyAckHangInv allows.
     */
    @Test
    void aReceiverIpiNeverSentIsCaughtByNaiveAckClash() throws Exception {
        CheckResult r = checkMutant("UhligRace", "THEN [ipi EXCEPT ![cpu[from]] = @ \\cup {r}] ELSE ipi",
                "THEN ipi ELSE ipi", "UhligRaceNaiveAckClash");
        assertEquals("OnlyAckHangInv", r.violated(), r.message());
        TraceState last = r.trace().last();
        assertEquals(str("entered"), at(last, "phase", model("r")), "the receiver waits in its path");
        for (TlaValue pending : ((TlaValue.Fun) last.get("ipi")).mapping().values()) {
            assertFalse(elements(pending).contains(model("r")), "for an IPI it never sent: " + last);
        }
    }

    /** UhligRace's M179: the proxy does not clear its sender's proxy pointer (8.3.5). */
    @Test
    void aProxyPointerLeftSetIsCaughtByUhligRaceProxySmall() throws Exception {
        CheckResult r = checkMutant("UhligRace", "    /\\ proxy' = [proxy EXCEPT ![s] = Nil]\n", "    /\\ UNCHANGED proxy\n",
                "UhligRaceProxySmall");
        assertEquals("ProxyPointerInv", r.violated(), r.message());
        TraceState last = r.trace().last();
        assertEquals(str("reply"), at(last, "mb", model("s1")), "the operation is over");
        assertEquals(TlaValue.seq(str("proxy"), model("s1")), at(last, "proxy", model("s1")), "the pointer still names the proxy");
    }
    /**
     * MigrationBarriers' witness that a migration completes, and the mutant it exists for (l4smp
     * mutate's M132: no call can start, so every holds config passes vacuously).
     */
    @Test
    void theMigrationWitnessFailsAndANeverIssuedCallMakesItHold() throws Exception {
        CheckResult r = ModelConfigsTest.check("MigrationBarriers", "MigrationBarriersFiresMigration");
        assertEquals("DebugMigrationCompletes", r.violated(), r.message());
        TraceState last = r.trace().last();
        assertEquals(10, r.trace().size(), "the shortest run to a completed migration");
        assertEquals(str("done"), at(last, "cPc", model("s1")));
        assertEquals(at(last, "cpu", model("m")), at(last, "settled", model("m")), "m runs on its new CPU's list");
        CheckResult dead = checkMutant("MigrationBarriers", "/\\ aPc[s] = \"idle\" /\\ current[c] = s",
                "/\\ ~(aPc[s] = \"idle\") /\\ current[c] = s", "MigrationBarriersFiresMigration");
        assertEquals(Outcome.HOLDS, dead.outcome(), dead.message());
    }
}
