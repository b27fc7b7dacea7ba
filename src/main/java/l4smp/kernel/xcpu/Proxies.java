package l4smp.kernel.xcpu;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * Every CPU's proxy threads, one per other CPU that may send to it (§8.8.4: "Since proxy threads
 * exist processor local only they can be stored in a local page"): their TCBs sit in frames of
 * their CPU, four to a frame.
 */
public final class Proxies {
    private final ProxyThread[][] byPair;
    private final List<ProxyThread> all = new ArrayList<>();

    Proxies(FrameAllocator frames, int cpus, long timeslice) {
        byPair = new ProxyThread[cpus][cpus];
        int perFrame = PhysicalMemory.FRAME_BYTES / Tcb.SIZE;
        for (int target = 0; target < cpus; target++) {
            long frame = 0;
            int placed = 0;
            for (int source = 0; source < cpus; source++) {
                if (source == target) {
                    continue;
                }
                if (placed % perFrame == 0) {
                    frame = (long) frames.allocateOrFail("cpu" + target + "'s proxy threads") << PhysicalMemory.FRAME_SHIFT;
                }
                var id = ProxyThread.idOf(source, target);
                Tcb tcb = new Tcb(id.threadNumber(), frame + (long) (placed % perFrame) * Tcb.SIZE);
                ProxyThread proxy = new ProxyThread(tcb, source, target);
                tcb.createProxy(id, proxy, target);
                tcb.priority(ProxyThread.PRIORITY);
                tcb.timeslice(timeslice);
                tcb.remainingTimeslice(timeslice);
                byPair[source][target] = proxy;
                all.add(proxy);
                placed++;
            }
        }
    }

    /** "get ipc proxy(from TCB.cpu, to TCB.cpu)". */
    ProxyThread of(int source, int target) {
        return byPair[source][target];
    }

    /** Every proxy, by target CPU then source CPU. */
    public List<ProxyThread> all() {
        return List.copyOf(all);
    }

    /** The proxies running on {@code local}'s CPU. */
    List<ProxyThread> on(ProcessorData local) {
        List<ProxyThread> mine = new ArrayList<>();
        for (ProxyThread p : all) {
            if (p.target() == local.id()) {
                mine.add(p);
            }
        }
        return mine;
    }
}
