package l4smp.kernel.xcpu;

import java.util.ArrayList;
import java.util.List;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.mm.FrameAllocator;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * Every CPU's proxy threads (§8.8.4: "Since proxy threads exist processor local only they can be
 * stored in a local page"): their TCBs sit in frames of their CPU, four to a frame.
 *
 * <p>Each pair of source and destination CPU has one proxy at boot, its leader: the one whose
 * mailbox list new requests join ("get ipc proxy(from TCB.cpu, to TCB.cpu)"). A leader whose
 * operation must wait (for its receiver, a pager, or the sender redoing a fault) hands its list to
 * an idle instance of the pair, made on demand, so that the other requests are not stalled behind
 * it (§8.4.4, docs/decisions/0004): each operation in work keeps its own proxy TCB, the kernel stack
 * the thesis leaves open ("how to construct the proxy operations to be easily restartable"). An
 * operation in work holds one mailbox of its source CPU's pool, so a pair never needs more
 * instances than that pool has mailboxes; with the hand-over switched off, the pair's one proxy
 * works as §8.4 describes, one operation at a time.
 */
public final class Proxies {
    private final FrameAllocator frames;
    private final long timeslice;
    private final int perPair;
    private final List<List<List<ProxyThread>>> byPair = new ArrayList<>();
    private final ProxyThread[][] leader;
    private final List<ProxyThread> all = new ArrayList<>();
    private final ProxyThread[] operations;
    /** Per target CPU: the frame its next proxy TCB goes into, and how many it holds. */
    private final long[] frame;
    private final int[] placed;
    private long handOvers;
    private long stalls;

    Proxies(FrameAllocator frames, int cpus, long timeslice, int perPair) {
        this.frames = frames;
        this.timeslice = timeslice;
        this.perPair = perPair;
        leader = new ProxyThread[cpus][cpus];
        operations = new ProxyThread[cpus];
        frame = new long[cpus];
        placed = new int[cpus];
        for (int source = 0; source < cpus; source++) {
            List<List<ProxyThread>> row = new ArrayList<>();
            for (int target = 0; target < cpus; target++) {
                row.add(new ArrayList<>());
            }
            byPair.add(row);
        }
        for (int target = 0; target < cpus; target++) {
            for (int source = 0; source < cpus; source++) {
                if (source == target) {
                    operations[target] = make(ProxyThread.operationsIdOf(target), source, target, 0, Resume.OPERATIONS);
                } else {
                    leader[source][target] = instance(source, target);
                }
            }
        }
    }

    private ProxyThread instance(int source, int target) {
        List<ProxyThread> pair = byPair.get(source).get(target);
        int k = pair.size();
        ProxyThread proxy = make(ProxyThread.idOf(source, target, k), source, target, k, Resume.PROXY);
        proxy.leads(k == 0);
        pair.add(proxy);
        all.add(proxy);
        return proxy;
    }

    private ProxyThread make(ThreadId id, int source, int target, int k, Resume loop) {
        int perFrame = PhysicalMemory.FRAME_BYTES / Tcb.SIZE;
        if (placed[target] % perFrame == 0) {
            frame[target] = (long) frames.allocateOrFail("cpu" + target + "'s proxy threads") << PhysicalMemory.FRAME_SHIFT;
        }
        long address = frame[target] + (long) (placed[target] % perFrame) * Tcb.SIZE;
        placed[target]++;
        Tcb tcb = new Tcb(id.threadNumber(), address);
        ProxyThread proxy = new ProxyThread(tcb, source, target, k);
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

    /** "get ipc proxy(from TCB.cpu, to TCB.cpu)": the pair's leader. */
    ProxyThread of(int source, int target) {
        return leader[source][target];
    }

    /**
     * The leader {@code p}'s operation waits: the pair's list goes to an idle instance (made if
     * needed and the pair has fewer than its pool's mailboxes), which leads from now on.
     *
     * @return the new leader, or null if {@code p} keeps the list (not the leader, hand-over off or
     *         every instance busy: the list waits, as in §8.4)
     */
    ProxyThread handOver(ProxyThread p) {
        if (leader[p.source()][p.target()] != p || perPair <= 1) {
            return null;
        }
        ProxyThread next = null;
        for (ProxyThread q : byPair.get(p.source()).get(p.target())) {
            if (q != p && q.current() == null && q.tcb().state() == ThreadState.WAITING) {
                next = q;
                break;
            }
        }
        if (next == null) {
            if (byPair.get(p.source()).get(p.target()).size() >= perPair) {
                stalls++;
                return null;
            }
            next = instance(p.source(), p.target());
        }
        Tcb from = p.tcb();
        Tcb to = next.tcb();
        to.firstMailbox(from.firstMailbox());
        to.lastMailbox(from.lastMailbox());
        from.firstMailbox(null);
        from.lastMailbox(null);
        leader[p.source()][p.target()] = next;
        p.leads(false);
        next.leads(true);
        handOvers++;
        return next;
    }

    /** The instance of its pair that has {@code m} in work or in its list (a request not yet taken). */
    ProxyThread holding(IpcMailbox m) {
        for (ProxyThread q : byPair.get(m.home()).get(m.targetCpu())) {
            if (q.current() == m) {
                return q;
            }
            for (IpcMailbox x = q.tcb().firstMailbox(); x != null; x = x.next()) {
                if (x == m) {
                    return q;
                }
            }
        }
        return leader[m.home()][m.targetCpu()];
    }

    /** Hand-overs so far, and leaders that had to keep their list (every instance busy). */
    long handOvers() {
        return handOvers;
    }

    long stalls() {
        return stalls;
    }

    /** Every IPC proxy, by target CPU then source CPU at boot, then in the order the hand-over made them. */
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
