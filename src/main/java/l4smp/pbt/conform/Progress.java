package l4smp.pbt.conform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import l4smp.hw.Cpu;
import l4smp.hw.RunResult;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Simulation;

/**
 * Whether a run comes to rest or keeps making progress: no thread stays locked_running or
 * locked_waiting for long after its partner's IPC ended; a run at rest has no thread in a locked
 * state and no CPU spinning to send an IPI; a run stopped by its step limit has begun or ended an
 * IPC recently. Install as a listener, then ask {@link #violations}.
 */
final class Progress implements StepListener {
    /** Kernel steps a thread may stay locked after its partner's IPC ended. */
    static final int LOCKED_LIMIT = 5_000;
    /** Machine steps without an IPC begun or ended before a run at its step limit counts as stuck. */
    static final long QUIET_LIMIT = 20_000;

    private final Simulation sim;
    private final Map<ThreadId, Integer> lockedFor = new HashMap<>();
    private final List<String> found = new ArrayList<>();
    private final Map<ThreadId, Integer> ipcCounts = new HashMap<>();
    private long lastIpcChange;

    Progress(Simulation sim) {
        this.sim = sim;
    }

    @Override
    public void afterStep(KernelStep step, KernelView view) {
        for (ThreadView t : view.threads()) {
            Integer before = ipcCounts.put(t.id(), t.ipcCount());
            if (before == null || before != t.ipcCount()) {
                lastIpcChange = sim.machine().steps();
            }
            if (!lockedOnItsOwn(t)) {
                lockedFor.remove(t.id());
                continue;
            }
            ThreadView partner = t.partner().isNil() ? null : view.thread(t.partner());
            boolean partnerDone = partner == null || partner.ipc() == null && partner.state() != ThreadState.LOCKED_RUNNING
                    && partner.state() != ThreadState.LOCKED_WAITING;
            int n = partnerDone ? lockedFor.merge(t.id(), 1, Integer::sum) : 0;
            if (!partnerDone) {
                lockedFor.remove(t.id());
            } else if (n == LOCKED_LIMIT) {
                found.add(sim.name(t.id()) + " stays " + t.state().label() + " for " + LOCKED_LIMIT
                        + " kernel steps after its partner " + (partner == null ? "(none)" : sim.name(partner.id()))
                        + " ended its IPC");
            }
        }
    }

    /**
     * Whether {@code t} is in a locked state that no mailbox accounts for: a cross-processor sender
     * is locked_waiting while its mailbox is in flight or its proxy polls for the receiver (the
     * spec's polling, §8.3.5), while it waits for its XP_RETURN, and while its CPU's mailbox pool
     * is dry (§8.3.4: its IPC has not begun; a pool held by sends that poll for ever stays dry);
     * that is waiting, not a lock.
     */
    private static boolean lockedOnItsOwn(ThreadView t) {
        boolean locked = t.state() == ThreadState.LOCKED_RUNNING || t.state() == ThreadState.LOCKED_WAITING;
        return locked && t.resume() != Resume.XP_RETURN && t.resume() != Resume.XP_OP_RETURN && t.mailboxes().isEmpty()
                && !t.waitsForMailbox();
    }

    /** What is wrong with the run that ended with {@code result}. */
    List<String> violations(RunResult result) {
        List<String> out = new ArrayList<>(found);
        if (result == null) {
            return out;
        }
        if (result.reason() == RunResult.Reason.QUIESCENT) {
            List<String> cpus = sim.machine().describeState().lines().toList();
            for (int c = 0; c < sim.machine().cpuCount(); c++) {
                Cpu cpu = sim.machine().cpu(c);
                if (cpu.isStalled()) {
                    out.add("cpu" + c + " spins for ever to send an IPI (" + (c < cpus.size() ? cpus.get(c) : "") + ")");
                }
            }
            for (ThreadView t : sim.kernel().view().threads()) {
                if (lockedOnItsOwn(t)) {
                    out.add(sim.name(t.id()) + " is " + t.state().label() + " at rest: nothing will ever unlock it");
                }
            }
        } else if (result.reason() == RunResult.Reason.STEP_LIMIT && sim.machine().steps() - lastIpcChange > QUIET_LIMIT) {
            out.add("no IPC began or ended in the last " + (sim.machine().steps() - lastIpcChange)
                    + " machine steps before the step limit, and the run is not at rest");
        }
        return out;
    }
}
