package l4smp.refine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.kernel.observe.CpuView;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.MigrationCallView;
import l4smp.kernel.observe.MigrationView;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.ThreadId;

/**
 * What {@link MigrationBarriersAbstraction} reads of the kernel after a step, frozen: the ready
 * lists' members, the thread_schedule calls in progress, the "do not migrate" locks, the request
 * records and the global migration lock.
 *
 * @param readyLists per CPU, the members of its ready lists (highest priority first, each list
 *                   from its current pointer on)
 * @param calls      per scheduler inside a thread_schedule that moves a thread, its call
 * @param locks      per thread whose "do not migrate" lock is held, the scheduler holding it
 * @param requests   the request records in use
 * @param lock       the scheduler whose request holds the global migration lock, or nil
 */
public record MigrationSnapshot(List<List<ThreadId>> readyLists, Map<ThreadId, MigrationCallView> calls,
                                Map<ThreadId, ThreadId> locks, List<MigrationView> requests, ThreadId lock) {

    static MigrationSnapshot of(KernelView view) {
        List<List<ThreadId>> ready = new ArrayList<>();
        for (int c = 0; c < view.cpuCount(); c++) {
            CpuView cpu = view.cpu(c);
            List<ThreadId> members = new ArrayList<>();
            cpu.readyLists().entrySet().stream().sorted(Map.Entry.<Integer, List<ThreadId>>comparingByKey().reversed())
                    .forEach(e -> members.addAll(e.getValue()));
            ready.add(List.copyOf(members));
        }
        Map<ThreadId, MigrationCallView> calls = new LinkedHashMap<>();
        Map<ThreadId, ThreadId> locks = new LinkedHashMap<>();
        for (ThreadView t : view.threads()) {
            if (t.migrationCall() != null) {
                calls.put(t.id(), t.migrationCall());
            }
            if (!t.doNotMigrate().isNil()) {
                locks.put(t.id(), t.doNotMigrate());
            }
        }
        return new MigrationSnapshot(List.copyOf(ready), Map.copyOf(calls), Map.copyOf(locks), List.copyOf(view.migrations()),
                view.migrationLock());
    }
}
