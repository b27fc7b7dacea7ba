package l4smp.workload;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import l4smp.hw.Cycles;
import l4smp.kernel.Statistics;
import l4smp.kernel.boot.SmpBoot;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.observe.ProxyView;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.ThreadId;

/** Per-thread statistics of a run, with the scenario's thread names, as {@code l4smp simulate} prints them. */
public final class Report {
    /** One thread's line. */
    public record Row(String name, ThreadId id, String state, Statistics.ThreadStatistics stats) {
        /** IPCs of {@code op} that ended with {@code code}. */
        public long ipcs(IpcOp op, CompletionCode code) {
            return stats.ipcs(op, code);
        }

        public long pageFaults() {
            return stats.pageFaults();
        }

        public long cycles() {
            return Cycles.wholeCycles(stats.millicycles());
        }
    }

    private final Simulation simulation;
    private final List<Row> rows = new ArrayList<>();

    /** Every thread of the scenario (sigma0 first, in scenario order), then threads created while running. */
    Report(Simulation simulation) {
        this.simulation = simulation;
        Statistics statistics = simulation.kernel().statistics();
        java.util.Set<ThreadId> listed = new java.util.HashSet<>();
        for (String name : simulation.threadNames()) {
            ThreadId id = simulation.thread(name);
            listed.add(id);
            rows.add(row(id, statistics));
        }
        for (ProxyView p : simulation.kernel().view().proxies()) {
            listed.add(p.id());
        }
        for (ThreadId id : statistics.threads().keySet()) {
            if (!listed.contains(id)) {
                rows.add(row(id, statistics));
            }
        }
    }

    private Row row(ThreadId id, Statistics statistics) {
        ThreadView view = simulation.kernel().view().thread(id);
        return new Row(simulation.name(id), id, view == null ? "gone" : view.state().label(), statistics.of(id));
    }

    public List<Row> rows() {
        return rows;
    }

    public Row row(String threadName) {
        ThreadId id = simulation.thread(threadName);
        for (Row row : rows) {
            if (row.id().equals(id)) {
                return row;
            }
        }
        throw new IllegalArgumentException("no thread " + threadName + " in the report");
    }

    /** The table {@code l4smp simulate} prints. */
    public void print(PrintWriter out) {
        long total = Math.max(1, simulation.machine().elapsedMillicycles());
        out.printf(Locale.ROOT, "%-18s %-7s %-15s %10s %6s %6s  %s%n", "thread", "id", "state", "cycles", "share", "faults", "IPCs by kind and completion code");
        for (Row row : rows) {
            out.printf(Locale.ROOT, "%-18s %-7s %-15s %10d %5.1f%% %6d  %s%n", row.name(), row.id(), row.state(), row.cycles(),
                    100.0 * row.stats().millicycles() / total, row.pageFaults(), ipcs(row.stats()));
            if (row.stats().killed() != null) {
                out.printf(Locale.ROOT, "%-18s stopped by the kernel: %s%n", "", row.stats().killed());
            }
            if (row.stats().migrations() > 0) {
                out.printf(Locale.ROOT, "%-18s cpus %s%n", "", cpuHistory(row.stats()));
            }
        }
        for (ProxyView p : simulation.kernel().view().proxies()) {
            Statistics.ThreadStatistics stats = simulation.kernel().statistics().of(p.id());
            if (stats.millicycles() > 0) {
                out.printf(Locale.ROOT, "%-26s %-15s %10d %5.1f%%%n",
                        p.isOperations() ? "operations cpu" + p.target()
                                : "proxy cpu" + p.source() + "->cpu" + p.target() + (p.instance() == 0 ? "" : "#" + p.instance()),
                        p.state().label(), Cycles.wholeCycles(stats.millicycles()), 100.0 * stats.millicycles() / total);
            }
        }
        long lazy = 0;
        for (int cpu = 0; cpu < simulation.machine().cpuCount(); cpu++) {
            if (!simulation.kernel().processor(cpu).started()) {
                continue;
            }
            long idle = simulation.kernel().processor(cpu).idleMillicycles();
            lazy += simulation.kernel().processor(cpu).readyList().lazyRemovals();
            out.printf(Locale.ROOT, "%-18s %-7s %-15s %10d %5.1f%%%n", "dispatcher/idle", "cpu" + cpu, "", Cycles.wholeCycles(idle),
                    100.0 * idle / total);
        }
        var kernel = simulation.kernel();
        out.printf(Locale.ROOT, "kernel: %d atomic kernel steps; %d lazy removals from ready lists; %d interrupts "
                        + "delivered as IPC, %d held for a busy handler; %d FPU switches; %d mapping-database nodes%n",
                kernel.kernelSteps(), lazy, kernel.interruptThreads().delivered(), kernel.interruptThreads().heldPending(),
                kernel.fpu().switches(), kernel.mappings().nodesCreated());
        if (!kernel.config().removedFixes().isEmpty()) {
            out.println("fault injection: this kernel leaves out " + kernel.config().removedFixes().stream()
                    .map(f -> f.scenarioName() + " (" + f.specConstant() + ")").toList());
        }
        if (simulation.machine().cpuCount() > 1) {
            out.println(boot(kernel.smpBoot(), simulation.machine().cpuCount()));
            var x = kernel.xcpu().counters();
            out.printf(Locale.ROOT, "cross-processor: %d sends through proxies, %d replies, %d trigger IPIs (%d triggers found one "
                            + "unacknowledged), %d waits for a mailbox, %d proxy yields, %d proxy hand-overs (%d with every "
                            + "instance busy)%n",
                    x.sends(), x.replies(), x.ipis(), x.ipisSaved(), x.mailboxWaits(), x.yields(), x.handOvers(), x.stalls());
        }
        printMigrations(out);
    }

