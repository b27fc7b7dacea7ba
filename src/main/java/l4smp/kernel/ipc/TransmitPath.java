package l4smp.kernel.ipc;

import l4smp.hw.mem.Access;
import l4smp.hw.mem.PageFault;
import l4smp.kernel.Kernel;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.MapItem;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * The transmit path of §8.3.2: with both partners locked, the sender (the active partner) moves
 * the message. Register words go at once; map items through the mapping database; a long message
 * is copied through the communication area in steps with interrupts enabled:
 * <pre>
 * if long copy Message then
 *   while more strings to copy do
 *     map destination area to comm space
 *     enable interrupts
 *     copy message from sender's space to comm area
 *     disable interrupts
 *   od
 * endif</pre>
 * A page fault in the sender's space goes to the sender's pager as an IPC of the sender's; one in
 * the communication area is resolved in the receiver's context:
 * <pre>
 * if pagefault occurred in Comm Space then
 *   store current IPC state on the stack
 *   switch to receiver context
 *   enqueueWakeup(Receiver with rcv timeout)
 *   unlock Receiver
 *   redo page fault
 *   if timeout occurred then abortIPC ("timeout occurred") endif
 *   relock Receiver
 *   dequeueWakeup(Receiver)
 *   return to sender context
 *   load interrupted IPC state from the stack
 * endif</pre>
 * (Version X bounds both faults by the page-fault timeouts: the receiver's pager by the sender's
 * receive page-fault timeout, the sender's pager by the receiver's send page-fault timeout.)
 */
public final class TransmitPath {
    private final Kernel kernel;
    private final LongCopy longCopy;

    public TransmitPath(Kernel kernel) {
        this.kernel = kernel;
        this.longCopy = new LongCopy(kernel);
    }

