package l4smp.kernel.ipc;

/**
 * The completion codes of an IPC: the L4 Version X error codes, carried in bits 4..7 of the result
 * message dope (EAX), named exactly as in spec-tla/L4Common.tla. A code that names a phase says
 * whether the send or the receive phase failed; every send-phase code has bit 4 set.
 * {@link #NONE} is L4Common's {@code CcNone}: the IPC is still in progress.
 */
public enum CompletionCode {
    OK("ok", 0x00),
    NOT_EXISTENT("not_existent", 0x10),
    RECEIVE_TIMEOUT("receive_timeout", 0x20),
    SEND_TIMEOUT("send_timeout", 0x30),
    RECEIVE_CANCELED("receive_canceled", 0x40),
    SEND_CANCELED("send_canceled", 0x50),
    RECEIVE_MAP_FAILED("receive_map_failed", 0x60),
    SEND_MAP_FAILED("send_map_failed", 0x70),
    RECEIVE_SND_PF_TIMEOUT("receive_snd_pf_timeout", 0x80),
    SEND_SND_PF_TIMEOUT("send_snd_pf_timeout", 0x90),
    RECEIVE_RCV_PF_TIMEOUT("receive_rcv_pf_timeout", 0xA0),
    SEND_RCV_PF_TIMEOUT("send_rcv_pf_timeout", 0xB0),
    RECEIVE_ABORTED("receive_aborted", 0xC0),
    SEND_ABORTED("send_aborted", 0xD0),
    RECEIVE_CUT("receive_cut", 0xE0),
    SEND_CUT("send_cut", 0xF0),
    NONE("none", -1);

    private final String label;
    private final int value;

    CompletionCode(String label, int value) {
        this.label = label;
        this.value = value;
    }

    /** L4Common's name of the code. */
    public String label() {
        return label;
    }

    /** The value in bits 4..7 of the result dope (0x00..0xF0). */
    public int value() {
        return value;
    }

    /** Whether the send phase failed (bit 4 of the value). */
    public boolean isSendPhase() {
        return value > 0 && (value & 0x10) != 0;
    }

    /** The code for the given result dope's bits 4..7. */
    public static CompletionCode ofDope(int dope) {
        int bits = dope & 0xF0;
        for (CompletionCode code : values()) {
            if (code.value == bits) {
                return code;
            }
        }
        throw new IllegalStateException("unreachable: every nibble names a code");
    }

    @Override
    public String toString() {
        return label;
    }
}