    /** A migrated thread's CPUs in order, e.g. {@code cpu1 > cpu3 > cpu0 (2 migrations)}. */
    static String cpuHistory(Statistics.ThreadStatistics stats) {
        StringBuilder text = new StringBuilder();
        for (int cpu : stats.cpuHistory()) {
            text.append(text.length() == 0 ? "" : " > ").append("cpu").append(cpu);
        }
        int n = stats.migrations();
        return text.append(" (").append(n).append(n == 1 ? " migration)" : " migrations)").toString();
    }

    /**
     * What the migration machinery did, and what it is doing if the run stopped with a migration
     * unfinished: a CPU still executing a part spins at a barrier (without the migration lock, two
     * crossing migrations spin there for ever).
     */
    private void printMigrations(PrintWriter out) {
        var kernel = simulation.kernel();
        var migration = kernel.migration();
        var view = kernel.view();
        if (migration.migrations() == 0 && migration.refusals() == 0 && view.migrations().isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "migration: %d threads moved, %d attempts refused while the thread was pinned by an IPC "
                + "(each time the caller waited, blocked, and redid its call), %d requests to a migrant went with it%n",
                migration.migrations(), migration.refusals(), kernel.xcpu().requestMigration().moved());
        for (var m : view.migrations()) {
            StringBuilder parts = new StringBuilder();
            for (int cpu = 0; cpu < view.cpuCount(); cpu++) {
                if (view.cpu(cpu).migrationRequest() == m.id()) {
                    parts.append(", cpu").append(cpu).append(" spins in part ").append(view.cpu(cpu).migrationPart());
                }
            }
            out.printf(Locale.ROOT, "migration unfinished: %s moves %s from cpu%d to cpu%d (B %s, C %s, arrived %s)%s%n",
                    simulation.name(m.scheduler()), simulation.name(m.thread()), m.source(), m.target(), m.bPhase(),
                    m.cPhase(), m.arrived(), parts);
        }
    }

    /** Which of the machine's CPUs took which processor number, who was masked out, when the barrier opened (§8.2). */
    static String boot(SmpBoot boot, int cpus) {
        if (boot.processors() == 0) {
            return "boot: not finished, the barrier is still closed";
        }
        List<String> machineCpus = new ArrayList<>();
        for (int number = 1; number <= boot.processors(); number++) {
            machineCpus.add(Integer.toString(boot.apicIdOf(number)));
        }
        return String.format(Locale.ROOT, "boot: %d of %d CPUs started, processors 1..%d on the machine's cpu %s%s; the "
                        + "barrier opened at %d cycles", boot.processors(), cpus, boot.processors(), String.join(", ", machineCpus),
                boot.maskedOut().isEmpty() ? "" : "; cpu " + boot.maskedOut().stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + " did not answer and is masked out",
                Cycles.wholeCycles(boot.releasedAt()));
    }

    static String ipcs(Statistics.ThreadStatistics stats) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<IpcOp, Map<CompletionCode, Long>> op : stats.ipcs().entrySet()) {
            text.append(text.length() == 0 ? "" : "; ").append(op.getKey().label()).append(' ');
            boolean first = true;
            for (Map.Entry<CompletionCode, Long> code : op.getValue().entrySet()) {
                text.append(first ? "" : ", ").append(code.getKey().label()).append('=').append(code.getValue());
                first = false;
            }
        }
        return text.length() == 0 ? "-" : text.toString();
    }
}