    /**
     * "At this point, B is ready to receive from A":
     * <pre>
     * from TCB.state = locked running
     * to TCB.state = locked waiting
     * enqueueReadyList (A)
     * transmitMessage ()
     * to TCB.partner = A</pre>
     */
    public void lockAndTransmit(ProcessorData local, Tcb a, Tcb b) {
        kernel.step().segment(PathSegment.SEND_LOCK);
        kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
        a.state(ThreadState.LOCKED_RUNNING);
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        b.state(ThreadState.LOCKED_WAITING);
        local.readyList().enqueue(a);
        IpcState sending = a.ipc();
        IpcState receiving = b.ipc();
        sending.peer(b.myself());
        receiving.peer(a.myself());
        kernel.touch(local, b, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        b.partner(a.myself());
        if (isShort(sending.sendDescriptor(), receiving)) {
            CompletionCode[] codes = transmitShort(local, a, sending.sendDescriptor(),
                    new int[] {sending.word(0), sending.word(1), sending.word(2)}, b);
            finish(local, a, b, codes[0], codes[1]);
            return;
        }
        receiving.received(a.myself(), sending.word(0), sending.word(1), sending.word(2));
        sending.transfer(new LongTransfer(sending.sendMessage(), receiving.receiveBuffer(), receiving.receiveWindow(),
                new int[] {sending.word(0), sending.word(1), sending.word(2)}, sending.sendsMapItems()));
        a.resume(Resume.LONG_COPY);
        copy(local, a);
    }

    /** A register message: no long message, and map items only into a register receive. */
    private static boolean isShort(int sendDescriptor, IpcState receiving) {
        boolean mapItems = (sendDescriptor & IpcState.MAP_BIT) != 0;
        return IpcState.sendMessageOf(sendDescriptor) == 0 && (!mapItems || receiving.receiveBuffer() == 0);
    }

    /** Whether a message with {@code sendDescriptor} to {@code b} is a register message (no copy needed). */
    public boolean isShort(int sendDescriptor, Tcb b) {
        return isShort(sendDescriptor, b.ipc());
    }

    /**
     * transmitMessage() of a register message: the three words, and an fpage mapped or granted
     * from {@code a}'s space into B's receive window if the message carries one.
     *
     * @return the send and the receive completion code
     */
    private CompletionCode[] transmitShort(ProcessorData local, Tcb a, int sendDescriptor, int[] words, Tcb b) {
        IpcState receiving = b.ipc();
        // if short IPC then ensure the to be transfered dwords are in the registers
        receiving.received(a.myself(), words[0], words[1], words[2]);
        kernel.step().segment(PathSegment.TRANSMIT_SHORT);
        if ((sendDescriptor & IpcState.MAP_BIT) != 0) {
            MapItem.Result result = mapItem(local, a, b, words[0], words[1], receiving.receiveWindow());
            receiving.receivedCounts(3, 0, result == MapItem.Result.MAPPED);
            if (result == MapItem.Result.FAILED) {
                return new CompletionCode[] {CompletionCode.SEND_MAP_FAILED, CompletionCode.RECEIVE_MAP_FAILED};
            }
        }
        return new CompletionCode[] {CompletionCode.OK, CompletionCode.OK};
    }

    /**
     * A proxy's transmitMessage() (§8.3.5) of the message its mailbox carries, from the remote
     * sender {@code a} to B on this CPU. The proxy runs in the sender's space for the map items, as
     * §8.4.2 has it. A long message across CPUs is not transmitted yet: it is cut for both sides.
     *
     * @return the send and the receive completion code
     */
    public CompletionCode[] transmitFromMailbox(ProcessorData local, Tcb a, int sendDescriptor, int[] words, Tcb b) {
        return transmitShort(local, a, sendDescriptor, words, b);
    }

    /**
     * A proxy begins to transmit remote sender {@code a}'s long message to B (§8.4.2): B gets the
     * register words at once, as in the uniprocessor path; the copy's progress is returned for the
     * proxy to keep in the mailbox.
     */
    public LongTransfer startRemote(ProcessorData local, Tcb a, int sendDescriptor, int[] words, Tcb b) {
        IpcState receiving = b.ipc();
        receiving.received(a.myself(), words[0], words[1], words[2]);
        return new LongTransfer(IpcState.sendMessageOf(sendDescriptor), receiving.receiveBuffer(),
                receiving.receiveWindow(), words, (sendDescriptor & IpcState.MAP_BIT) != 0);
    }

    /** What a step of a proxy's copy came to. */
    public record CopyStep(Kind kind, CompletionCode send, CompletionCode receive, long address, boolean write) {
        /** MORE: go on (or the comm mapping was renewed); RECEIVER_FAULT: the receiver runs to redo it. */
        public enum Kind { MORE, DONE, FAILED, SENDER_FAULT, RECEIVER_FAULT }

        static CopyStep of(Kind kind) {
            return new CopyStep(kind, CompletionCode.OK, CompletionCode.OK, 0, false);
        }
    }

    /**
     * One step of a proxy's copy of remote sender {@code a}'s message to B, in {@code a}'s space: the
     * same copy as a local sender's, with the same treatment of faults in the communication area; a
     * fault in the sender's space is the proxy's to hand back to the sender.
     */
    public CopyStep copyRemote(ProcessorData local, Tcb proxy, Tcb a, Tcb b, LongTransfer t) {
        LongCopy.Outcome outcome = longCopy.run(local, proxy, a, b, t);
        switch (outcome.kind()) {
            case MORE -> {
                local.cpu().sti();
                return CopyStep.of(CopyStep.Kind.MORE);
            }
            case DONE -> {
                local.cpu().cli();
                return CopyStep.of(CopyStep.Kind.DONE);
            }
            case FAILED -> {
                local.cpu().cli();
                return new CopyStep(CopyStep.Kind.FAILED, outcome.send(), outcome.receive(), 0, false);
            }
            default -> {
                local.cpu().cli();
                PageFault fault = outcome.fault();
                if (!CommSpace.contains(local, fault.address())) {
                    return new CopyStep(CopyStep.Kind.SENDER_FAULT, null, null, fault.address(), fault.access().isWrite());
                }
                return commFault(local, proxy, b, fault) ? CopyStep.of(CopyStep.Kind.MORE) : CopyStep.of(CopyStep.Kind.RECEIVER_FAULT);
            }
        }
    }

    /** One step of a long copy by the sender {@code a}, run with interrupts enabled between steps. */
    public void copy(ProcessorData local, Tcb a) {
        Tcb b = peer(local, a.ipc());
        kernel.step().segment(PathSegment.TRANSMIT_COPY);
        kernel.step().touch(b);
        LongCopy.Outcome outcome = longCopy.run(local, a, a, b, a.ipc().transfer());
        switch (outcome.kind()) {
            case MORE -> local.cpu().sti();
            case DONE -> {
                local.cpu().cli();
                finish(local, a, b, CompletionCode.OK, CompletionCode.OK);
            }
            case FAILED -> {
                local.cpu().cli();
                finish(local, a, b, outcome.send(), outcome.receive());
            }
            case FAULT -> {
                local.cpu().cli();
                fault(local, a, b, outcome.fault());
            }
        }
    }

    MapItem.Result mapItem(ProcessorData local, Tcb a, Tcb b, int sendBase, int fpage, int window) {
        if (!kernel.step().segments().contains(PathSegment.TRANSMIT_MAP)) {
            kernel.step().segment(PathSegment.TRANSMIT_MAP);
        }
        return new MapItem(kernel, local).map(a.task().space(), sendBase, fpage, b.task().space(), window);
    }

    private void fault(ProcessorData local, Tcb a, Tcb b, PageFault fault) {
        if (!CommSpace.contains(local, fault.address())) {
            kernel.step().segment(PathSegment.TRANSMIT_SENDER_FAULT);
            a.fault(fault.address(), fault.access().isWrite());
            kernel.pageFaults().transferFault(local, a, IpcState.Origin.SENDER_TRANSFER_FAULT,
                    b.ipc().sendPageFaultTimeout());
            return;
        }
        commFault(local, a, b, fault);
    }

    /**
     * A fault of {@code copier}'s in the communication area: a stale mapping is renewed, else the
     * receiver redoes the access in its own context.
     *
     * @return whether it was only the mapping (the copy goes on)
     */
    private boolean commFault(ProcessorData local, Tcb copier, Tcb b, PageFault fault) {
        if (CommSpace.isStale(kernel, local, copier, b)) {
            // myPDE.TMarea := destPDE.destarea
            kernel.step().segment(PathSegment.TRANSMIT_COMM_REMAP);
            CommSpace.map(kernel, local, copier, b);
            local.cpu().sti();
            return true;
        }
        // store current IPC state on the stack; switch to receiver context
        kernel.step().segment(PathSegment.TRANSMIT_COMM_FAULT);
        kernel.touch(local, copier, TcbLine.IPC, Access.WRITE);
        copier.state(ThreadState.LOCKED_WAITING);
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        b.outerIpc(b.ipc());
        b.fault(CommSpace.receiverAddress(local, copier, fault.address()), fault.access().isWrite());
        b.resume(Resume.RECEIVER_FAULT);
        kernel.threadSwitch().switchTo(local, b);
        return false;
    }

    /** The receiver, in its own context, redoes the access the sender's copy faulted on. */
    public void redoFault(ProcessorData local, Tcb b) {
        kernel.step().segment(PathSegment.TRANSMIT_REDO_FAULT);
        try {
            local.cpu().touchVirtual(b.faultAddress(), b.faultWrite() ? Access.WRITE : Access.READ);
        } catch (PageFault fault) {
            kernel.pageFaults().transferFault(local, b, IpcState.Origin.RECEIVER_TRANSFER_FAULT,
                    receivePageFaultTimeoutOf(local, b.outerIpc()));
            return;
        }
        returnToSender(local, b);
    }

    /** relock Receiver; dequeueWakeup(Receiver); return to sender context; load interrupted IPC state. */
    private void returnToSender(ProcessorData local, Tcb b) {
        kernel.step().segment(PathSegment.TRANSMIT_RETURN_TO_SENDER);
        IpcState outer = b.outerIpc();
        b.ipc(outer);
        b.outerIpc(null);
        Tcb copier = copierOf(local, outer);
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        b.state(ThreadState.LOCKED_WAITING);
        b.partner(outer.peer());
        b.resume(Resume.RECEIVE_BLOCKED);
        local.wakeupQueue().dequeue(b);
        kernel.touch(local, copier, TcbLine.IPC, Access.WRITE);
        copier.state(ThreadState.LOCKED_RUNNING);
        kernel.threadSwitch().switchTo(local, copier);
    }

    /**
     * Who copies into the receiver whose IPC is {@code receiving}: its sender, or for a sender on
     * another CPU the proxy doing the copy in the sender's space (§8.4.2).
     */
    private Tcb copierOf(ProcessorData local, IpcState receiving) {
        Tcb a = sender(receiving);
        return a.cpu() == local.id() ? a : a.proxy().tcb();
    }

    /** The receiver's pager is bounded by the sender's receive page-fault timeout, which the mailbox carries across CPUs. */
    private Timeout receivePageFaultTimeoutOf(ProcessorData local, IpcState receiving) {
        Tcb a = sender(receiving);
        if (a.cpu() == local.id()) {
            return a.ipc().receivePageFaultTimeout();
        }
        return kernel.xcpu().requestOf(local, a).receivePageFaultTimeout();
    }

    private Tcb sender(IpcState receiving) {
        Tcb a = kernel.tcbs().present(receiving.peer());
        if (a == null) {
            throw new IllegalStateException("transfer invariant violated: the sender " + receiving.peer()
                    + " of a locked IPC does not exist");
        }
        return a;
    }

    /** The sender's own page-fault IPC ended: go on copying, or give up with the page-fault timeout. */
    public void senderFaultDone(ProcessorData local, Tcb a, IpcState pageFault) {
        IpcState outer = a.outerIpc();
        a.ipc(outer);
        a.outerIpc(null);
        if (a.redoFault() != null) {
            // the fault was a proxy's copy's, redone here (§8.4.2): the proxy gets the answer
            kernel.xcpu().sender().faultAnswered(local, a, pageFault.code());
            return;
        }
        Tcb b = peer(local, outer);
        if (pageFault.code() == CompletionCode.OK) {
            a.state(ThreadState.LOCKED_RUNNING);
            a.partner(b.myself());
            a.resume(Resume.LONG_COPY);
            local.cpu().sti();
            return;
        }
        kernel.statistics().failedPageFault(a.myself());
        finish(local, a, b, CompletionCode.SEND_SND_PF_TIMEOUT, CompletionCode.RECEIVE_SND_PF_TIMEOUT);
    }

    /** The receiver's page-fault IPC for the sender's copy ended: redo the access, or give up. */
    public void receiverFaultDone(ProcessorData local, Tcb b, IpcState pageFault) {
        if (pageFault.code() == CompletionCode.OK) {
            b.ipc(b.outerIpc());
            b.resume(Resume.RECEIVER_FAULT);
            redoFault(local, b);
            return;
        }
        IpcState outer = b.outerIpc();
        b.ipc(outer);
        b.outerIpc(null);
        // lthread_ex_regs canceled the fault IPC on its way to a pager on another CPU (it ends when
        // its reply is back, §8.4.3): the transfer is aborted for both, as the local abort does
        boolean aborted = switch (pageFault.code()) {
            case SEND_CANCELED, RECEIVE_CANCELED, SEND_ABORTED, RECEIVE_ABORTED -> true;
            default -> false;
        };
        if (!aborted) {
            kernel.statistics().failedPageFault(b.myself());
        }
        CompletionCode send = aborted ? CompletionCode.SEND_ABORTED : CompletionCode.SEND_RCV_PF_TIMEOUT;
        CompletionCode receive = aborted ? CompletionCode.RECEIVE_ABORTED : CompletionCode.RECEIVE_RCV_PF_TIMEOUT;
        Tcb copier = copierOf(local, outer);
        if (copier.isProxy()) {
            b.state(ThreadState.LOCKED_WAITING);
            kernel.xcpu().proxyPath().finishCopy(local, copier.asProxy(), kernel.xcpu().requestOf(local, sender(outer)),
                    send, receive);
            return;
        }
        finish(local, copier, b, send, receive);
    }

    /**
     * The end of the transmission, successful or not:
     * <pre>
     * if error in the transmit phase then abortIPC ("transmission error") endif
     * if not isReceive() then
     *   from TCB.state = ready
     *   enqueueReadyList (A)
     *   returnIPC ("message successfully transmitted")
     * endif</pre>
     * The receiver is unlocked and made ready; it finishes its receive path when it runs. A
     * sender with a receive phase goes on into its receive path; a send-only sender switches to
     * its receiver (§8.3.2: "when A finished transferring the message it switches to B").
     */
    void finish(ProcessorData local, Tcb a, Tcb b, CompletionCode sendCode, CompletionCode receiveCode) {
        IpcState sending = a.ipc();
        IpcState receiving = b.ipc();
        CommSpace.close(kernel, local, a);
        sending.transfer(null);
        receiving.code(receiveCode);
        receiving.phase(IpcState.Phase.DONE);
        kernel.touch(local, b, TcbLine.IPC, Access.WRITE);
        // B stays locked until its own continuation returns from the receive (§8.3.2)
        if (local.current() == b) {
            b.state(ThreadState.RUNNING);
        } else {
            b.state(ThreadState.LOCKED_WAITING);
            b.resume(Resume.RECEIVE_BLOCKED);
        }
        local.readyList().enqueue(b);
        if (sendCode != CompletionCode.OK) {
            kernel.step().segment(PathSegment.TRANSMIT_ABORT);
            sending.code(sendCode);
            a.state(local.current() == a ? ThreadState.RUNNING : ThreadState.READY);
            local.readyList().enqueue(a);
            if (local.current() == b) {
                kernel.ipcReturn().complete(local, a);
                kernel.ipcReturn().complete(local, b);
            } else {
                kernel.ipcReturn().complete(local, a);
            }
            return;
        }
        kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
        a.state(ThreadState.RUNNING);
        if (sending.op().hasReceivePhase()) {
            kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
            a.partner(ThreadId.NIL);
            kernel.receivePath().start(local, a);
            return;
        }
        kernel.step().segment(PathSegment.SEND_COMPLETE);
        sending.code(CompletionCode.OK);
        kernel.ipcReturn().complete(local, a, false);
        kernel.threadSwitch().switchTo(local, b);
    }

    private Tcb peer(ProcessorData local, IpcState ipc) {
        Tcb peer = kernel.tcbs().present(ipc.peer());
        if (peer == null) {
            throw new IllegalStateException("transfer invariant violated: the partner " + ipc.peer()
                    + " of a locked IPC does not exist");
        }
        kernel.checkLocal(local, peer);
        return peer;
    }

    /** The largest address a message may touch: user space ends below the UTCB and kernel info page. */
    static boolean inUserSpace(long va, long bytes) {
        return va >= 0 && bytes >= 0 && va + bytes <= AddressSpace.USER_LIMIT;
    }
}
