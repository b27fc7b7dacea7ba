package l4smp.kernel.ipc;

/**
 * How far the copy of one long message has got: kept between copy steps (in the sender's IPC
 * state, or in the mailbox of a cross-processor send, §8.4.2), so the copy can be interrupted
 * (preemption, page faults in either space) and resumed where it stopped. Progress advances only after an access succeeded; a faulting access has no
 * effect (as on the Pentium) and is simply redone.
 *
 * <p>The Version X message in memory (sender's message, receiver's buffer):
 * <pre>
 *   +0   fpage     the receive window for map items (receiver)
 *   +4   size dope dwords (bits 13..31) and strings (8..12) the buffer has room for
 *   +8   send dope dwords and strings to send (sender)
 *   +12  dword[0 .. size dwords - 1]; dwords 0..2 travel in registers
 *   then one string dope per string, 16 bytes: snd_size, snd_str, rcv_size, rcv_str
 * </pre>
 */
public final class LongTransfer {
    /** The stages of the copy, in order. */
    public enum Stage { HEADER, MAP_ITEMS, DWORDS, STRINGS, DONE }

    /** Most dwords a message may carry (its descriptor must stay inside user space anyway). */
    public static final int MAX_DWORDS = 1 << 12;
    /** Most bytes one string may have: one 4 MB area of the temporary mapping (§8.3.2). */
    public static final long MAX_STRING = 4L << 20;

    final long sendMessage;
    final long receiveBuffer;
    /** Dwords 0..2 of the message, which travel in registers (or in the mailbox, across CPUs). */
    private final int[] words;
    /** Whether the message begins with map items (the send descriptor's map bit). */
    final boolean mapItems;
    Stage stage = Stage.HEADER;
    int sendDwords = 3;
    int sendStrings;
    int senderSizeDwords = 3;
    int receiveDwords = 3;
    int receiveStrings;
    int receiverSizeDwords = 3;
    int window;
    int index;
    boolean stringStarted;
    long stringSize;
    long stringSource;
    long stringDestination;
    long stringDope;
    long offset;
    boolean mapped;

    LongTransfer(long sendMessage, long receiveBuffer, int registerWindow, int[] words, boolean mapItems) {
        this.sendMessage = sendMessage;
        this.receiveBuffer = receiveBuffer;
        this.window = registerWindow;
        this.words = words.clone();
        this.mapItems = mapItems;
    }

    int word(int i) {
        return words[i];
    }

    @Override
    public String toString() {
        return "long transfer at " + stage.name().toLowerCase() + " (item " + index + ", byte " + offset + ")";
    }
}
