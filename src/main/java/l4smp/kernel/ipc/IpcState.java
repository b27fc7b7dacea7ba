package l4smp.kernel.ipc;

import java.util.Arrays;
import l4smp.kernel.thread.ThreadId;

/**
 * The saved state of one IPC of a thread: what it asked for, how far it got, what it received.
 * It lives in the TCB while the IPC is in progress and is how a blocked thread's kernel
 * continuation knows what to do when it resumes (DESIGN.md: no host thread per simulated thread).
 * A page fault inside a long IPC starts a nested page-fault IPC; the interrupted one is kept aside
 * (§8.3.2: "store current IPC state on the stack").
 */
public final class IpcState {
    /** Who started the IPC and so who consumes its result. */
    public enum Origin {
        /** The ipc system call of a user program: the result goes to its registers. */
        USER,
        /** The kernel, for a user-mode page fault: on success the faulting access is retried. */
        PAGE_FAULT,
        /** The kernel, for a fault in the sender's space while it copies a long message. */
        SENDER_TRANSFER_FAULT,
        /** The kernel, for a fault in the receiver's space (the communication area) during a copy. */
        RECEIVER_TRANSFER_FAULT
    }

    /** How far the IPC got. */
    public enum Phase { SEND, RECEIVE, DONE }

    /** No receive ({@code L4_IPC_NIL_DESCRIPTOR}) or no send. */
    public static final int NIL_DESCRIPTOR = 0xFFFFFFFF;
    /** Receive descriptor bit 0: an open receive. */
    public static final int OPEN_BIT = 1;
    /**
     * Send descriptor bit 0, free in our Version X (clans and chiefs are not modelled): abort the
     * IPC if its destination is on another CPU (design decision 4, §6.2.3; §7.2's bit f).
     */
    public static final int XP_FAULT_BIT = 1;
    /** Send descriptor bit 1: the message contains map items; receive descriptor bit 1: a register receive accepting fpages. */
    public static final int MAP_BIT = 2;

    private final IpcOp op;
    private final Origin origin;
    private final ThreadId partnerId;
    private final int sndDescriptor;
    private final int rcvDescriptor;
    private final Timeout send;
    private final Timeout receive;
    private final Timeout sendPageFault;
    private final Timeout receivePageFault;
    private final int[] words;
    /** For a register-only receive: the fpage receive window (0: none). */
    private final int receiveWindow;

    private Phase phase;
    private CompletionCode code = CompletionCode.NONE;
    private ThreadId receivedFrom = ThreadId.NIL;
    private final int[] receivedWords = new int[3];
    private int receivedDwords;
    private int receivedStrings;
    private boolean receivedFpage;
    private LongTransfer transfer;
    private ThreadId peer = ThreadId.NIL;
    private boolean crossed;

    public IpcState(IpcOp op, Origin origin, ThreadId partnerId, int sndDescriptor, int rcvDescriptor,
                    Timeout send, Timeout receive, Timeout sendPageFault, Timeout receivePageFault, int[] words,
                    int receiveWindow) {
        this.op = op;
        this.origin = origin;
        this.partnerId = partnerId;
        this.sndDescriptor = sndDescriptor;
        this.rcvDescriptor = rcvDescriptor;
        this.send = send;
        this.receive = receive;
        this.sendPageFault = sendPageFault;
        this.receivePageFault = receivePageFault;
        this.words = Arrays.copyOf(words, 3);
        this.receiveWindow = receiveWindow;
        this.phase = op.hasSendPhase() ? Phase.SEND : Phase.RECEIVE;
    }

    public IpcOp op() {
        return op;
    }

    public Origin origin() {
        return origin;
    }

    /** The destination of the send phase, and the source of a closed receive (nil: sleep). */
    public ThreadId partnerId() {
        return partnerId;
    }

    /** The address of the long send message in the sender's space, or 0 for a register message. */
    public long sendMessage() {
        return sendMessageOf(sndDescriptor);
    }

