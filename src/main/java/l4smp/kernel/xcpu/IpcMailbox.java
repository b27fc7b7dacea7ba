package l4smp.kernel.xcpu;

import java.util.Arrays;
import l4smp.hw.Cpu;
import l4smp.hw.mem.Access;
import l4smp.kernel.ipc.LongTransfer;
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
 * <p>§8.4 lets the proxy find the operation by "a tag in the mailbox". An XP send; the reply that
 * {@code wakeup_sender} sends back in the same mailbox, whose performer is the sender itself ("We
 * define the sender to be the receiving proxy", §8.4.1); and for a long message the two halves of
 * a fault in the sender's space (§8.4.2: "the proxy has to restart the sender, not with an empty
 * operation, but with a request for redoing this pagefault [...] After receiving the mapping, the
 * sender reactivates the proxy at the interrupted position"): the request to redo the fault, to
 * the sender, and the sender's answer, back to the proxy. The copy's progress
 * ({@link LongTransfer}) stays in the mailbox meanwhile.
 *
 * <p>The fields a CPU reads or writes are charged as accesses to the mailbox's lines; the Java
 * fields hold the values (as {@link Tcb} holds a TCB's).
 */
public final class IpcMailbox extends Mailbox {
    /** §8.4 (a): the tag that says which operation a mailbox carries. */
    public enum Kind { FREE, XP_SEND, XP_REPLY, XP_REDO_FAULT, XP_CONTINUE }

    /** The sender's answer to a request to redo a fault (§8.4.2). */
    public enum Answer {
        /** Its pager mapped the page (or it was mapped meanwhile): go on copying. */
        RESOLVED,
        /** Its pager did not answer in time: the transfer ends with the sender's page-fault timeout. */
        FAILED,
        /** lthread_ex_regs or its death ended its IPC: the transfer is aborted for both. */
        ABORTED
    }

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
    private Timeout receivePageFaultTimeout = Timeout.NEVER;
    private final int[] words = new int[3];
    /** The proxy that took the send into work: where the sender's answer to a fault request goes. */
    private Tcb proxy;
    private LongTransfer transfer;
    private long faultAddress;
    private boolean faultWrite;
    private Timeout faultTimeout = Timeout.NEVER;
    private Answer answer;

    IpcMailbox(int id, int home, long address, int cpus) {
        super(id, home, address, cpus);
    }

    /** "setup mailbox(parameters)", with the lock held: an XP send of {@code sender}'s message to {@code dest}. */
    void setUpSend(Cpu cpu, Tcb sender, ThreadId dest, int sendDescriptor, Timeout timeout,
                   Timeout receivePageFaultTimeout, int[] message, Tcb proxy, int target) {
        cpu.touch(address() + PARAMETERS, Access.WRITE);
        this.sender = sender;
        this.dest = dest;
        this.sendDescriptor = sendDescriptor;
        this.timeout = timeout;
        this.receivePageFaultTimeout = receivePageFaultTimeout;
        System.arraycopy(message, 0, words, 0, 3);
        this.proxy = proxy;
        retarget(cpu, Kind.XP_SEND, proxy, target);
    }

    /** Names the TCB whose list the mailbox joins. */
    void performer(Cpu cpu, Tcb tcb) {
        cpu.touch(address(), Access.WRITE);
        performer = tcb;
    }

    /** The proxy {@code p} takes the send into work: it is the one to answer and to cancel at. */
    void takenBy(Cpu cpu, Tcb p) {
        cpu.touch(address() + PARAMETERS, Access.WRITE);
        proxy = p;
    }

    /** The proxy asks the sender to redo the fault its copy took at {@code va}, its pager bounded by {@code bound}. */
    void setUpRedoFault(Cpu cpu, Tcb copier, long va, boolean write, Timeout bound) {
        cpu.touch(address() + PARAMETERS, Access.WRITE);
        proxy = copier;
        faultAddress = va;
        faultWrite = write;
        faultTimeout = bound;
        answer = null;
        retarget(cpu, Kind.XP_REDO_FAULT, sender, sender.cpu());
    }

    /** The sender's answer, back to the proxy that asked. */
    void setUpContinue(Cpu cpu, Answer a) {
        cpu.touch(address() + PARAMETERS, Access.WRITE);
        answer = answer == Answer.ABORTED ? Answer.ABORTED : a;
        retarget(cpu, Kind.XP_CONTINUE, proxy, proxy.cpu());
    }

    /** The proxy took the answer: the mailbox carries the send again. */
    void resumeSend(Cpu cpu) {
        retarget(cpu, Kind.XP_SEND, proxy, proxy.cpu());
    }

    /** lthread_ex_regs or a death ended the receiver's side while the request was with the sender: the answer is void. */
    void abortAnswer(Cpu cpu) {
        cpu.touch(address() + PARAMETERS, Access.WRITE);
        answer = Answer.ABORTED;
    }

    /** The copy of a long message, kept here while the proxy works on it or the sender redoes a fault (§8.4.2). */
    void transfer(LongTransfer t) {
        transfer = t;
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
        receivePageFaultTimeout = Timeout.NEVER;
        Arrays.fill(words, 0);
        proxy = null;
        transfer = null;
        faultAddress = 0;
        faultWrite = false;
        faultTimeout = Timeout.NEVER;
        answer = null;
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

    /** The sender's receive page-fault timeout: it bounds the receiver's pager during a long copy (Version X). */
    public Timeout receivePageFaultTimeout() {
        return receivePageFaultTimeout;
    }

    /** The proxy that took the send into work (before it is taken: its pair's leader when it was sent). */
    public Tcb proxy() {
        return proxy;
    }

    public LongTransfer transfer() {
        return transfer;
    }

    public long faultAddress() {
        return faultAddress;
    }

    public boolean faultWrite() {
        return faultWrite;
    }

    /** The receiver's send page-fault timeout: it bounds the sender's pager when the sender redoes a fault. */
    public Timeout faultTimeout() {
        return faultTimeout;
    }

    /** The sender's answer to a fault request, once it gave one; ABORTED also if the receiver's side ended meanwhile. */
    public Answer answer() {
        return answer;
    }

    @Override
    public String toString() {
        return "mailbox" + id() + "[" + kind + (sender == null ? "" : " " + sender.myself() + "->" + dest) + "]";
    }
}
