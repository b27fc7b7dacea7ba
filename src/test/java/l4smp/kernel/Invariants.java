package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.CpuView;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.ProxyView;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/** Kernel invariants the tests check after every atomic step. */
final class Invariants {
    private Invariants() {
    }

    private static ProxyView proxy(KernelView view, ThreadId id) {
        for (ProxyView p : view.proxies()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Migration (MigrationBarriers' CurrentInv, ReadyInOwnListInv, WakeupQueueInv, as far as the
     * kernel can state them): a thread is in the ready list and wakeup queue of its own CPU only,
     * unless a migration has it in flight; a CPU runs a thread of another CPU only while a migration
     * part has interrupted it there; no thread is current on two CPUs.
     */
    private static void migration(String where, KernelView view, ThreadView t, List<Set<ThreadId>> listed,
                                  List<Set<ThreadId>> queued) {
        int current = 0;
        boolean inFlight = t.inFlight();
        for (int c = 0; c < view.cpuCount(); c++) {
            if (!inFlight) {
                assertTrue(!listed.get(c).contains(t.id()) || c == t.cpu(),
                        where + t.id() + " of cpu" + t.cpu() + " is in cpu" + c + "'s ready list");
                assertTrue(!queued.get(c).contains(t.id()) || c == t.cpu(),
                        where + t.id() + " of cpu" + t.cpu() + " is in cpu" + c + "'s wakeup queue");
            }
            CpuView cpu = view.cpu(c);
            if (cpu.current().equals(t.id())) {
                current++;
                assertTrue(c == t.cpu() || cpu.migrationPart() != null,
                        where + "cpu" + c + " runs " + t.id() + " of cpu" + t.cpu() + " outside a migration part");
            }
        }
        assertTrue(current <= 1, where + t.id() + " is current on " + current + " CPUs");
    }

    /** What must hold between any two atomic steps. */
    static void check(KernelStep step, KernelView view) {
        String where = "after step " + step.number() + " (" + step.label() + "): ";
        for (int c = 0; c < view.cpuCount(); c++) {
            CpuView cpu = view.cpu(c);
            int running = 0;
            for (ThreadView t : view.threads()) {
                if (t.cpu() == c && t.state() == ThreadState.RUNNING) {
                    running++;
                    assertEquals(t.id(), cpu.current(), where + t.id() + " is running but not current on cpu" + c);
                }
            }
            assertTrue(running <= 1, where + running + " running threads on cpu" + c);
            ProxyView proxy = proxy(view, cpu.current());
            if (proxy != null) {
                assertEquals(c, proxy.target(), where + "cpu" + c + " runs a proxy of cpu" + proxy.target());
                assertTrue(proxy.state().isRunnable(), where + "cpu" + c + " runs " + proxy + " in state " + proxy.state());
            } else if (!cpu.current().isNil()) {
                ThreadView current = view.thread(cpu.current());
                assertTrue(current.state().isRunnable() || current.state() == ThreadState.LOCKED_WAITING,
                        where + "cpu" + c + " runs " + current.id() + " in state " + current.state());
            }
        }
        List<Set<ThreadId>> listed = new ArrayList<>();
        List<Set<ThreadId>> queued = new ArrayList<>();
        for (int c = 0; c < view.cpuCount(); c++) {
            Set<ThreadId> ids = new HashSet<>();
            view.cpu(c).readyLists().values().forEach(ids::addAll);
            listed.add(ids);
            queued.add(new HashSet<>(view.cpu(c).wakeupQueue()));
        }
        for (ThreadView t : view.threads()) {
            if (t.state().isRunnable() && !t.inFlight()) {
                assertTrue(t.inReadyList(), where + "runnable " + t.id() + " is in no ready list");
            }
            migration(where, view, t, listed, queued);
            for (ThreadId sender : t.sendQueue()) {
                ThreadView s = view.thread(sender);
                boolean local = s.cpu() == t.cpu();
                boolean polls = local ? s.state() == ThreadState.POLLING
                        : s.proxy() != null && s.proxy().state() == ThreadState.POLLING && s.proxy().partner().equals(t.id());
                assertTrue(polls, where + sender + " is in " + t.id() + "'s send queue, but neither it nor its proxy polls for it ("
                        + s.state() + ", proxy " + s.proxy() + ")");
                assertEquals(t.id(), s.partner(), where + sender + " queued at " + t.id() + " sends to " + s.partner());
            }
            if (t.state() == ThreadState.POLLING) {
                assertTrue(view.thread(t.partner()) != null && view.thread(t.partner()).sendQueue().contains(t.id()),
                        where + t.id() + " polls but is not in " + t.partner() + "'s send queue");
            }
            assertTrue(t.ipcOp() == null || t.completion() == CompletionCode.NONE,
                    where + t.id() + " has an IPC in progress and a completion code");
        }
    }

}
