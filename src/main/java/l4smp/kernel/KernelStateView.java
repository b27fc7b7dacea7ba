package l4smp.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.ipc.SendQueue;
import l4smp.kernel.observe.CpuView;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.ReadyList;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/** The live, read-only {@link KernelView} of a kernel: wrappers that only read TCBs and per-CPU data, free of cost. */
final class KernelStateView implements KernelView {
    private final Kernel kernel;

    KernelStateView(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public List<ThreadView> threads() {
        List<ThreadView> views = new ArrayList<>();
        for (Tcb tcb : kernel.tcbs().all()) {
            if (tcb.exists()) {
                views.add(new TcbView(tcb));
            }
        }
        return views;
    }

    @Override
    public ThreadView thread(ThreadId id) {
        Tcb tcb = kernel.tcbs().present(id);
        return tcb == null ? null : new TcbView(tcb);
    }

    @Override
    public int cpuCount() {
        return kernel.cpuCount();
    }

    @Override
    public CpuView cpu(int id) {
        return new ProcessorView(kernel.processor(id));
    }

    private record TcbView(Tcb tcb) implements ThreadView {
        @Override
        public ThreadId id() {
            return tcb.myself();
        }

        @Override
        public ThreadState state() {
            return tcb.state();
        }

        @Override
        public ThreadId partner() {
            return tcb.partner();
        }

        @Override
        public int cpu() {
            return tcb.cpu();
        }

        @Override
        public int priority() {
            return tcb.priority();
        }

        @Override
        public ThreadId pager() {
            return tcb.pager();
        }

        @Override
        public List<ThreadId> sendQueue() {
            return SendQueue.list(tcb);
        }

        @Override
        public long wakeupTime() {
            return tcb.wakeupTime();
        }

        @Override
        public IpcOp ipcOp() {
            return tcb.ipc() == null ? null : (tcb.outerIpc() != null ? tcb.outerIpc() : tcb.ipc()).op();
        }

        @Override
        public boolean receivesOpen() {
            return tcb.ipc() != null && tcb.ipc().receivesOpen();
        }

        @Override
        public CompletionCode completion() {
            return tcb.ipc() != null ? CompletionCode.NONE : tcb.completion();
        }

        @Override
        public boolean timedOut() {
            return tcb.timedOut();
        }

        @Override
        public Resume resume() {
            return tcb.resume();
        }

        @Override
        public boolean inReadyList() {
            return tcb.inReadyList();
        }
    }

    private record ProcessorView(ProcessorData data) implements CpuView {
        @Override
        public int id() {
            return data.id();
        }

        @Override
        public ThreadId current() {
            return data.current() == null ? ThreadId.NIL : data.current().myself();
        }

        @Override
        public SortedMap<Integer, List<ThreadId>> readyLists() {
            SortedMap<Integer, List<ThreadId>> lists = new TreeMap<>();
            for (int p = 0; p < ReadyList.PRIORITIES; p++) {
                List<ThreadId> list = data.readyList().list(p);
                if (!list.isEmpty()) {
                    lists.put(p, list);
                }
            }
            return lists;
        }

        @Override
        public int highestActivePriority() {
            return data.readyList().highestActive();
        }

        @Override
        public List<ThreadId> wakeupQueue() {
            return data.wakeupQueue().list();
        }

        @Override
        public ThreadId fpuOwner() {
            return data.fpuOwner() == null ? ThreadId.NIL : data.fpuOwner().myself();
        }
    }
}
