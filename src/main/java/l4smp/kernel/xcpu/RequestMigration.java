package l4smp.kernel.xcpu;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.mem.Access;
import l4smp.kernel.Kernel;
import l4smp.kernel.ipc.SendQueue;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * The requests that go with a migrating receiver (§8.5's second and third races): "when migrating
 * the receiver, we check its send queue for threads whose proxies are still activated and migrate
 * those requests with the thread. Pending requests, i.e. those that did not yet activate a proxy
 * thread we will find by calling check_n_ack before and migrating all the requests to that thread
 * until no request is pending."
 *
 * <p>B runs {@link #take} in the step that sets the receiver's new processor number. A sender's XP
 * path reads the receiver's CPU and triggers its mailbox in one atomic step, so every request to
 * the receiver that reached this CPU is here by then (flagged, in a proxy's list, or being polled
 * for), and every later one reads the new CPU: the window that §8.5 closes by locking the target
 * (XpMigration's LockTarget) does not open between two atomic steps. The proxy's {@code checkLocal}
 * of the receiver in xp_send_path would catch a request that reached a CPU its receiver had left.
 *
 * <p>Each request moves to the proxy of its sender's CPU on the receiver's new CPU C and is
 * triggered there; one whose sender sits on C itself has no proxy to go to: C restarts it as a
 * local IPC ({@link #restartHere}; "in this case we can restart the IPC locally for both threads").
 * A sender of B's own CPU polling for the receiver becomes a cross-processor sender: it begins its
 * send again ({@link Resume#SEND_RESTART}). Timeouts of moved sends start again.
 */
public final class RequestMigration {
    private final Kernel kernel;
    private final CrossProcessor xcpu;
    /** Requests that went with their receiver (to its new CPU's proxy, or restarted there or on B): observation only. */
    private long moved;

    RequestMigration(Kernel kernel, CrossProcessor xcpu) {
        this.kernel = kernel;
        this.xcpu = xcpu;
    }

    /**
     * On B: every request to {@code t} not yet delivered here goes to CPU {@code target}, in the
     * order they came: those proxies poll for (in t's send queue), those queued at a proxy, those
     * still flagged. The ones whose sender sits on {@code target} are added to {@code restarts}.
     */
    public void take(ProcessorData local, Tcb t, int target, List<IpcMailbox> restarts) {
        List<IpcMailbox> moving = new ArrayList<>();
        for (Tcb sender : SendQueue.members(t)) {
            moved++;
            if (sender.cpu() == local.id()) {
                restart(local, sender);
            } else {
                moving.add(stopPolling(local, sender.proxy()));
            }
        }
        for (ProxyThread p : xcpu.proxies().on(local)) {
            IpcMailbox m = p.tcb().firstMailbox();
            while (m != null) {
                IpcMailbox next = m.next();
                if (m != p.current() && isFor(local, m, t)) {
                    xcpu.unhook(local, p.tcb(), m);
                    moving.add(m);
                    moved++;
                }
                m = next;
            }
        }
        for (IpcMailbox m : xcpu.pool().all()) {
            if (xcpu.isFlagged(m) && isFor(local, m, t) && xcpu.flags().takeOne(local, m.id())) {
                moving.add(m);
                moved++;
            }
        }
        for (IpcMailbox m : moving) {
            moveTo(local, m, target, restarts);
        }
    }

    /** Requests to a migrating receiver that went with it so far (§8.5's fix of the second and third races). */
    public long moved() {
        return moved;
    }

    private static boolean isFor(ProcessorData local, IpcMailbox m, Tcb t) {
        if (m.kind() != IpcMailbox.Kind.XP_SEND || m.targetCpu() != local.id()) {
            return false;
        }
        m.readParameters(local.cpu());
        return m.dest().equals(t.myself());
    }

    /** A proxy polling for the migrant in its send queue stops, without waking its sender; it goes on with its list. */
    private IpcMailbox stopPolling(ProcessorData local, ProxyThread p) {
        IpcMailbox m = p.current();
        local.wakeupQueue().dequeue(p.tcb());
        SendQueue.dequeue(kernel, local, m.sender());
        xcpu.unhook(local, p.tcb(), m);
        p.current(null);
        Tcb proxy = p.tcb();
        kernel.touch(local, proxy, TcbLine.IPC, Access.WRITE);
        proxy.resume(Resume.PROXY);
        if (proxy.firstMailbox() == null) {
            proxy.state(ThreadState.WAITING);
        } else {
            proxy.state(ThreadState.READY);
            local.readyList().enqueue(proxy);
        }
        return m;
    }

    /** A local sender polling for the migrant leaves its send queue and begins its send again. */
    private void restart(ProcessorData local, Tcb sender) {
        kernel.checkLocal(local, sender);
        SendQueue.dequeue(kernel, local, sender);
        local.wakeupQueue().dequeue(sender);
        kernel.touch(local, sender, TcbLine.IPC, Access.WRITE);
        sender.state(ThreadState.READY);
        sender.resume(Resume.SEND_RESTART);
        local.readyList().enqueue(sender);
        kernel.step().touch(sender);
    }

    /** The request goes to the proxy of its sender's CPU on {@code target} (or to {@code restarts}), and is triggered there. */
    private void moveTo(ProcessorData local, IpcMailbox m, int target, List<IpcMailbox> restarts) {
        Tcb sender = m.sender();
        kernel.step().touch(sender);
        if (sender.cpu() == target) {
            restarts.add(m);
            return;
        }
        ProxyThread proxy = xcpu.proxies().of(sender.cpu(), target);
        m.lock(local.cpu());
        m.moveTo(local.cpu(), proxy.tcb(), target);
        m.unlock(local.cpu());
        kernel.touch(local, sender, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        sender.proxy(proxy);
        xcpu.flags().trigger(local, m);
    }

    /**
     * On C, after B set the receiver's new CPU: each request whose sender sits here restarts as a
     * local IPC: its mailbox is freed, the sender's proxy pointer cleared, and the sender begins its
     * send again (§8.5: "we can restart the IPC locally for both threads").
     */
    public void restartHere(ProcessorData local, List<IpcMailbox> restarts) {
        for (IpcMailbox m : restarts) {
            Tcb a = m.sender();
            kernel.checkLocal(local, a);
            m.lock(local.cpu());
            xcpu.pool().free(local, m);
            m.unlock(local.cpu());
            kernel.touch(local, a, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
            a.proxy(null);
            kernel.touch(local, a, TcbLine.IPC, Access.WRITE);
            a.state(ThreadState.READY);
            a.resume(Resume.SEND_RESTART);
            local.readyList().enqueue(a);
            kernel.step().touch(a);
        }
        restarts.clear();
    }
}
