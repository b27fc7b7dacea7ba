package l4smp.kernel.ipc;

/**
 * The timeout word an IPC passes in ECX (L4 Version X, x86): from the least significant bit,
 * {@code rcv_exp:4 snd_exp:4 rcv_pfault:4 snd_pfault:4 snd_man:8 rcv_man:8}.
 *
 * <p>A send or receive timeout is {@code man * 4^(15 - exp)} microseconds; exponent 0 means never,
 * mantissa 0 with a non-zero exponent means zero. A page-fault timeout is {@code 4^(15 - p)}
 * microseconds; p = 0 means never, p = 15 zero (§8.3.1: "In L4 version X, the transmit timeout
 * degenerates to a pagefault timeout, i.e. the time a thread is willing to wait for the partner's
 * pager to handle pagefaults that occurred within IPC"). Microseconds become cycles at the
 * simulated clock rate.
 *
 * @param raw the ECX word
 */
public record TimeoutWord(int raw) {
    /** Both timeouts never, both page-fault timeouts never: the value a trusting client passes. */
    public static final TimeoutWord NEVER = new TimeoutWord(0);
    /** The 450 MHz Pentium III of §3.2. */
    public static final long CYCLES_PER_MICROSECOND = 450;

    /** Send timeout: {@code zero}, {@code never}, or finite. */
    public Timeout send() {
        return decode((raw >>> 4) & 0xF, (raw >>> 16) & 0xFF);
    }

    public Timeout receive() {
        return decode(raw & 0xF, (raw >>> 24) & 0xFF);
    }

    /** How long the receiver's pager may take for a fault in the receiver's space; set by the sender. */
    public Timeout receivePageFault() {
        return decodePageFault((raw >>> 8) & 0xF);
    }

    /** How long the sender's pager may take for a fault in the sender's space; set by the receiver. */
    public Timeout sendPageFault() {
        return decodePageFault((raw >>> 12) & 0xF);
    }

    private static Timeout decode(int exponent, int mantissa) {
        if (exponent == 0) {
            return Timeout.NEVER;
        }
        if (mantissa == 0) {
            return Timeout.ZERO;
        }
        return Timeout.cycles(mantissa * (1L << (2 * (15 - exponent))) * CYCLES_PER_MICROSECOND);
    }

    private static Timeout decodePageFault(int p) {
        if (p == 0) {
            return Timeout.NEVER;
        }
        if (p == 15) {
            return Timeout.ZERO;
        }
        return Timeout.cycles((1L << (2 * (15 - p))) * CYCLES_PER_MICROSECOND);
    }

    /**
     * Builds a word from its fields.
     *
     * @param sndExp 0 (never) or 1..15
     * @param sndMan 0..255; 0 with sndExp > 0 is zero
     */
    public static TimeoutWord of(int sndExp, int sndMan, int rcvExp, int rcvMan, int sndPf, int rcvPf) {
        check("snd_exp", sndExp, 15);
        check("rcv_exp", rcvExp, 15);
        check("snd_pfault", sndPf, 15);
        check("rcv_pfault", rcvPf, 15);
        check("snd_man", sndMan, 255);
        check("rcv_man", rcvMan, 255);
        return new TimeoutWord(rcvExp | (sndExp << 4) | (rcvPf << 8) | (sndPf << 12) | (sndMan << 16) | (rcvMan << 24));
    }

    /** Exponent and mantissa (as {@code {exp, man}}) of the smallest encodable timeout of at least {@code micros} µs. */
    public static int[] encodeMicros(long micros) {
        if (micros <= 0) {
            return new int[] {1, 0};
        }
        for (int exp = 15; exp >= 1; exp--) {
            long unit = 1L << (2 * (15 - exp));
            long man = (micros + unit - 1) / unit;
            if (man <= 255) {
                return new int[] {exp, (int) man};
            }
        }
        throw new IllegalArgumentException(micros + " µs exceed the largest finite timeout (255 * 4^14 µs)");
    }

    private static void check(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be 0.." + max + ", not " + value);
        }
    }

    @Override
    public String toString() {
        return String.format("snd %s, rcv %s, snd pf %s, rcv pf %s", send(), receive(), sendPageFault(), receivePageFault());
    }
}
