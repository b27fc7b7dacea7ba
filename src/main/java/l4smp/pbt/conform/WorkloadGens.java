package l4smp.pbt.conform;

import static l4smp.pbt.Gens.weighted;

import java.util.ArrayList;
import java.util.List;
import l4smp.pbt.Gen;
import l4smp.pbt.Gens;
import l4smp.pbt.conform.Workload.Compute;
import l4smp.pbt.conform.Workload.ExRegs;
import l4smp.pbt.conform.Workload.Extra;
import l4smp.pbt.conform.Workload.Ipc;
import l4smp.pbt.conform.Workload.Kind;
import l4smp.pbt.conform.Workload.Migrate;
import l4smp.pbt.conform.Workload.Op;
import l4smp.pbt.conform.Workload.Sleep;
import l4smp.pbt.conform.Workload.ThreadPlan;
import l4smp.pbt.conform.Workload.ThreadSwitch;
import l4smp.pbt.conform.Workload.Tmo;
import l4smp.pbt.conform.Workload.Touch;
import l4smp.pbt.conform.Workload.Unmap;

/**
 * Generators of kernel workloads, in four families weighted so that the default budget takes every
 * action of every spec the kernel implements but the gaps docs/refine.md lists
 * ({@code ConformancePropertiesTest}'s slow tests):
 * <ul>
 *   <li>{@code mixed}: 2-8 threads of up to 4 tasks on 1-4 CPUs, programs mixing every IPC kind
 *       with timeouts 0, short and never, map items and receive windows, long IPC faulting on
 *       either side, fpage_unmap, lthread_ex_regs aborting a sibling's IPC, thread_switch, page
 *       faults, compute bursts and sleeps (and, when the kernel migrates, thread_schedule moving
 *       threads: {@code migration});</li>
 *   <li>{@code cross-cpu}: 2-6 threads on 2-4 CPUs sending to and receiving from threads of other
 *       CPUs only (ProxyWakeup's programs), small mailbox pools, timeouts;</li>
 *   <li>{@code uhlig}: the Uhlig race's setting, 1-3 senders and one receiver on CPUs of their
 *       own, timeout never, open or closed receives, a compute burst before each;</li>
 *   <li>{@code shared-proxy}: 2-3 senders on one CPU sending to a receiver on another, so that
 *       their requests queue at one proxy (no hand-over), and the receiver's closed receives name
 *       them in a drawn order: a receive that names a sender whose request is queued behind the
 *       one the proxy polls for is what the receive path's sender check is for
 *       ({@code RemovedFix.PROXY_SENDER_CHECK}).</li>
 * </ul>
 * And, for the migration property ({@link #migrations}), two families with a scheduler thread:
 * <ul>
 *   <li>{@code migration}: 1-3 workers that compute and sleep on 2-4 CPUs, and 1-2 schedulers
 *       (priority 200), each calling thread_schedule once, after a burst, with a random target CPU
 *       on a random thread: a worker, another scheduler (perhaps inside its own call: the second
 *       deadlock of docs/specs.md) or itself (ignored, §8.7.4); one second scheduler in four
 *       repeats the first's request, so that it may find nothing to move — MigrationBarriers'
 *       shape;</li>
 *   <li>{@code xp-migration}: the uhlig family's senders and receiver on CPUs of their own, and a
 *       scheduler moving one of them to a random CPU after a random burst, so that the move falls
 *       before, inside or after the cross-CPU sends — XpMigration's shape.</li>
 * </ul>
 * Everything shrinks towards fewer threads, fewer and simpler operations (send, timeout never),
 * shorter bursts.
 */
public final class WorkloadGens {
    private WorkloadGens() {
    }

    static final long STEPS = 40_000;

    /** Every family; {@code migration} adds thread_schedule moving threads (only for a kernel that migrates). */
    public static Gen<Workload> workloads(boolean migration) {
        return Gens.frequency(weighted(5, mixed(migration)), weighted(3, crossCpu()), weighted(2, uhlig()),
                weighted(1, sharedProxy()));
    }

    /** The families with a scheduler thread that moves threads between CPUs. */
    public static Gen<Workload> migrations() {
        return Gens.frequency(weighted(1, migration()), weighted(1, xpMigration()));
    }

    /** thread_schedule of a random thread (-1: the caller itself) to a random CPU. */
    private static final Gen<Op> MIGRATE = Gens.zip(Gens.integers(-1, 7), Gens.integers(0, 3), Migrate::new);

