package l4smp.pbt.conform;

import java.util.ArrayList;
import java.util.List;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.thread.Task;
import l4smp.kernel.thread.ThreadId;
import l4smp.workload.Simulation;

/**
 * What each thread of a generated workload saw of its IPCs, read from its own memory after the
 * run: after every ipc its program stores the result dope (EAX: the completion code in bits
 * 4..7), the source (ESI), the first word (EDX) and a marker with the IPC's number, 16 bytes an
 * entry in its log page ({@link Workload#LOG_BASE}). An entry without its marker was not written:
 * the IPC had not returned when the run ended. This is the user's view, independent of the
 * kernel's own bookkeeping.
 */
public final class IpcLog {
    static final long MARKER = 0xC0DE_0000L;

    /** The n-th IPC of thread {@code thread} returned {@code code}, from {@code source}, with word {@code word}. */
    public record Entry(int thread, int n, Workload.Ipc ipc, CompletionCode code, int source, int word) {
    }

    private final List<List<Entry>> entries;

    private IpcLog(List<List<Entry>> entries) {
        this.entries = entries;
    }

    /** Reads every thread's log from the simulation's memory. */
    public static IpcLog read(Workload w, Simulation sim) {
        List<List<Entry>> all = new ArrayList<>();
        for (int i = 0; i < w.threads().size(); i++) {
            List<Entry> mine = new ArrayList<>();
            Task task = sim.kernel().task(5 + w.threads().get(i).task());
            List<Workload.Ipc> ipcs = w.ipcs(i);
            long page = Workload.LOG_BASE + 0x1000L * w.lthreadOf(i);
            for (int n = 0; task != null && n < ipcs.size() && n < 256; n++) {
                long[] words = new long[4];
                boolean present = true;
                for (int k = 0; k < 4 && present; k++) {
                    long pa = task.space().translate(sim.machine().memory(), page + 16L * n + 4L * k);
                    present = pa >= 0;
                    words[k] = present ? sim.machine().memory().readWord(pa) & 0xFFFF_FFFFL : 0;
                }
                if (!present || words[3] != (MARKER | n)) {
                    break;
                }
                mine.add(new Entry(i, n, ipcs.get(n), CompletionCode.ofDope((int) words[0]), (int) words[1], (int) words[2]));
            }
            all.add(mine);
        }
        return new IpcLog(all);
    }

    /** The entries of thread {@code i}, in program order. */
    public List<Entry> of(int i) {
        return entries.get(i);
    }

    /** Thread {@code i}'s entry for its IPC number {@code n}, or null if it had not returned. */
    public Entry of(int i, int n) {
        List<Entry> mine = entries.get(i);
        return n < mine.size() ? mine.get(n) : null;
    }

    /** The thread number whose id is {@code raw} in {@code sim}, or -1. */
    static int threadOf(Workload w, Simulation sim, int raw) {
        ThreadId id = new ThreadId(raw);
        for (int i = 0; i < w.threads().size(); i++) {
            if (sim.thread(w.threadName(i)).equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
