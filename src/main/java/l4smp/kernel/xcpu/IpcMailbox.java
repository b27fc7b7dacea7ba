package l4smp.kernel.xcpu;

import java.util.Arrays;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.kernel.ipc.Timeout;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;

/**
 * An IPC mailbox (§8.3.4): the parameters of one cross-processor operation, in shared kernel memory
 * so that its lines move between the CPUs' caches at MESI's prices. Two 32-byte lines: the first
 * holds the Appendix A lock word, the operation's tag, the TCB that performs it ("mailbox.proxy")
 * and the link of its mailbox list; the second the parameters: "a pointer to the sender's TCB, the
 * destination id (B), the send descriptor and the ipc timeout of the sender" (§8.3.5) and the
 * register words of the message.
 *
 * <p>§8.4 lets the proxy find the operation by "a tag in the mailbox"; there are two: an XP send,
 * and the reply that {@code wakeup_sender} sends back in the same mailbox, whose performer is the
 * sender itself ("We define the sender to be the receiving proxy", §8.4.1).
 *
 * <p>The fields a CPU reads or writes are charged as accesses to the mailbox's lines; the Java
 * fields hold the values (as {@link Tcb} holds a TCB's).
 */
public final class IpcMailbox extends Mailbox {
    /** §8.4 (a): the tag that says which operation a mailbox carries. */
    public enum Kind { FREE, XP_SEND, XP_REPLY }

    /** Bytes of one mailbox: two cache lines. */
    public static final int SIZE = 64;
    private static final int PARAMETERS = 32;

    private Kind kind = Kind.FREE;
    private Tcb performer;
    private int targetCpu = -1;
    private IpcMailbox next;
    private Tcb sender;
    private ThreadId dest = ThreadId.NIL;
    private int sendDescriptor;
    private Timeout timeout = Timeout.NEVER;
    private final int[] words = new int[3];

    IpcMailbox(int id, int home, long address, int cpus) {
        super(id, home, address, cpus);
    }

    /** "setup mailbox(parameters)", with the lock held: an XP send of {@code sender}'s message to {@code dest}. */
    void setUpSend(Cpu cpu, Tcb sender, ThreadId dest, int sendDescriptor, Timeout timeout, int[] message,
                   Tcb proxy, int target) {
        cpu.touch(address() + PARAMETERS, Access.WRITE);
        this.sender = sender;
        this.dest = dest;
        this.sendDescriptor = sendDescriptor;
        this.timeout = timeout;
        System.arraycopy(message, 0, words, 0, 3);
        retarget(cpu, Kind.XP_SEND, proxy, target);
    }

    /** "setup ipc mailbox with proxy = A" (§8.4.1): the same mailbox carries the reply to the sender. */
    void setUpReply(Cpu cpu) {
        retarget(cpu, Kind.XP_REPLY, sender, sender.cpu());
    }

    /**
     * §8.5: the XP send goes with its receiver to CPU {@code target}, where {@code proxy} performs it
     * (the lock is held).
     */
    void moveTo(Cpu cpu, Tcb proxy, int target) {
        retarget(cpu, Kind.XP_SEND, proxy, target);
    }

    private void retarget(Cpu cpu, Kind newKind, Tcb newPerformer, int target) {
        cpu.touch(address(), Access.WRITE);
        kind = newKind;
        performer = newPerformer;
        targetCpu = target;
        next = null;
    }

    @Override
    void release(Cpu cpu) {
        cpu.touch(address(), Access.WRITE);
        kind = Kind.FREE;
        performer = null;
        targetCpu = -1;
        next = null;
        sender = null;
        dest = ThreadId.NIL;
        sendDescriptor = 0;
        timeout = Timeout.NEVER;
        Arrays.fill(words, 0);
    }

    /** Reads the parameters line: what the performer does first with a mailbox it took from its list. */
    void readParameters(Cpu cpu) {
        cpu.touch(address() + PARAMETERS, Access.READ);
    }

    void next(Cpu cpu, IpcMailbox newNext) {
        cpu.touch(address(), Access.WRITE);
        next = newNext;
    }

    // ---- observers: free ----

    public Kind kind() {
        return kind;
    }

    @Override
    public boolean isFree() {
        return kind == Kind.FREE;
    }

    /** The TCB that performs the operation: a proxy's, or for a reply the sender's ("mailbox.proxy"). */
    public Tcb performer() {
        return performer;
    }

    /** The CPU the operation runs on, -1 while free. */
    public int targetCpu() {
        return targetCpu;
    }

    public IpcMailbox next() {
        return next;
    }

    public Tcb sender() {
        return sender;
    }

    public ThreadId dest() {
        return dest;
    }

    public int sendDescriptor() {
        return sendDescriptor;
    }

    /** The sender's send timeout, which the proxy waits with (§8.3.5). */
    public Timeout timeout() {
        return timeout;
    }

    public int word(int i) {
        return words[i];
    }

    @Override
    public String toString() {
        return "mailbox" + id() + "[" + kind + (sender == null ? "" : " " + sender.myself() + "->" + dest) + "]";
    }
}