    /** The migration family: workers compute and sleep; schedulers (task d) each call thread_schedule once. */
    public static Gen<Workload> migration() {
        Gen<Op> work = Gens.frequency(weighted(2, Gens.integers(0, 20_000).map(Compute::new)),
                weighted(1, Gens.integers(1, 40).map(Sleep::new)));
        return source -> {
            int cpus = Gens.integers(2, 4).generate(source);
            List<ThreadPlan> threads = new ArrayList<>();
            for (List<Op> program : Gens.lists(Gens.lists(work, 1, 3), 1, 3).generate(source)) {
                threads.add(new ThreadPlan(threads.size() % 3, Gens.integers(0, 3).generate(source), 100, program));
            }
            int schedulers = Gens.integers(1, 2).generate(source);
            int workers = threads.size();
            int n = workers + schedulers;
            for (int k = 0; k < schedulers; k++) {
                Compute burst = new Compute(Gens.integers(0, 8_000).generate(source));
                Op call = MIGRATE.generate(source);
                if (k == 1 && Gens.integers(0, 3).generate(source) == 3
                        && threads.get(workers).program().get(1) instanceof Migrate first && first.thread() >= 0) {
                    // one second scheduler in four repeats the first's request: the later call may find the
                    // thread on the target CPU already, SchedulerCall's "nothing to move"
                    int moved = (workers + 1 + Math.floorMod(first.thread(), n - 1)) % n;
                    call = moved == workers + 1 ? call : new Migrate(Workload.partnerNumber(workers + 1, moved, n), first.cpu());
                }
                threads.add(new ThreadPlan(3, Gens.integers(0, 3).generate(source), 200, List.of(burst, call)));
            }
            return new Workload("migration", cpus, 2, TICKS.generate(source), threads, STEPS);
        };
    }

    /**
     * The target CPU of the xp-migration family's move: any, or (one in three more) the receiver's
     * cpu0, where a sender moved there before its send sends locally and waits in the receiver's
     * queue (XpMigration's SenderTransfer).
     */
    private static final Gen<Integer> TO_RECEIVER_OR_ANY = Gens.frequency(weighted(2, Gens.integers(0, 3)),
            weighted(1, Gens.constant(0)));

    /** The xp-migration family: the uhlig family's threads and a scheduler (task d) that moves one of them once. */
    public static Gen<Workload> xpMigration() {
        return source -> {
            Workload uhlig = uhlig().generate(source);
            int n = uhlig.threads().size() + 1;
            List<ThreadPlan> threads = new ArrayList<>();
            for (int i = 0; i < n - 1; i++) {
                // partners are numbered among the other threads: renumber them for one thread more
                List<Op> program = new ArrayList<>();
                for (Op op : uhlig.threads().get(i).program()) {
                    program.add(op instanceof Ipc ipc ? new Ipc(ipc.kind(), Workload.partnerNumber(i, uhlig.partnerOf(i,
                            ipc.partner()), n), ipc.snd(), ipc.rcv(), ipc.extra()) : op);
                }
                ThreadPlan t = uhlig.threads().get(i);
                threads.add(new ThreadPlan(t.task(), t.cpu(), t.priority(), program));
            }
            int target = Gens.integers(0, threads.size() - 1).generate(source);
            threads.add(new ThreadPlan(3, Gens.integers(0, 3).generate(source), 200, List.of(
                    new Compute(Gens.integers(0, 20_000).generate(source)),
                    new Migrate(Workload.partnerNumber(n - 1, target, n), TO_RECEIVER_OR_ANY.generate(source)))));
            return new Workload("xp-migration", uhlig.cpus(), uhlig.mailboxesPerCpu(), uhlig.tickCycles(), threads, STEPS);
        };
    }

    private static final Gen<Tmo> TIMEOUTS = Gens.frequency(weighted(3, Gens.constant(Tmo.NEVER)),
            weighted(2, Gens.constant(Tmo.SHORT)), weighted(1, Gens.constant(Tmo.ZERO)));
    private static final Gen<Long> TICKS = Gens.elements(2_000L, 4_000L);

    /** The mixed family. */
    public static Gen<Workload> mixed(boolean migration) {
        Gen<Extra> extra = Gens.frequency(weighted(12, Gens.constant(Extra.NONE)), weighted(1, Gens.constant(Extra.MAP)),
                weighted(2, Gens.constant(Extra.WINDOW)), weighted(3, Gens.constant(Extra.LONG)));
        Gen<Op> ipc = source -> new Ipc(Gens.elements(Kind.values()).generate(source), Gens.integers(0, 7).generate(source),
                TIMEOUTS.generate(source), TIMEOUTS.generate(source), extra.generate(source));
        List<Gens.Weighted<Op>> ops = new ArrayList<>(List.of(
                weighted(10, ipc),
                weighted(2, Gens.integers(0, 30_000).map(Compute::new)),
                weighted(1, Gens.integers(1, 60).map(Sleep::new)),
                weighted(1, Gens.integers(-1, 7).map(ThreadSwitch::new)),
                weighted(2, Gens.integers(0, 7).map(ExRegs::new)),
                weighted(1, Gens.constant(new Unmap())),
                weighted(1, Gens.integers(0, 15).map(Touch::new))));
        if (migration) {
            ops.add(weighted(1, Gens.zip(Gens.integers(0, 7), Gens.integers(0, 3), Migrate::new)));
        }
        @SuppressWarnings("unchecked")
        Gen<Op> op = Gens.frequency(ops.toArray(Gens.Weighted[]::new));
        Gen<ThreadPlan> thread = Gens.zip(Gens.integers(0, 3), Gens.integers(0, 3), Gens.elements(100, 90, 110),
                Gens.lists(op, 1, 8), ThreadPlan::new);
        return source -> new Workload("mixed", Gens.integers(1, 4).generate(source), Gens.integers(1, 4).generate(source),
                TICKS.generate(source), Gens.lists(thread, 2, 8).generate(source), STEPS);
    }

