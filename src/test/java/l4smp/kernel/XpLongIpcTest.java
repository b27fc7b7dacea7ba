package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.hw.Reg;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.workload.Programs;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/**
 * Long IPC across CPUs (§8.4.2): the proxy on the receiver's CPU copies in the sender's space;
 * faults in the receiver's space are redone by the receiver on its CPU, faults in the sender's
 * space by the sender on its own CPU at the proxy's request, after which the proxy goes on where it
 * stopped; the page-fault timeouts bound both pagers; lthread_ex_regs aborts the transfer for both
 * wherever it stands (§8.4.3). Sender on cpu0, receiver on cpu1, the pager on cpu2, and an aborting
 * thread on cpu3: every fault IPC crosses CPUs too.
 */
class XpLongIpcTest {
    /** A pager holding 16 bytes of data at 0x310000 that it maps on request. */
    private static final String DATA_PAGER = Programs.builtIn("pager").text().replace("${rights}", "rw")
            + ".data 0x310000, 0x11111111, 0x22222222, 0x33333333, 0x44444444\n";
    /** A pager that takes a fault and never answers. */
    private static final String DEAF_PAGER = """
                        ipc  wait
                        halt
                """;

    private static String sender(int stringBytes, String options) {
        return """
                        .data 0x200000, 0, dope(4, 1), dope(4, 1)   ; 4 dwords (one in memory), 1 string
                        .data 0x200018, 0xCAFE                      ; dword 3
                        .data 0x20001C, %d, 0x310000, 0, 0          ; string dope: %d bytes from 0x310000
                        li   edx, 0xA
                        li   ebx, 0xB
                        li   edi, 0xC
                        ipc  send @rcv.main msg=0x200000 %s
                        mov  edi, eax
                        halt
                """.formatted(stringBytes, stringBytes, options);
    }

    private static String receiver(int room, String options) {
        return """
                        .data 0x200000, 0, dope(4, 1), 0
                        .data 0x200018, 0                           ; dword 3 lands here
                        .data 0x20001C, 0, 0, %d, 0x320000          ; receive up to %d bytes at 0x320000
                        ipc  receive @snd.main buf=0x200000 %s
                        mov  esp, eax
                        halt
                """.formatted(room, room, options);
    }

    /** lthread_ex_regs on lthread 0 of its own task after {@code delay}, registers unchanged. */
    private static String aborter(String delay) {
        return """
                        sleep %s
                        li   eax, 0
                        li   ecx, -1
                        li   edx, -1
                        li   esi, -1
                        syscall lthread_ex_regs
                        halt
                """.formatted(delay);
    }

    private static Scenario.Builder programs(String sender, String receiver, String aborter) {
        return Rig.programs("datapager", DATA_PAGER, "deafpager", DEAF_PAGER, "sender", sender, "receiver", receiver,
                "aborter", aborter).cpus(4);
    }

    private static Rig rig(String sender, String receiver, boolean deafSenderPager, boolean deafReceiverPager,
                           String abortSender, String abortReceiver) {
        return rig(sender, receiver, deafSenderPager, deafReceiverPager, abortSender, abortReceiver, 0);
    }

    /** With {@code seed} > 0 under the random scheduler. */
    private static Rig rig(String sender, String receiver, boolean deafSenderPager, boolean deafReceiverPager,
                           String abortSender, String abortReceiver, long seed) {
        Scenario.Builder b = programs(sender, receiver, aborter(abortSender == null ? abortReceiver : abortSender));
        if (seed > 0) {
            b.random(seed);
        }
        Scenario s = b
                .task("pager", 4, t -> t.thread("main", 0, 150, 2, "sigma0", "datapager", Map.of()))
                .task("deaf", 7, t -> t.thread("main", 0, 150, 2, "sigma0", "deafpager", Map.of()))
                .task("snd", 5, t -> {
                    t.thread("main", 0, 100, 0, deafSenderPager ? "deaf.main" : "pager.main", "sender", Map.of());
                    if (abortSender != null) {
                        t.thread("killer", 1, 100, 3, "sigma0", "aborter", Map.of());
                    }
                })
                .task("rcv", 6, t -> {
                    t.thread("main", 0, 100, 1, deafReceiverPager ? "deaf.main" : "pager.main", "receiver", Map.of());
                    if (abortReceiver != null) {
                        t.thread("killer", 1, 100, 3, "sigma0", "aborter", Map.of());
                    }
                }).build();
        return new Rig(s);
    }

