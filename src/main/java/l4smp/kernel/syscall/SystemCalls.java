package l4smp.kernel.syscall;

import l4smp.hw.Reg;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.ipc.TimeoutWord;
import l4smp.kernel.irq.Vectors;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadId;

/**
 * The system-call entry: a thread that executed {@code int 0x30..0x36} runs its call here, its
 * arguments in its saved registers (L4 Version X on x86). Every invalid argument gives the
 * Version X error result (an IPC completion code, an all-ones word, a nil id), never a Java
 * exception; an {@code int} that is no system call, or an instruction the machine refused, stops
 * the thread.
 *
 * <p>ipc: EAX send descriptor (-1: no send; an address with bit 1 for map items, 0 for registers
 * only), EBP receive descriptor (-1: no receive; bit 0 open; bit 1 a register receive whose fpage
 * window is the rest of the word; else the buffer's address), ECX the timeout word, ESI the
 * destination or source, EDX EBX EDI the three words. It returns EAX the result dope, ESI the
 * source, EDX EBX EDI the words received.
 */
public final class SystemCalls {
    /** The trap vector the kernel records for an instruction the machine refused. */
    public static final int INVALID_INSTRUCTION = -1;

    private final Kernel kernel;
    private final ThreadCalls threadCalls;
    private final TaskCalls taskCalls;
    private final MemoryCalls memoryCalls;

    public SystemCalls(Kernel kernel) {
        this.kernel = kernel;
        this.threadCalls = new ThreadCalls(kernel);
        this.taskCalls = new TaskCalls(kernel);
        this.memoryCalls = new MemoryCalls(kernel);
    }

    public void enter(ProcessorData local, Tcb t) {
        kernel.charge(local, PathCosts.SYSCALL_ENTRY);
        kernel.touch(local, t, TcbLine.IPC, Access.READ);
        switch (t.trapVector()) {
            case Vectors.IPC -> ipc(local, t);
            case Vectors.ID_NEAREST -> idNearest(local, t);
            case Vectors.FPAGE_UNMAP -> memoryCalls.fpageUnmap(local, t);
            case Vectors.THREAD_SWITCH -> threadCalls.threadSwitch(local, t);
            case Vectors.THREAD_SCHEDULE -> threadCalls.threadSchedule(local, t);
            case Vectors.LTHREAD_EX_REGS -> threadCalls.lthreadExRegs(local, t);
            case Vectors.TASK_NEW -> taskCalls.taskNew(local, t);
            case INVALID_INSTRUCTION -> kernel.kill(local, t, "an instruction the machine refused");
            default -> {
                kernel.step().segment(PathSegment.INVALID_SYSCALL);
                kernel.kill(local, t, String.format("int 0x%x is no system call", t.trapVector()));
            }
        }
    }

    /** ipc: decodes the registers into the thread's IPC state and enters the send or the receive path. */
    private void ipc(ProcessorData local, Tcb t) {
        int snd = t.register(Reg.EAX);
        int rcv = t.register(Reg.EBP);
        boolean sends = snd != IpcState.NIL_DESCRIPTOR;
        boolean receives = rcv != IpcState.NIL_DESCRIPTOR;
        if (!sends && !receives) {
            kernel.step().segment(PathSegment.IPC_NONE);
            t.register(Reg.EAX, 0);
            kernel.threadSwitch().exitToUser(local, t);
            return;
        }
        boolean open = receives && (rcv & IpcState.OPEN_BIT) != 0;
        IpcOp op;
        if (sends) {
            op = receives ? (open ? IpcOp.REPLY_AND_WAIT : IpcOp.CALL) : IpcOp.SEND;
        } else {
            op = open ? IpcOp.OPEN_RECEIVE : IpcOp.RECEIVE;
        }
        int window = receives && (rcv & IpcState.MAP_BIT) != 0 ? rcv & ~3 : 0;
        TimeoutWord timeouts = new TimeoutWord(t.register(Reg.ECX));
        IpcState ipc = new IpcState(op, IpcState.Origin.USER, new ThreadId(t.register(Reg.ESI)), snd, rcv,
                timeouts.send(), timeouts.receive(), timeouts.sendPageFault(), timeouts.receivePageFault(),
                new int[] {t.register(Reg.EDX), t.register(Reg.EBX), t.register(Reg.EDI)}, window);
        if (op.hasSendPhase() && (kernel.sendPath().failsCrossProcessor(local, t, ipc)
                || !kernel.sendPath().mayBegin(local, t, ipc.partnerId()))) {
            return;
        }
        t.ipc(ipc);
        t.completion(CompletionCode.NONE);
        t.countIpc(ipc);
        if (op.hasSendPhase()) {
            kernel.sendPath().start(local, t);
        } else {
            kernel.receivePath().start(local, t);
        }
    }

    /** id_nearest: without clans and chiefs every thread is its own nearest partner (EAX 0: same clan). */
    private void idNearest(ProcessorData local, Tcb t) {
        kernel.step().segment(PathSegment.ID_NEAREST);
        kernel.charge(local, PathCosts.SMALL_SYSCALL);
        t.register(Reg.EAX, 0);
        kernel.threadSwitch().exitToUser(local, t);
    }
}
