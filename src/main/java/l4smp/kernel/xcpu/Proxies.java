package l4smp.kernel.xcpu;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;

/**
 * Every CPU's proxy threads, one per other CPU that may send to it (§8.8.4: "Since proxy threads
 * exist processor local only they can be stored in a local page"): their TCBs sit in frames of
 * their CPU, four to a frame.
 */
public final class Proxies {
    private final ProxyThread[][] byPair;
    private final List<ProxyThread> all = new ArrayList<>();
    private final ProxyThread[] operations;

    Proxies(FrameAllocator frames, int cpus, long timeslice) {
        byPair = new ProxyThread[cpus][cpus];
        operations = new ProxyThread[cpus];
        int perFrame = PhysicalMemory.FRAME_BYTES / Tcb.SIZE;
        for (int target = 0; target < cpus; target++) {
            long frame = 0;
            int placed = 0;
            for (int source = 0; source < cpus; source++) {
                if (placed % perFrame == 0) {
                    frame = (long) frames.allocateOrFail("cpu" + target + "'s proxy threads") << PhysicalMemory.FRAME_SHIFT;
                }
                long address = frame + (long) (placed % perFrame) * Tcb.SIZE;
                if (source == target) {
                    operations[target] = make(ProxyThread.operationsIdOf(target), address, target, target, Resume.OPERATIONS, timeslice);
                } else {
                    ProxyThread proxy = make(ProxyThread.idOf(source, target), address, source, target, Resume.PROXY, timeslice);
                    byPair[source][target] = proxy;
                    all.add(proxy);
                }
                placed++;
            }
        }
    }

    private static ProxyThread make(ThreadId id, long address, int source, int target, Resume loop, long timeslice) {
        Tcb tcb = new Tcb(id.threadNumber(), address);
        ProxyThread proxy = new ProxyThread(tcb, source, target);
        tcb.createProxy(id, proxy, target, loop);
        tcb.priority(ProxyThread.PRIORITY);
        tcb.timeslice(timeslice);
        tcb.remainingTimeslice(timeslice);
        return proxy;
    }

    /** CPU {@code cpu}'s operation proxy. */
    ProxyThread operations(int cpu) {
        return operations[cpu];
    }

    /** Every CPU's operation proxy, by CPU. */
    public List<ProxyThread> operationProxies() {
        return List.of(operations);
    }

    /** "get ipc proxy(from TCB.cpu, to TCB.cpu)". */
    ProxyThread of(int source, int target) {
        return byPair[source][target];
    }

    /** Every IPC proxy, by target CPU then source CPU. */
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