    /** The cross-cpu family: thread i sits on cpu i modulo the CPUs; sends and closed or open receives. */
    public static Gen<Workload> crossCpu() {
        Gen<Kind> kind = Gens.frequency(weighted(3, Gens.constant(Kind.SEND)), weighted(2, Gens.constant(Kind.RECEIVE)),
                weighted(2, Gens.constant(Kind.WAIT)));
        Gen<Op> ipc = source -> new Ipc(kind.generate(source), Gens.integers(0, 5).generate(source),
                TIMEOUTS.generate(source), TIMEOUTS.generate(source), Extra.NONE);
        Gen<Op> op = Gens.frequency(weighted(6, ipc), weighted(1, Gens.integers(0, 20_000).map(Compute::new)));
        return source -> {
            int cpus = Gens.integers(2, 4).generate(source);
            List<List<Op>> programs = Gens.lists(Gens.lists(op, 1, 6), 2, 2 * cpus).generate(source);
            List<ThreadPlan> threads = new ArrayList<>();
            for (int i = 0; i < programs.size(); i++) {
                threads.add(new ThreadPlan(i % 4, i % cpus, 100, programs.get(i)));
            }
            return new Workload("cross-cpu", cpus, Gens.integers(1, 3).generate(source), TICKS.generate(source), threads, STEPS);
        };
    }

    /**
     * The shared-proxy family: the receiver, thread 0, on cpu1 of task a, computes a burst, then
     * receives closed from each sender once, in a drawn order, with timeout never or short; 2-3
     * senders on cpu0, of task b, each compute a burst and send once (timeout never). One proxy of
     * the pair cpu0 -> cpu1 carries every request (the family runs without hand-over), so while it
     * polls for one sender's request the others' wait behind it.
     */
    public static Gen<Workload> sharedProxy() {
        return source -> {
            int senders = Gens.integers(2, 3).generate(source);
            int n = senders + 1;
            List<Integer> order = new ArrayList<>();
            for (int s = 1; s <= senders; s++) {
                order.add(s);
            }
            List<Op> receiver = new ArrayList<>();
            receiver.add(new Compute(Gens.integers(0, 60_000).generate(source)));
            for (int k = 0; k < senders; k++) {
                int s = order.remove(Gens.integers(0, order.size() - 1).generate(source).intValue());
                receiver.add(new Ipc(Kind.RECEIVE, Workload.partnerNumber(0, s, n), Tmo.NEVER,
                        Gens.frequency(weighted(3, Gens.constant(Tmo.NEVER)), weighted(1, Gens.constant(Tmo.SHORT)))
                                .generate(source), Extra.NONE));
            }
            List<ThreadPlan> threads = new ArrayList<>();
            threads.add(new ThreadPlan(0, 1, 100, receiver));
            for (int s = 1; s <= senders; s++) {
                threads.add(new ThreadPlan(1, 0, 100, List.of(new Compute(Gens.integers(0, 30_000).generate(source)),
                        new Ipc(Kind.SEND, Workload.partnerNumber(s, 0, n), Tmo.NEVER, Tmo.NEVER, Extra.NONE))));
            }
            return new Workload("shared-proxy", 2, Gens.integers(1, 3).generate(source), 4_000, threads, STEPS);
        };
    }

    /**
     * The uhlig family: the receiver, thread 0, on cpu0 of task a; sender i on cpu i of a task of
     * its own, sending once; the receiver receives once per sender, openly or closed in an order
     * drawn.
     */
    public static Gen<Workload> uhlig() {
        return source -> {
            int senders = Gens.integers(1, 3).generate(source);
            boolean open = Gens.booleans().generate(source);
            int n = senders + 1;
            List<ThreadPlan> threads = new ArrayList<>();
            List<Op> receiver = new ArrayList<>();
            receiver.add(new Compute(Gens.integers(0, 20_000).generate(source)));
            List<Integer> order = new ArrayList<>();
            for (int s = 1; s <= senders; s++) {
                order.add(s);
            }
            for (int k = 0; k < senders; k++) {
                int s = order.remove(Gens.integers(0, order.size() - 1).generate(source).intValue());
                receiver.add(new Ipc(open ? Kind.WAIT : Kind.RECEIVE, Workload.partnerNumber(0, s, n), Tmo.NEVER, Tmo.NEVER,
                        Extra.NONE));
            }
            threads.add(new ThreadPlan(0, 0, 100, receiver));
            for (int s = 1; s <= senders; s++) {
                threads.add(new ThreadPlan(s, s, 100, List.of(new Compute(Gens.integers(0, 20_000).generate(source)),
                        new Ipc(Kind.SEND, Workload.partnerNumber(s, 0, n), Tmo.NEVER, Tmo.NEVER, Extra.NONE))));
            }
            return new Workload("uhlig", n, 8, 4_000, threads, STEPS);
        };
    }
}