    @Test
    void aLongIpcAcrossCpusThatFaultsInBothSpacesCompletes() {
        Rig rig = rig(sender(16, ""), receiver(64, ""), false, false, null, null);
        rig.runToQuiescence(40_000);

        assertEquals(CompletionCode.OK, rig.code("snd.main", Reg.EDI));
        int dope = rig.reg("rcv.main", Reg.ESP);
        assertEquals(CompletionCode.OK, CompletionCode.ofDope(dope));
        assertEquals(4, dope >>> 13, "dwords received");
        assertEquals(1, (dope >>> 8) & 0x1F, "strings received");
        assertEquals(0xA, rig.reg("rcv.main", Reg.EDX));
        assertEquals(0xCAFE, rig.word(6, 0x200018));
        for (int i = 0; i < 4; i++) {
            assertEquals(0x11111111 * (i + 1), rig.word(6, 0x320000 + 4 * i), "string word " + i);
        }
        assertEquals(16, rig.word(6, 0x20001C), "the receiver's dope says how much arrived");
        assertTrue((rig.reg("rcv.main", Reg.EFLAGS) & Reg.ZF) != 0, "the zero flag: the IPC crossed CPUs");
        assertEquals(1, rig.kernel.statistics().of(rig.id("snd.main")).pageFaults(), "sender: its string source");
        assertEquals(1, rig.kernel.statistics().of(rig.id("rcv.main")).pageFaults(), "receiver: its string buffer");
        assertEquals(1, rig.ran("xcpu.proxy.senderFault"), "the proxy's fault in the sender's space went back to it");
        assertEquals(1, rig.ran("xcpu.sender.redoFault"), "the sender redid it on its own CPU");
        assertEquals(1, rig.ran("xcpu.proxy.continue"), "and reactivated the proxy where it stopped");
        assertEquals(1, rig.ran("ipc.transmitPath.commSpaceFault"), "the comm-area fault was tunnelled to the receiver");
        assertEquals(1, rig.ran("ipc.transmitPath.returnToSender"), "which went back to the proxy");
        assertEquals(0, rig.ran("ipc.transmitPath.copy"), "no thread copied: the proxy did");
    }

    @Test
    void aLongStringIsCopiedByTheProxyInSeveralInterruptibleSteps() {
        Rig rig = rig(sender(3000, ""), receiver(4096, ""), false, false, null, null);
        rig.runToQuiescence(80_000);

        assertEquals(CompletionCode.OK, rig.code("snd.main", Reg.EDI));
        assertEquals(3000, rig.word(6, 0x20001C));
        assertTrue(rig.ran("xcpu.proxy.copy") >= 3000 / rig.kernel.config().copyChunkBytes(),
                "copied a chunk per step: " + rig.ran("xcpu.proxy.copy"));
    }

    @Test
    void aStringLongerThanItsReceiveBufferCutsTheIpcOnBothCpus() {
        Rig rig = rig(sender(16, ""), receiver(8, ""), false, false, null, null);
        rig.runToQuiescence(40_000);

        assertEquals(CompletionCode.SEND_CUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_CUT, rig.code("rcv.main", Reg.ESP));
    }

    @Test
    void theReceiversSendPageFaultTimeoutBoundsTheSendersPagerAcrossCpus() {
        Rig rig = rig(sender(16, ""), receiver(64, "spf=2ms"), true, false, null, null);
        rig.runToQuiescence(60_000);

        assertEquals(CompletionCode.SEND_SND_PF_TIMEOUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_SND_PF_TIMEOUT, rig.code("rcv.main", Reg.ESP));
    }

    @Test
    void theSendersReceivePageFaultTimeoutBoundsTheReceiversPagerAcrossCpus() {
        Rig rig = rig(sender(16, "rpf=2ms"), receiver(64, ""), false, true, null, null);
        rig.runToQuiescence(60_000);

        assertEquals(CompletionCode.SEND_RCV_PF_TIMEOUT, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_RCV_PF_TIMEOUT, rig.code("rcv.main", Reg.ESP));
    }