    public static long sendMessageOf(int sendDescriptor) {
        return (sendDescriptor & ~3) & 0xFFFFFFFFL;
    }

    public boolean sendsMapItems() {
        return (sndDescriptor & MAP_BIT) != 0;
    }

    /** The send descriptor as given (the message address with the map and XP-fault bits). */
    public int sendDescriptor() {
        return sndDescriptor;
    }

    /** Whether the IPC is to fail instead of crossing to another CPU (design decision 4). */
    public boolean failsCrossProcessor() {
        return op.hasSendPhase() && (sndDescriptor & XP_FAULT_BIT) != 0;
    }

    /** The address of the long receive buffer, or 0 for a register-only receive. */
    public long receiveBuffer() {
        return (rcvDescriptor & MAP_BIT) != 0 ? 0 : (rcvDescriptor & ~3) & 0xFFFFFFFFL;
    }

    /** The fpage window of a register-only receive (0: it accepts no fpages). */
    public int receiveWindow() {
        return receiveWindow;
    }

    public Timeout sendTimeout() {
        return send;
    }

    public Timeout receiveTimeout() {
        return receive;
    }

    public Timeout sendPageFaultTimeout() {
        return sendPageFault;
    }

    public Timeout receivePageFaultTimeout() {
        return receivePageFault;
    }

    /** The three register words sent (the TCB's "ipc buffer", §8.6). */
    public int word(int i) {
        return words[i];
    }

    public Phase phase() {
        return phase;
    }

    public void phase(Phase newPhase) {
        phase = newPhase;
    }

    /** Whether the thread is in its receive phase and accepts any sender. */
    public boolean receivesOpen() {
        return phase == Phase.RECEIVE && op.receivesOpen();
    }

    public CompletionCode code() {
        return code;
    }

    public void code(CompletionCode newCode) {
        code = newCode;
    }

    public ThreadId receivedFrom() {
        return receivedFrom;
    }

    public int receivedWord(int i) {
        return receivedWords[i];
    }

    /** Records the register part of a message delivered to this receiver. */
    public void received(ThreadId from, int w0, int w1, int w2) {
        receivedFrom = from;
        receivedWords[0] = w0;
        receivedWords[1] = w1;
        receivedWords[2] = w2;
        receivedDwords = 3;
    }

    public void receivedCounts(int dwords, int strings, boolean fpage) {
        receivedDwords = dwords;
        receivedStrings = strings;
        receivedFpage = receivedFpage || fpage;
    }

    /** The other side of the transfer this IPC is locked in (set when both partners are locked), or nil. */
    public ThreadId peer() {
        return peer;
    }

    public void peer(ThreadId other) {
        peer = other;
    }

    /**
     * Whether a phase of this IPC crossed CPUs: its send went through a proxy, or it received from
     * a thread on another CPU. Returned in the zero flag (§7.1).
     */
    public boolean crossed() {
        return crossed;
    }

    public void crossed(boolean value) {
        crossed = value;
    }

    /** The long message being copied by this (sender's) IPC, or null. */
    public LongTransfer transfer() {
        return transfer;
    }

    public void transfer(LongTransfer newTransfer) {
        transfer = newTransfer;
    }

    /**
     * The result message dope returned in EAX: dwords received in bits 13..31, strings in bits
     * 8..12, the completion code in bits 4..7, bit 1 when fpages were received.
     */
    public int resultDope() {
        int dope = Math.max(0, code.value());
        if (phase == Phase.DONE && code == CompletionCode.OK) {
            dope |= (receivedDwords << 13) | (receivedStrings << 8) | (receivedFpage ? MAP_BIT : 0);
        }
        return dope;
    }

    @Override
    public String toString() {
        return op + "(" + partnerId + ", " + origin.name().toLowerCase() + ", " + phase.name().toLowerCase() + ", " + code + ")";
    }
}
