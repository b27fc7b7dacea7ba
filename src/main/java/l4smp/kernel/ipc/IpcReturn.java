package l4smp.kernel.ipc;

import l4smp.hw.Reg;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * abortIPC and returnIPC of §8.3.2: the end of an IPC, successful or not, and where its result
 * goes. A user's IPC returns in its registers (EAX the result dope with the completion code in
 * bits 4..7, ESI the source, EDX, EBX, EDI the three words); the kernel's own page-fault IPCs
 * hand their result to the page-fault handler or to the interrupted transfer instead.
 */
public final class IpcReturn {
    private final Kernel kernel;

    public IpcReturn(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * abortIPC (code): {@code t} ends its IPC with {@code code}; the thread the CPU runs returns to
     * user mode at once, another one (whose timeout expired) becomes ready to return.
     */
    public void abort(ProcessorData local, Tcb t, CompletionCode code) {
        t.ipc().code(code);
        local.wakeupQueue().dequeue(t);
        if (local.current() == t) {
            t.state(ThreadState.RUNNING);
        } else {
            t.state(ThreadState.READY);
            local.readyList().enqueue(t);
        }
        complete(local, t);
    }

    /** returnIPC: {@code t}'s IPC is over; it returns to user mode now if it is the running thread. */
    public void complete(ProcessorData local, Tcb t) {
        complete(local, t, true);
    }

    /**
     * returnIPC without entering user mode even if {@code t} runs: the caller switches away next
     * (a send-only sender that switches to its receiver).
     */
    public void complete(ProcessorData local, Tcb t, boolean enter) {
        IpcState ipc = t.ipc();
        ipc.phase(IpcState.Phase.DONE);
        if (ipc.code() == CompletionCode.NONE) {
            ipc.code(CompletionCode.OK);
        }
        kernel.touch(local, t, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        t.completion(ipc.code());
        t.partner(ThreadId.NIL);
        switch (ipc.origin()) {
            case USER -> {
                t.ipc(null);
                kernel.statistics().ipc(t.myself(), ipc.op(), ipc.code());
                writeResult(local, t, ipc);
                t.resume(Resume.USER);
                if (enter && local.current() == t) {
                    kernel.threadSwitch().exitToUser(local, t);
                }
            }
            case PAGE_FAULT -> {
                t.ipc(null);
                kernel.pageFaults().resolved(local, t, ipc, enter);
            }
            case SENDER_TRANSFER_FAULT -> kernel.transmitPath().senderFaultDone(local, t, ipc);
            case RECEIVER_TRANSFER_FAULT -> kernel.transmitPath().receiverFaultDone(local, t, ipc);
        }
    }

    /**
     * The result registers; the zero flag says whether the IPC crossed CPUs (§7.1: "on return the
     * zero flag indicates if it was a cross-processor IPC").
     */
    private void writeResult(ProcessorData local, Tcb t, IpcState ipc) {
        kernel.touch(local, t, TcbLine.IPC, Access.WRITE);
        t.register(Reg.EAX, ipc.resultDope());
        int flags = t.register(Reg.EFLAGS);
        t.register(Reg.EFLAGS, ipc.crossed() ? flags | Reg.ZF : flags & ~Reg.ZF);
        if (ipc.code() == CompletionCode.OK && ipc.op().hasReceivePhase()) {
            t.register(Reg.ESI, ipc.receivedFrom().raw());
            t.register(Reg.EDX, ipc.receivedWord(0));
            t.register(Reg.EBX, ipc.receivedWord(1));
            t.register(Reg.EDI, ipc.receivedWord(2));
        }
    }
}
