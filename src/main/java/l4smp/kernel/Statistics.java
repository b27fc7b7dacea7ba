package l4smp.kernel;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.thread.ThreadId;

/**
 * What each thread did: IPCs by kind and completion code, page faults, cycles on its CPU. The
 * kernel counts; {@code l4smp simulate} prints. A page fault's IPC to the pager is counted as a
 * page fault of the faulting thread, not as one of its IPCs.
 */
public final class Statistics {
    /** One thread's counters. */
    public static final class ThreadStatistics {
        private final Map<IpcOp, Map<CompletionCode, Long>> ipcs = new EnumMap<>(IpcOp.class);
        private long pageFaults;
        private long failedPageFaults;
        private long cycles;
        private long kernelSteps;
        private String killed;
        private final java.util.List<Integer> cpus = new java.util.ArrayList<>();

        void ipc(IpcOp op, CompletionCode code) {
            ipcs.computeIfAbsent(op, k -> new EnumMap<>(CompletionCode.class)).merge(code, 1L, Long::sum);
        }

        /** IPC system calls completed, by operation and completion code. */
        public Map<IpcOp, Map<CompletionCode, Long>> ipcs() {
            return ipcs;
        }

        public long ipcs(IpcOp op, CompletionCode code) {
            Map<CompletionCode, Long> byCode = ipcs.get(op);
            return byCode == null ? 0 : byCode.getOrDefault(code, 0L);
        }

        public long pageFaults() {
            return pageFaults;
        }

        /** Page faults whose IPC to the pager failed (no pager, timeout, canceled). */
        public long failedPageFaults() {
            return failedPageFaults;
        }

        /** Millicycles its CPU spent in steps while it was the CPU's current thread. */
        public long millicycles() {
            return cycles;
        }

        public long kernelSteps() {
            return kernelSteps;
        }

        /**
         * The CPUs the thread ran on, in order: empty if it never migrated, else the CPU it left first
         * and each CPU a migration moved it to.
         */
        public java.util.List<Integer> cpuHistory() {
            return java.util.List.copyOf(cpus);
        }

        /** Migrations that moved the thread. */
        public int migrations() {
            return Math.max(0, cpus.size() - 1);
        }

        /** Why the kernel stopped the thread, or null if it did not. */
        public String killed() {
            return killed;
        }
    }

    private final Map<ThreadId, ThreadStatistics> threads = new TreeMap<>();
    /** The same entries by hash: every IPC counts for two threads, the report wants them in order. */
    private final Map<ThreadId, ThreadStatistics> byHash = new HashMap<>();

    public ThreadStatistics of(ThreadId thread) {
        ThreadStatistics statistics = byHash.get(thread);
        if (statistics == null) {
            statistics = threads.computeIfAbsent(thread, id -> new ThreadStatistics());
            byHash.put(thread, statistics);
        }
        return statistics;
    }

    /** Every thread that ran or did anything, in thread-id order. */
    public Map<ThreadId, ThreadStatistics> threads() {
        return Collections.unmodifiableMap(threads);
    }

    public void ipc(ThreadId thread, IpcOp op, CompletionCode code) {
        of(thread).ipc(op, code);
    }

    public void pageFault(ThreadId thread) {
        of(thread).pageFaults++;
    }

    public void failedPageFault(ThreadId thread) {
        of(thread).failedPageFaults++;
    }

    /** A migration moved {@code thread} from CPU {@code from} to CPU {@code to} (§8.7). */
    public void migrated(ThreadId thread, int from, int to) {
        ThreadStatistics s = of(thread);
        if (s.cpus.isEmpty()) {
            s.cpus.add(from);
        }
        s.cpus.add(to);
    }

    public void killed(ThreadId thread, String why) {
        of(thread).killed = why;
    }

    void cycles(ThreadId thread, long millicycles, boolean kernelStep) {
        ThreadStatistics s = of(thread);
        s.cycles += millicycles;
        if (kernelStep) {
            s.kernelSteps++;
        }
    }
}
