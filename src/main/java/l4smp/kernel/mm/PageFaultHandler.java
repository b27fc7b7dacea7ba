package l4smp.kernel.mm;

import l4smp.hw.Reg;
import l4smp.kernel.Kernel;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.ipc.Timeout;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadState;

/**
 * Page faults as IPC (§2.2.2: "The µ-kernel receives this page fault exception and translates it
 * into an IPC to the pager of the faulting thread"). The faulting thread calls its pager with two
 * words, the fault address (bit 1 set for a write) and the faulting EIP, and waits, in a closed
 * receive from the pager whose window is the whole address space, for the mapping that resolves
 * the fault. Then the faulting access is retried.
 *
 * <p>The same IPC serves faults inside a long IPC's copy, bounded by the page-fault timeouts; the
 * interrupted IPC is kept aside meanwhile (§8.3.2: "store current IPC state on the stack").
 */
public final class PageFaultHandler {
    private final Kernel kernel;

    public PageFaultHandler(Kernel kernel) {
        this.kernel = kernel;
    }

    /** A user-mode fault of {@code t}: call its pager. */
    public void userFault(ProcessorData local, Tcb t) {
        boolean fatal = t.faultAddress() >= AddressSpace.USER_LIMIT || t.pager().isNil();
        if (!fatal && !kernel.sendPath().mayBegin(local, t, t.pager())) {
            return;
        }
        kernel.statistics().pageFault(t.myself());
        if (t.faultAddress() >= AddressSpace.USER_LIMIT) {
            kernel.step().segment(PathSegment.PAGE_FAULT_FATAL);
            kernel.kill(local, t, String.format("page fault at 0x%08x, outside user space", t.faultAddress()));
            return;
        }
        if (t.pager().isNil()) {
            kernel.step().segment(PathSegment.PAGE_FAULT_FATAL);
            kernel.kill(local, t, String.format("page fault at 0x%08x and no pager", t.faultAddress()));
            return;
        }
        kernel.step().segment(PathSegment.PAGE_FAULT_TO_PAGER);
        begin(t, request(t, IpcState.Origin.PAGE_FAULT, Timeout.NEVER));
        kernel.sendPath().start(local, t);
    }

    /** The page-fault IPC begins: the thread's IPC like any other (its completion code, its count). */
    private static void begin(Tcb t, IpcState request) {
        t.ipc(request);
        t.completion(CompletionCode.NONE);
        t.countIpc(request);
    }

    /**
     * A fault of {@code t}'s within a long IPC (in its own space as the sender, or redone in its
     * own space as the receiver): call its pager, bounded by {@code timeout}.
     */
    public void transferFault(ProcessorData local, Tcb t, IpcState.Origin origin, Timeout timeout) {
        if (!kernel.sendPath().mayBegin(local, t, t.pager())) {
            return;
        }
        kernel.statistics().pageFault(t.myself());
        kernel.step().segment(PathSegment.PAGE_FAULT_TO_PAGER);
        if (t.outerIpc() == null) {
            t.outerIpc(t.ipc());
        }
        t.state(ThreadState.RUNNING);
        begin(t, request(t, origin, timeout));
        kernel.sendPath().start(local, t);
    }

    private static IpcState request(Tcb t, IpcState.Origin origin, Timeout timeout) {
        int address = (int) (t.faultAddress() & ~3L) | (t.faultWrite() ? 2 : 0);
        int eip = origin == IpcState.Origin.PAGE_FAULT ? t.register(Reg.EIP) : 0;
        int window = Fpage.WHOLE_SPACE.encode();
        return new IpcState(IpcOp.CALL, origin, t.pager(), 0, window | IpcState.MAP_BIT, timeout, timeout,
                Timeout.NEVER, Timeout.NEVER, new int[] {address, eip, 0}, window);
    }

    /** The page-fault IPC of a user fault ended: retry the access, or stop the thread if no pager answered. */
    public void resolved(ProcessorData local, Tcb t, IpcState ipc, boolean enter) {
        CompletionCode code = ipc.code();
        if (code == CompletionCode.OK || code == CompletionCode.SEND_CANCELED || code == CompletionCode.RECEIVE_CANCELED) {
            kernel.step().segment(PathSegment.PAGE_FAULT_RESOLVED);
            t.resume(Resume.USER);
            if (enter && local.current() == t) {
                kernel.threadSwitch().exitToUser(local, t);
            }
            return;
        }
        kernel.statistics().failedPageFault(t.myself());
        kernel.step().segment(PathSegment.PAGE_FAULT_FATAL);
        kernel.kill(local, t, String.format("page fault at 0x%08x: the IPC to pager %s ended with %s",
                t.faultAddress(), t.pager(), code));
    }
}
