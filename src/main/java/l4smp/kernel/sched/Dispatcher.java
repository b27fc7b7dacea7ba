package l4smp.kernel.sched;

import l4smp.hw.Cpu;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.irq.Vectors;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.Tcb;

/**
 * A CPU's dispatcher thread, which is also its idle thread (slides, "Dispatching": "Switch to ():
 * switch to (dispatcher); select next ready thread, assume B; switch to (B)"; "dispatcher thread
 * is also idle thread"). It has no TCB and no address space: a CPU whose current thread is null
 * runs it. Selection is {@link ReadyList#select()}: highest active priority, round robin, lazy
 * removal.
 *
 * <p>Idling, it halts with interrupts enabled; if no timeout is pending it also stops the timer
 * (a thread's time slice needs no tick while none runs), so a machine whose threads all wait for
 * ever comes to rest instead of ticking for ever. The first thread it selects afterwards restarts
 * the timer.
 */
public final class Dispatcher {
    private final Kernel kernel;

    public Dispatcher(Kernel kernel) {
        this.kernel = kernel;
    }

    /** One step of the dispatcher thread on {@code local}'s CPU. */
    public void run(ProcessorData local) {
        Cpu cpu = local.cpu();
        kernel.charge(local, PathCosts.DISPATCH);
        Tcb next = local.readyList().select();
        if (next == null) {
            kernel.step().segment(PathSegment.DISPATCHER_IDLE);
            if (local.timerRunning() && local.wakeupQueue().isEmpty()) {
                cpu.apic().stopTimer();
                local.timerRunning(false);
            }
            cpu.sti();
            cpu.halt();
            return;
        }
        kernel.step().segment(PathSegment.DISPATCHER_SWITCH);
        startTimer(local);
        kernel.threadSwitch().switchTo(local, next);
    }

    /** Starts the CPU's tick if it is stopped. */
    public void startTimer(ProcessorData local) {
        if (!local.timerRunning()) {
            local.cpu().apic().startTimer(kernel.config().tickCycles(), Vectors.TIMER);
            local.timerRunning(true);
        }
    }
}
