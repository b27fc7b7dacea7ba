package l4smp.kernel.irq;

import l4smp.hw.Cpu;
import l4smp.hw.IoApic;
import l4smp.kernel.Kernel;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * Interrupts as IPC (§2.4: "L4 installs an internal interrupt handler for each line, that
 * translates the interrupt into an IPC from a 'hardware thread' to the handling routine, that
 * waits for that interrupt (receive from hardware thread). With this mechanism, it is achieved
 * that high priority threads are preferred compared to lower priority interrupt handlers").
 *
 * <p>Each IO-APIC input has a hardware thread, id irq + 1. A thread becomes an IRQ's handler by a
 * closed receive from that id (a receive with timeout 0 just attaches it). The kernel masks the
 * line when an interrupt arrives and unmasks it when the handler waits again; an interrupt that
 * finds its handler busy stays pending and is received at the handler's next receive. The handler
 * runs at its own priority: it preempts the running thread only if its priority is higher.
 */
public final class InterruptThreads {
    private final Kernel kernel;
    private final Tcb[] handlers = new Tcb[ThreadId.MAX_IRQS];
    private final boolean[] pending = new boolean[ThreadId.MAX_IRQS];
    private long delivered;
    private long heldPending;

    public InterruptThreads(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Boot: every line to the boot CPU, masked until a handler attaches. */
    public void routeAll(Cpu boot) {
        IoApic io = kernel.machine().ioApic();
        for (int irq = 0; irq < ThreadId.MAX_IRQS; irq++) {
            io.route(irq, boot.id(), Vectors.IRQ_BASE + irq);
            io.mask(boot, irq);
        }
    }

    /** Interrupt {@code irq} was taken on {@code local}'s CPU. */
    public void interrupt(ProcessorData local, int irq) {
        Cpu cpu = local.cpu();
        cpu.apic().eoi();
        kernel.machine().ioApic().mask(cpu, irq);
        Tcb handler = handlers[irq];
        // an interrupt routed here before its line was routed to a new handler's CPU (attach) waits
        // for that handler's next receive, which runs on its own CPU
        if (handler == null || handler.cpu() != local.id() || !waitsForInterrupt(handler, irq)) {
            kernel.step().segment(PathSegment.IRQ_PENDING);
            pending[irq] = true;
            heldPending++;
            return;
        }
        kernel.checkLocal(local, handler);
        kernel.step().segment(PathSegment.IRQ_DELIVER);
        delivered++;
        deliver(local, handler, irq);
        Tcb running = local.current();
        if (running != null && handler.priority() > running.priority() && kernel.threadSwitch().preemptible(running)) {
            kernel.threadSwitch().switchTo(local, handler);
        }
    }

    private static boolean waitsForInterrupt(Tcb handler, int irq) {
        IpcState ipc = handler.ipc();
        return handler.exists() && handler.state() == ThreadState.WAITING && ipc != null
                && ipc.phase() == IpcState.Phase.RECEIVE
                && (ipc.receivesOpen() || handler.partner().equals(ThreadId.ofIrq(irq)));
    }

    /** The hardware thread's message: no words, the interrupt id as the source. */
    private void deliver(ProcessorData local, Tcb handler, int irq) {
        IpcState ipc = handler.ipc();
        ipc.received(ThreadId.ofIrq(irq), 0, 0, 0);
        ipc.code(CompletionCode.OK);
        ipc.phase(IpcState.Phase.DONE);
        local.wakeupQueue().dequeue(handler);
        handler.state(ThreadState.READY);
        local.readyList().enqueue(handler);
    }

    /**
     * {@code b} receives from IRQ {@code irq}'s hardware thread: it becomes the handler unless
     * another live thread is.
     *
     * @return false if the IRQ has another handler
     */
    public boolean attach(ProcessorData local, Tcb b, int irq) {
        Tcb current = handlers[irq];
        if (current != null && current != b && current.exists() && current.state() != ThreadState.DEAD) {
            return false;
        }
        if (current != b) {
            handlers[irq] = b;
            kernel.machine().ioApic().route(irq, b.cpu(), Vectors.IRQ_BASE + irq);
        }
        return true;
    }

    /** Whether an interrupt of {@code irq} is pending (and consumes it); the line is unmasked either way. */
    public boolean takePending(ProcessorData local, int irq) {
        boolean was = pending[irq];
        pending[irq] = false;
        kernel.machine().ioApic().unmask(local.cpu(), irq);
        return was;
    }

    /**
     * {@code t} migrated to {@code local}'s CPU (§8.7.1, the per-CPU resources): the lines it handles
     * are routed here, and an interrupt that arrived at its old CPU while it moved, and waits there,
     * is delivered now if it waits for it.
     */
    public void moved(ProcessorData local, Tcb t) {
        for (int irq = 0; irq < handlers.length; irq++) {
            if (handlers[irq] != t) {
                continue;
            }
            kernel.machine().ioApic().route(irq, local.id(), Vectors.IRQ_BASE + irq);
            if (pending[irq] && waitsForInterrupt(t, irq)) {
                pending[irq] = false;
                kernel.machine().ioApic().unmask(local.cpu(), irq);
                kernel.step().segment(PathSegment.IRQ_DELIVER);
                delivered++;
                deliver(local, t, irq);
            }
        }
    }

    /** A dying thread handles no interrupt any more. */
    public void detach(Tcb t) {
        for (int irq = 0; irq < handlers.length; irq++) {
            if (handlers[irq] == t) {
                handlers[irq] = null;
            }
        }
    }

    public long delivered() {
        return delivered;
    }

    /** Interrupts that found their handler busy (or none attached) and waited. */
    public long heldPending() {
        return heldPending;
    }
}
