package l4smp.kernel.sched;

import l4smp.hw.Cpu;
import l4smp.hw.Mode;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.ipc.CommSpace;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * Switching a CPU from one thread to another (§2.1: "Within a thread switch, the general purpose
 * registers, the stack and instruction pointer are stored into the TCB of the current thread and
 * reloaded from the TCB of the thread to run next"), and returning to user mode.
 *
 * <p>A switch ends the running kernel step: the next step on the CPU runs what the new thread
 * resumes with. If that is user code, the switch returns to it at once (restore registers,
 * {@code iret}); a thread resuming a long copy gets its interrupts enabled.
 *
 * <p>Leaving a thread with a temporary mapping cleans the communication area up (slides,
 * "temporary mapping"): <pre>
 * Leave thread:
 *   if mytcb.waddr != nil then
 *     myPDE.TMarea := nil ;
 *     if dest AS = my AS then flush TLB fi
 *   fi .</pre>
 * The dispatcher, and a proxy that is not copying, have no address space of their own, so
 * switching to them counts as staying in the same one. The FPU is left to its owner and CR0.TS set for everyone else (§2.4, lazy switching).
 */
public final class ThreadSwitch {
    private final Kernel kernel;

    public ThreadSwitch(Kernel kernel) {
        this.kernel = kernel;
    }

    /** switchTo(next); null switches to the CPU's dispatcher thread. */
    public void switchTo(ProcessorData local, Tcb next) {
        switchTo(local, next, true);
    }

    /**
     * switchTo(next), checking that next lives on this CPU only if {@code checkLocal}: part C without
     * barrier (~3) (fault injection, {@link l4smp.kernel.RemovedFix#BARRIER_3}) switches to a thread B
     * has not handed over yet, the bug the switch shows.
     */
    public void switchTo(ProcessorData local, Tcb next, boolean checkLocal) {
        Cpu cpu = local.cpu();
        Tcb prev = local.current();
        kernel.charge(local, PathCosts.THREAD_SWITCH);
        cpu.touch(local.currentPointer(), Access.WRITE);
        if (prev != null && prev != next) {
            leave(local, prev, next);
        }
        local.current(next);
        if (next == null) {
            return;
        }
        if (checkLocal) {
            kernel.checkLocal(local, next);
        }
        kernel.touch(local, next, TcbLine.IPC, Access.READ);
        if (next.state() == ThreadState.READY) {
            next.state(ThreadState.RUNNING);
        }
        if (next.space() != null) {
            // a proxy has no address space of its own, except the sender's while it copies (§8.4.2)
            long directory = next.space().directory();
            if (cpu.cr3() != directory) {
                cpu.loadCr3(directory);
            }
        }
        if (local.fpuOwner() == next) {
            cpu.clts();
        } else {
            cpu.setTaskSwitched();
        }
        enter(local, next);
    }

    private void leave(ProcessorData local, Tcb prev, Tcb next) {
        kernel.touch(local, prev, TcbLine.IPC, Access.WRITE);
        if (prev.state() == ThreadState.RUNNING) {
            prev.state(ThreadState.READY);
        }
        if (prev.commWindow() >= 0) {
            AddressSpace mine = prev.space();
            kernel.touch(local, prev, TcbLine.QUEUES, Access.READ);
            CommSpace.clear(kernel, local, mine);
            if (next == null || next.space() == null || next.space() == mine) {
                local.cpu().loadCr3(local.cpu().cr3());
            }
        }
    }

    /** Starts {@code t}'s continuation where it must begin in this step: user code needs the iret now. */
    private void enter(ProcessorData local, Tcb t) {
        if (t.resume() == Resume.USER) {
            exitToUser(local, t);
        } else if (t.resume() == Resume.LONG_COPY || t.resume() == Resume.PROXY_COPY) {
            local.cpu().sti();
        }
    }

    /**
     * Returns the current thread to user mode: its saved registers into the CPU, {@code iret}.
     * If a mailbox flag of this CPU is set, the CPU stays in the kernel for one more step, which
     * runs check_n_ack and then leaves (§8.3.4: "checking each time the kernel mode is left"); if
     * expired timeouts are pending, it stays until the steps that expire them are done.
     */
    public void exitToUser(ProcessorData local, Tcb t) {
        if (local.current() != t) {
            throw new IllegalStateException("invariant violated: exit to user of " + t + ", which cpu" + local.id()
                    + " does not run");
        }
        if (t.state() == ThreadState.READY) {
            t.state(ThreadState.RUNNING);
        }
        t.resume(Resume.USER);
        if (local.timeoutsPending()) {
            // a tick found several expired timeouts: the CPU's next steps expire them, in the kernel,
            // and the last one leaves (Kernel.step); preempting in user mode would leave the CPU there
            return;
        }
        if (kernel.xcpu().flagged(local)) {
            local.exitCheckPending(true);
            return;
        }
        local.cpu().registers().restore(t.savedRegisters());
        local.cpu().iret(Mode.USER);
    }

    /**
     * Whether the kernel may switch away from {@code running} when a higher priority thread wakes or
     * its time slice ends: not while it is inside thread_schedule migrating another thread (part A
     * of §8.7.2 spins on its kernel stack, interrupts enabled, and the MigrationBarriers spec lets no
     * other thread run on its CPU until it returns); it yields when the call returns.
     */
    public boolean preemptible(Tcb running) {
        return running.resume() != Resume.MIGRATION;
    }

    /** The running thread gives the CPU up to a higher priority one: back to its ready list, dispatcher. */
    public void preempt(ProcessorData local) {
        Tcb running = local.current();
        if (running != null) {
            local.readyList().enqueue(running);
        }
        switchTo(local, null);
    }

    /**
     * "switchTo(B)" of the IPC paths, which prefer the partner: {@code preferred} if it can run
     * here, else the dispatcher.
     */
    public void switchToPreferring(ProcessorData local, Tcb preferred) {
        boolean canRun = preferred != null && preferred != local.current() && preferred.cpu() == local.id()
                && preferred.dispatchable();
        switchTo(local, canRun ? preferred : null);
    }
}
