package l4smp.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.ipc.IpcState;
import l4smp.kernel.ipc.SendQueue;
import l4smp.kernel.observe.CpuView;
import l4smp.kernel.observe.IpcView;
import l4smp.kernel.migrate.MigrationCall;
import l4smp.kernel.migrate.MigrationRequest;
import l4smp.kernel.observe.MailboxView;
import l4smp.kernel.observe.MigrationCallView;
import l4smp.kernel.observe.MigrationView;
import l4smp.kernel.observe.ProxyView;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.sched.ReadyList;
import l4smp.kernel.thread.Resume;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.kernel.xcpu.CrossProcessor;
import l4smp.kernel.xcpu.IpcMailbox;
import l4smp.kernel.xcpu.ProxyThread;

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
                views.add(new TcbView(tcb, kernel));
            }
        }
        return views;
    }

    @Override
    public List<ThreadView> gone() {
        List<ThreadView> views = new ArrayList<>();
        for (Tcb tcb : kernel.tcbs().all()) {
            if (!tcb.exists() && !tcb.lastId().isNil()) {
                views.add(new TcbView(tcb, kernel));
            }
        }
        return views;
    }

    @Override
    public ThreadView thread(ThreadId id) {
        Tcb tcb = kernel.tcbs().present(id);
        return tcb == null ? null : new TcbView(tcb, kernel);
    }

    @Override
    public int cpuCount() {
        return kernel.cpuCount();
    }

    @Override
    public CpuView cpu(int id) {
        return new ProcessorView(kernel.processor(id));
    }

    private record TcbView(Tcb tcb, Kernel kernel) implements ThreadView {
        @Override
        public ThreadId id() {
            return tcb.lastId();
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
        public IpcView ipc() {
            IpcState ipc = tcb.outerIpc() != null ? tcb.outerIpc() : tcb.ipc();
            return ipc == null ? null : ipcView(ipc);
        }

        @Override
        public IpcView lastIpc() {
            return tcb.lastIpc() == null ? null : ipcView(tcb.lastIpc());
        }

        @Override
        public int ipcCount() {
            return tcb.ipcCount();
        }

        @Override
        public ProxyView proxy() {
            return tcb.proxy() == null ? null : proxyView(tcb.proxy());
        }

        @Override
        public CompletionCode xpCc() {
            return tcb.xpCc();
        }

        @Override
        public List<Integer> mailboxes() {
            return mailboxList(tcb);
        }

        @Override
        public boolean waitsForMailbox() {
            return tcb.waitsForMailbox();
        }

        @Override
        public boolean cancelAtXpReturn() {
            return tcb.cancelAtXpReturn();
        }

        @Override
        public Resume resume() {
            return tcb.resume();
        }

        @Override
        public boolean inReadyList() {
            return tcb.inReadyList();
        }

        @Override
        public MigrationCallView migrationCall() {
            MigrationCall call = tcb.migrationCall();
            return call == null ? null : new MigrationCallView(call.thread(), call.targetCpu(),
                    call.phase().name().toLowerCase(Locale.ROOT), call.request() == null ? -1 : call.request().id());
        }

        @Override
        public ThreadId doNotMigrate() {
            return tcb.doNotMigrate() == null ? ThreadId.NIL : tcb.doNotMigrate().call().scheduler().myself();
        }

        @Override
        public boolean inFlight() {
            for (MigrationRequest r : kernel.migration().requests()) {
                if (r.inUse() && r.thread() == tcb && r.inFlight()) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public List<MigrationView> migrations() {
        List<MigrationView> views = new ArrayList<>();
        for (MigrationRequest r : kernel.migration().requests()) {
            if (r.inUse()) {
                views.add(migrationView(r));
            }
        }
        return views;
    }

    private static MigrationView migrationView(MigrationRequest r) {
        java.util.Set<String> arrived = new java.util.TreeSet<>();
        r.arrived().forEach(a -> arrived.add(a.name()));
        return new MigrationView(r.id(), r.call().scheduler().myself(), r.thread().myself(), r.initiator(), r.source(),
                r.target(), r.bPhase().name().toLowerCase(Locale.ROOT), r.cPhase().name().toLowerCase(Locale.ROOT),
                java.util.Set.copyOf(arrived), r.cpuSet(), r.inFlight());
    }

    @Override
    public ThreadId migrationLock() {
        MigrationRequest holder = kernel.migration().lockHolder();
        return holder == null || !holder.inUse() ? ThreadId.NIL : holder.call().scheduler().myself();
    }

    @Override
    public java.util.Set<RemovedFix> removedFixes() {
        return kernel.config().removedFixes();
    }

    @Override
    public List<ProxyView> proxies() {
        List<ProxyView> views = new ArrayList<>();
        for (ProxyThread p : kernel.xcpu().proxies().all()) {
            views.add(proxyView(p));
        }
        for (ProxyThread p : kernel.xcpu().proxies().operationProxies()) {
            views.add(proxyView(p));
        }
        return views;
    }

    @Override
    public List<MailboxView> mailboxes() {
        List<MailboxView> views = new ArrayList<>();
        CrossProcessor xcpu = kernel.xcpu();
        for (IpcMailbox m : xcpu.pool().all()) {
            views.add(new MailboxView(m.id(), m.home(), m.kind().name().toLowerCase(Locale.ROOT),
                    m.performer() == null ? ThreadId.NIL : m.performer().myself(), m.targetCpu(), xcpu.isFlagged(m),
                    m.sender() == null ? ThreadId.NIL : m.sender().lastId(), m.dest(), m.isFree() ? null : m.timeout().kind(),
                    m.next() == null ? -1 : m.next().id()));
        }
        return views;
    }

    @Override
    public List<l4smp.kernel.observe.OpMailboxView> opMailboxes() {
        return kernel.xcpu().operationMailboxes();
    }

    private static ProxyView proxyView(ProxyThread p) {
        Tcb t = p.tcb();
        return new ProxyView(t.myself(), p.source(), p.target(), t.state(), t.partner(), mailboxList(t),
                p.current() == null ? -1 : p.current().id(), t.wakeupTime(), p.instance(), p.leads());
    }

    private static List<Integer> mailboxList(Tcb t) {
        List<Integer> ids = new ArrayList<>();
        for (IpcMailbox m = t.firstMailbox(); m != null; m = m.next()) {
            ids.add(m.id());
        }
        return ids;
    }

    private static IpcView ipcView(IpcState ipc) {
        IpcOp op = ipc.op();
        boolean receiving = ipc.phase() == IpcState.Phase.RECEIVE
                || (ipc.phase() == IpcState.Phase.DONE && op.hasReceivePhase() && !ipc.receivedFrom().isNil());
        return new IpcView(op, ipc.origin() != IpcState.Origin.USER, op == IpcOp.OPEN_RECEIVE ? ThreadId.NIL : ipc.partnerId(),
                op.hasSendPhase() ? ipc.sendTimeout().kind() : null, op.hasReceivePhase() ? ipc.receiveTimeout().kind() : null,
                receiving, ipc.phase() == IpcState.Phase.DONE && !ipc.receivedFrom().isNil(), ipc.receivedFrom(), ipc.code());
    }

    private final class ProcessorView implements CpuView {
        private final ProcessorData data;

        ProcessorView(ProcessorData data) {
            this.data = data;
        }

        @Override
        public boolean ipiPending() {
            return kernel.xcpu().ipiPending(data.id());
        }

        @Override
        public int ipiSlotsHeld() {
            return data.started() ? data.cpu().apic().slotsHeld() : 0;
        }

        @Override
        public int stalledOn() {
            for (int c = 0; data.started() && c < kernel.cpuCount(); c++) {
                ProcessorData target = kernel.processor(c);
                if (target.started() && target.cpu().apic().hasWaitingFrom(data.cpu().id())) {
                    return c;
                }
            }
            return -1;
        }

        @Override
        public List<ThreadId> mailboxWaiters() {
            return kernel.xcpu().pool().waiting(data.id());
        }

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
        public int migrationRequest() {
            return data.migrationPart() == null ? -1 : data.migrationPart().request().id();
        }

        @Override
        public String migrationPart() {
            return data.migrationPart() == null ? null : data.migrationPart().name();
        }

        @Override
        public ThreadId fpuOwner() {
            return data.fpuOwner() == null ? ThreadId.NIL : data.fpuOwner().myself();
        }
    }
}