    @Test
    void exRegsOnTheSenderWhileItsPagerIsCalledAbortsTheTransferOnFourCpus() {
        Rig rig = rig(sender(16, ""), receiver(64, ""), true, false, "3ms", null);
        rig.runToQuiescence(60_000);

        assertEquals(CompletionCode.SEND_ABORTED, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_ABORTED, rig.code("rcv.main", Reg.ESP));
        assertEquals(1, rig.ran("xcpu.sender.redoFault"), "the abort came while the sender redid the fault");
    }

    @Test
    void exRegsOnTheReceiverWhileItsPagerIsCalledAbortsTheTransferForBoth() {
        Rig rig = rig(sender(16, ""), receiver(64, ""), false, true, null, "3ms");
        rig.runToQuiescence(60_000);

        assertEquals(CompletionCode.SEND_ABORTED, rig.code("snd.main", Reg.EDI));
        assertEquals(CompletionCode.RECEIVE_ABORTED, rig.code("rcv.main", Reg.ESP));
        assertEquals(1, rig.ran("ipc.transmitPath.commSpaceFault"), "the abort came while the receiver redid a fault");
    }

    /** The code of {@code thread}'s one completed IPC of kind {@code op}, or null if it has none. */
    private static CompletionCode completed(Rig rig, String thread, l4smp.kernel.ipc.IpcOp op) {
        for (CompletionCode c : CompletionCode.values()) {
            if (rig.sim.report().row(thread).ipcs(op, c) > 0) {
                return c;
            }
        }
        return null;
    }

    /**
     * lthread_ex_regs on the sender or the receiver at a random moment of a long IPC of random
     * length that may fault on either side, with pagers that answer or never do, under random
     * interleavings of the four CPUs: every run comes to rest without an exception, and the two
     * sides end as the uniprocessor paths would have them end, as a pair.
     */
    @Test
    void anAbortAtAnyMomentOfAFaultingLongIpcEndsBothSidesAsAPair() {
        java.util.Set<java.util.List<CompletionCode>> pairs = java.util.Set.of(
                java.util.Arrays.asList(CompletionCode.OK, CompletionCode.OK),
                java.util.Arrays.asList(CompletionCode.SEND_CUT, CompletionCode.RECEIVE_CUT),
                java.util.Arrays.asList(CompletionCode.SEND_ABORTED, CompletionCode.RECEIVE_ABORTED),
                java.util.Arrays.asList(CompletionCode.SEND_CANCELED, null),
                java.util.Arrays.asList(null, CompletionCode.RECEIVE_CANCELED),
                java.util.Arrays.asList(null, null));
        java.util.Random random = new java.util.Random(20261203);
        java.util.Set<java.util.List<CompletionCode>> seen = new java.util.HashSet<>();
        for (int run = 0; run < 60; run++) {
            boolean atSender = random.nextBoolean();
            String delay = (20 + random.nextInt(3000)) + "us";
            int bytes = 16 + random.nextInt(3000);
            Rig rig = rig(sender(bytes, ""), receiver(4096, ""), random.nextInt(3) == 0, random.nextInt(3) == 0,
                    atSender ? delay : null, atSender ? null : delay, 1 + random.nextInt(1000));
            rig.runToQuiescence(200_000);
            java.util.List<CompletionCode> pair = java.util.Arrays.asList(
                    completed(rig, "snd.main", l4smp.kernel.ipc.IpcOp.SEND),
                    completed(rig, "rcv.main", l4smp.kernel.ipc.IpcOp.RECEIVE));
            String what = "run " + run + ": abort of the " + (atSender ? "sender" : "receiver") + " after " + delay
                    + ", " + bytes + " bytes";
            assertTrue(pairs.contains(pair), what + " ended as " + pair);
            seen.add(pair);
        }
        assertTrue(seen.contains(java.util.Arrays.asList(CompletionCode.SEND_ABORTED, CompletionCode.RECEIVE_ABORTED)),
                "some aborts hit a transfer: " + seen);
        assertTrue(seen.contains(java.util.Arrays.asList(CompletionCode.OK, CompletionCode.OK)),
                "some transfers were done before the abort: " + seen);
    }
}
