package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.Timeout;
import l4smp.kernel.ipc.TimeoutWord;
import l4smp.kernel.mm.Fpage;
import org.junit.jupiter.api.Test;

/** The Version X encodings: timeouts, fpages, completion codes. */
class EncodingsTest {
    @Test
    void timeoutsAreMantissaTimesFourToTheFifteenMinusExponentMicroseconds() {
        TimeoutWord word = TimeoutWord.of(14, 10, 0, 0, 0, 15);
        assertEquals(Timeout.cycles(10L * 4 * 450), word.send(), "10 * 4^1 µs at 450 cycles per µs");
        assertTrue(word.receive().isNever(), "exponent 0: never");
        assertTrue(word.sendPageFault().isNever());
        assertTrue(word.receivePageFault().isZero(), "page-fault exponent 15: zero");
        assertTrue(TimeoutWord.of(3, 0, 3, 0, 0, 0).send().isZero(), "mantissa 0: zero");
        assertTrue(TimeoutWord.NEVER.send().isNever() && TimeoutWord.NEVER.receive().isNever());
        int[] encoded = TimeoutWord.encodeMicros(1000);
        assertTrue(encoded[1] * (1L << 2 * (15 - encoded[0])) >= 1000, "encodes at least the time asked");
    }

    @Test
    void anFpageIsBaseSizeAndRightsInOneWord() {
        Fpage page = Fpage.decode(0x0020_0000 | (14 << 2) | 2);
        assertEquals(0x200000, page.base());
        assertEquals(16384, page.size());
        assertTrue(page.writable());
        assertFalse(page.grant());
        assertEquals(0x0020_0000 | (14 << 2) | 2, page.encode());
        assertEquals(0x200000, Fpage.decode(0x0020_3000 | (14 << 2)).base(), "the base is aligned to the size");
        assertFalse(Fpage.decode(4 << 2).isValid(), "smaller than a page describes nothing");
        assertTrue(Fpage.WHOLE_SPACE.contains(0xFFFF_FFFFL));
    }

    @Test
    void sendPhaseCodesHaveBitFourSet() {
        for (CompletionCode code : CompletionCode.values()) {
            if (code != CompletionCode.NONE && code != CompletionCode.OK && code != CompletionCode.NOT_EXISTENT) {
                assertEquals(code.label().startsWith("send_"), code.isSendPhase(), code.label());
                assertEquals(code, CompletionCode.ofDope(code.value() | 0x12345000), "read back from a result dope");
            }
        }
        assertEquals(CompletionCode.NOT_EXISTENT, CompletionCode.ofDope(0x10), "0x10 names no phase: either partner is missing");
    }
}
