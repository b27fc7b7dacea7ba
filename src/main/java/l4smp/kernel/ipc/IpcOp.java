package l4smp.kernel.ipc;

/**
 * The IPC operations of the Version X API (§8.3.1), named as in L4Common.tla: a send, a closed
 * receive (from one given thread), an open receive (from anyone), a call (send, then closed
 * receive from the same partner, atomically) and a reply-and-wait (send, then open receive).
 */
public enum IpcOp {
    SEND("send"),
    RECEIVE("receive"),
    OPEN_RECEIVE("open_receive"),
    CALL("call"),
    REPLY_AND_WAIT("reply_and_wait");

    private final String label;

    IpcOp(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean hasSendPhase() {
        return this == SEND || this == CALL || this == REPLY_AND_WAIT;
    }

    public boolean hasReceivePhase() {
        return this != SEND;
    }

    /** Whether the receive phase accepts any sender. */
    public boolean receivesOpen() {
        return this == OPEN_RECEIVE || this == REPLY_AND_WAIT;
    }

    @Override
    public String toString() {
        return label;
    }
}
