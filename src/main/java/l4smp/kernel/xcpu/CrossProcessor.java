package l4smp.kernel.xcpu;

import java.util.ArrayList;
import java.util.List;
import java.util.List;
import l4smp.hw.mem.Access;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.Kernel;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.TcbLine;
import l4smp.kernel.thread.ThreadState;

/**
 * The cross-processor machinery of §8.3.4 and §8.4: the mailboxes, the flags that trigger them, the
 * proxy threads, {@code check_n_ack} and the IPI handler. The IPC paths reach it at the one branch
 * the thesis adds to them ({@code if from TCB.cpu != to TCB.cpu}): the send path through
 * {@link XpSender}, the receive path by checking a remote sender's proxy.
 */
public final class CrossProcessor {
    private final Kernel kernel;
    private final MailboxPool<IpcMailbox> pool;
    private final MailboxFlags flags;
    private final Proxies proxies;
    private final XpSender sender;
    private final ProxyPath proxyPath;
    private final Operations operations;
    private final RequestMigration requestMigration;
    private long sends;
    private long replies;
    private long mailboxWaits;
    private long yields;
    /** Fault injection ({@link RemovedFix#EOI_FIRST}): the handlers whose EOI waits; null with the fix in. */
    private final LateEoi lateEoi;

    /**
     * What the cross-processor machinery did in a run: XP sends handed to proxies, replies sent back
     * by wakeup_sender, trigger IPIs sent and triggers that found one unacknowledged (no IPI), senders
     * that waited for a mailbox, proxy yields to a receiver finishing its own send, proxies that
     * handed their list on while an operation waited (§8.4.4) and those that found no instance free.
     */
    public record Counters(long sends, long replies, long ipis, long ipisSaved, long mailboxWaits, long yields,
                           long handOvers, long stalls) {
    }

    public CrossProcessor(Kernel kernel) {
        this.kernel = kernel;
        int cpus = kernel.cpuCount();
        this.pool = new MailboxPool<>(kernel.frames(), cpus, kernel.config().mailboxesPerCpu(), IpcMailbox.SIZE,
                "the IPC mailboxes", IpcMailbox::new);
        this.flags = new MailboxFlags(kernel.frames(), cpus, kernel.config().removed(RemovedFix.IPI_ONLY_IF_UNACKED));
        this.proxies = new Proxies(kernel.frames(), cpus, kernel.config().timesliceCycles(),
                kernel.config().proxyHandover() ? kernel.config().mailboxesPerCpu() : 1);
        this.sender = new XpSender(kernel, this);
        this.proxyPath = new ProxyPath(kernel, this);
        this.operations = new Operations(kernel, this);
        this.requestMigration = new RequestMigration(kernel, this);
        this.lateEoi = kernel.config().removed(RemovedFix.EOI_FIRST) ? new LateEoi(cpus) : null;
    }

    /** The requests a receiver's migration takes with it (§8.5). */
    public RequestMigration requestMigration() {
        return requestMigration;
    }

    /**
     * Triggers part B or C of migration request {@code request} (the initiating CPU's number) on
     * {@code target} (§8.7.2 "trigger migration task B and C"): its flag, and an IPI unless one is
     * unacknowledged.
     */
    public void triggerMigration(ProcessorData local, int request, int target) {
        flags.triggerMigration(local, request, target);
    }

    public Operations operations() {
        return operations;
    }

    /** Every processor that booted, one bit each: none masked out at boot (§8.2) is ever asked to do anything. */
    public int every() {
        return (1 << kernel.processors()) - 1;
    }

    /** Every processor that booted but {@code local}'s, one bit each. */
    public int others(ProcessorData local) {
        return every() & ~(1 << local.id());
    }

    /**
     * The CPUs other than {@code local}'s whose loaded address space is one of {@code directories}:
     * those that may hold a translation of it (loading CR3 flushes the others). Each CPU's loaded
     * space is per-CPU data the others read (its current-thread line).
     */
    public int loading(ProcessorData local, java.util.Set<Long> directories) {
        int cpus = 0;
        for (int c = 0; c < kernel.processors(); c++) {
            if (c != local.id()) {
                ProcessorData other = kernel.processor(c);
                local.cpu().touch(other.currentPointer(), Access.READ);
                if (directories.contains(other.cpu().cr3())) {
                    cpus |= 1 << c;
                }
            }
        }
        return cpus;
    }

    public XpSender sender() {
        return sender;
    }

    public ProxyPath proxyPath() {
        return proxyPath;
    }

    public MailboxPool<IpcMailbox> pool() {
        return pool;
    }

    public Proxies proxies() {
        return proxies;
    }

    MailboxFlags flags() {
        return flags;
    }

    public Counters counters() {
        return new Counters(sends, replies, flags.ipisSent(), flags.ipisSaved(), mailboxWaits, yields, proxies.handOvers(),
                proxies.stalls());
    }

    void countSend() {
        sends++;
    }

    void countReply() {
        replies++;
    }

    void countYield() {
        yields++;
    }

    /**
     * The IPI handler (§8.3.4): "EOI(); check n ack(); iret". The EOI comes first so that the
     * APIC slot is free again at once, however long the triggered operations take; then the
     * trigger is acknowledged, so that a flag set after this check sends a new IPI.
     */
    public void ipiHandler(ProcessorData local) {
        kernel.step().segment(PathSegment.XCPU_IPI);
        if (lateEoi != null) {
            // fault injection (RemovedFix.EOI_FIRST): the EOI waits for the operations this IPI triggers
            flags.acknowledge(local);
            List<Integer> linked = new ArrayList<>();
            checkAndAck(local, linked);
            lateEoi.handled(local, linked);
            return;
        }
        local.cpu().apic().eoi();
        flags.acknowledge(local);
        checkAndAck(local);
    }

    /** The operations of {@code mailboxes} are done on {@code local}: with a late EOI, their IPI may be acknowledged now. */
    void operationsDone(ProcessorData local, List<Integer> mailboxes) {
        if (lateEoi != null) {
            lateEoi.done(local, mailboxes);
        }
    }

    /**
     * "get ipc mailbox" found {@code a}'s CPU's pool empty: {@code a} waits for a mailbox, its IPC
     * not begun, and redoes what it was doing when one is freed (see {@link MailboxPool}).
     */
    public void awaitMailbox(ProcessorData local, Tcb a) {
        kernel.step().segment(PathSegment.XCPU_NO_MAILBOX);
        mailboxWaits++;
        pool.await(local, a);
        kernel.threadSwitch().switchTo(local, null);
    }

    /** Whether a flag is set for this CPU: what a kernel exit checks before it leaves (§8.3.4 polling). */
    public boolean flagged(ProcessorData local) {
        return flags.any(local);
    }

    /** check_n_ack run as the last act of a kernel path, before the CPU returns to user mode. */
    public void exitCheck(ProcessorData local) {
        kernel.step().segment(PathSegment.XCPU_CHECK_AND_ACK);
        checkAndAck(local);
    }

    /**
     * <pre>
     * check n ack()
     *     while mailbox flags != 0 do
     *         id = bit scan forward(mailbox flags)
     *         link mailbox to proxy(mailbox[id], mailbox[id].proxy)
     *         set proxy to running(mailbox[id].proxy)
     *         clear mailbox flag(id)
     *     od</pre>
     * The flags of a word are taken and cleared at once ({@code xchg}), then linked in bit order.
     * A proxy sleeps in waiting; a sender is the "receiving proxy" of its reply and sleeps in
     * locked_waiting (§8.4.1); either is set running and queued. A woken TCB of a higher priority
     * than the thread this CPU runs preempts it.
     */
    void checkAndAck(ProcessorData local) {
        checkAndAck(local, null);
    }

    /** check_n_ack, adding the ids of the IPC mailboxes it links to {@code linked} if that is not null. */
    private void checkAndAck(ProcessorData local, List<Integer> linked) {
        int woken = -1;
        for (int w = 0; w < MailboxFlags.WORDS; w++) {
            int bits = flags.take(local, w);
            while (bits != 0) {
                int bit = Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                IpcMailbox m = pool.get(w * 32 + bit);
                m.readParameters(local.cpu());
                if (m.targetCpu() != local.id()) {
                    // a receiver's abort told a sender redoing a fault again, but its answer left first
                    continue;
                }
                if (m.kind() == IpcMailbox.Kind.XP_REDO_FAULT && m.sender().redoFault() == m) {
                    sender.redoAborted(local, m.sender()); // told again: the receiver's side ended
                    continue;
                }
                Tcb performer = link(local, m);
                if (performer != null && linked != null) {
                    linked.add(m.id());
                }
                if (performer != null && sleeps(performer, m)) {
                    kernel.touch(local, performer, TcbLine.IPC, Access.WRITE);
                    performer.state(ThreadState.READY);
                    local.readyList().enqueue(performer);
                    woken = Math.max(woken, performer.priority());
                }
            }
        }
        for (int w = 0; w < MailboxFlags.OP_WORDS; w++) {
            int bits = flags.takeOps(local, w);
            while (bits != 0) {
                int bit = Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                Tcb ready = operations.link(local, operations.pool().get(w * 32 + bit));
                if (ready != null) {
                    woken = Math.max(woken, ready.priority());
                }
            }
        }
        int migrations = flags.takeMigrations(local);
        while (migrations != 0) {
            int request = Integer.numberOfTrailingZeros(migrations);
            migrations &= migrations - 1;
            kernel.migration().triggered(local, request);
        }
        Tcb running = local.current();
        // a migration part triggered here runs first, on top of the running thread; it preempts when it ends.
        // A caller inside part A is not preempted (ThreadSwitch.preemptible): it may hold the request
        // record and the migration lock, for which a caller of its priority would then spin for ever.
        if (woken >= 0 && running != null && woken > running.priority() && !local.inMigrationPart()
                && kernel.threadSwitch().preemptible(running)) {
            kernel.threadSwitch().preempt(local);
        }
    }

    /**
     * Hooks {@code m} at the tail of its performer's mailbox list (the list's last pointer); a reply
     * to a sender that has died meanwhile is freed (this is its home CPU).
     *
     * @return the performer, or null if the mailbox was freed
     */
    private Tcb link(ProcessorData local, IpcMailbox m) {
        if (m.kind() == IpcMailbox.Kind.XP_SEND) {
            // a new request joins the list of its pair's proxy that leads now, not one whose operation waits (§8.4.4)
            ProxyThread leader = proxyPath.handOverForNewRequest(local, proxies.of(m.home(), local.id()));
            m.performer(local.cpu(), leader.tcb());
        }
        Tcb performer = m.performer();
        if (!performer.exists() || performer.state() == ThreadState.DEAD) {
            m.lock(local.cpu());
            pool.free(local, m);
            m.unlock(local.cpu());
            return null;
        }
        kernel.checkLocal(local, performer);
        kernel.touch(local, performer, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        m.next(local.cpu(), null);
        IpcMailbox last = performer.lastMailbox();
        if (last == null) {
            performer.firstMailbox(m);
        } else {
            last.next(local.cpu(), m);
        }
        performer.lastMailbox(m);
        kernel.step().touch(m.sender());
        return performer;
    }

    /**
     * Whether {@code t} sleeps until {@code m} arrives: a proxy with nothing in work, or one whose
     * operation waits for exactly this answer of its sender (§8.4.2); a sender, for its reply.
     */
    private static boolean sleeps(Tcb t, IpcMailbox m) {
        if (!t.isProxy()) {
            return t.state() == ThreadState.LOCKED_WAITING && !t.waitsForMailbox();
        }
        return t.state() == ThreadState.WAITING
                || (t.state() == ThreadState.LOCKED_WAITING && t.asProxy().current() == m);
    }

    /** Unhooks the first mailbox of {@code t}'s list. */
    IpcMailbox unhookFirst(ProcessorData local, Tcb t) {
        IpcMailbox first = t.firstMailbox();
        unhook(local, t, first);
        return first;
    }

    /** Puts {@code m} back at the head of {@code t}'s list. */
    void linkFirst(ProcessorData local, Tcb t, IpcMailbox m) {
        kernel.touch(local, t, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        m.next(local.cpu(), t.firstMailbox());
        if (t.firstMailbox() == null) {
            t.lastMailbox(m);
        }
        t.firstMailbox(m);
    }

    /** Unhooks {@code m} from {@code t}'s list if it is there. */
    void unhookIfLinked(ProcessorData local, Tcb t, IpcMailbox m) {
        for (IpcMailbox x = t.firstMailbox(); x != null; x = x.next()) {
            if (x == m) {
                unhook(local, t, m);
                return;
            }
        }
    }

    /** Unhooks {@code m}, wherever it is, from {@code t}'s list. */
    void unhook(ProcessorData local, Tcb t, IpcMailbox m) {
        kernel.touch(local, t, TcbLine.GLOBAL_MODIFIED, Access.WRITE);
        IpcMailbox before = null;
        for (IpcMailbox x = t.firstMailbox(); x != m; x = x.next()) {
            if (x == null) {
                throw new IllegalStateException("mailbox invariant violated: " + m + " is not in " + t + "'s list");
            }
            before = x;
        }
        if (before == null) {
            t.firstMailbox(m.next());
        } else {
            before.next(local.cpu(), m.next());
        }
        if (t.lastMailbox() == m) {
            t.lastMailbox(before);
        }
        m.next(local.cpu(), null);
    }

    /**
     * The mailbox carrying {@code sender}'s cross-processor send in flight or its reply (in its CPU's
     * pool), or null. A send whose copy waits for the sender to redo a fault is not in flight: the
     * sender holds it while it makes a page-fault IPC of its own (maybe a cross-processor one).
     */
    public IpcMailbox requestOf(ProcessorData local, Tcb sender) {
        for (int id = sender.cpu() * pool.perCpu(); id < (sender.cpu() + 1) * pool.perCpu(); id++) {
            IpcMailbox m = pool.get(id);
            local.cpu().touch(m.address(), Access.READ);
            if (!m.isFree() && m.sender() == sender && m != sender.redoFault()) {
                return m;
            }
        }
        return null;
    }

    /** The mailbox of the cross-processor send whose long message is being copied to {@code b}, or null. */
    IpcMailbox transferTo(ProcessorData local, Tcb b) {
        for (IpcMailbox m : pool.all()) {
            local.cpu().touch(m.address(), Access.READ);
            if (m.transfer() != null && m.dest().equals(b.myself())) {
                return m;
            }
        }
        return null;
    }

    // ---- observers: free ----

    /** Whether mailbox {@code m}'s flag is set on its target CPU. */
    public boolean isFlagged(IpcMailbox m) {
        return m.targetCpu() >= 0 && flags.isSet(memory(), m.targetCpu(), m.id());
    }

    /** The operation mailboxes, by id: their phase and parts, where their flags are set, which lists hold them. */
    public List<l4smp.kernel.observe.OpMailboxView> operationMailboxes() {
        List<l4smp.kernel.observe.OpMailboxView> views = new java.util.ArrayList<>();
        int cpus = kernel.cpuCount();
        for (OpMailbox m : operations.pool().all()) {
            int flagged = 0;
            int queued = 0;
            for (int c = 0; c < cpus; c++) {
                if (flags.isOpSet(memory(), c, m.id())) {
                    flagged |= 1 << c;
                }
                for (OpMailbox q = proxies.operations(c).firstOp(); q != null; q = q.next(c)) {
                    if (q == m) {
                        queued |= 1 << c;
                    }
                }
            }
            views.add(new l4smp.kernel.observe.OpMailboxView(m.id(), m.home(),
                    m.phase().name().toLowerCase(java.util.Locale.ROOT), m.pending(), flagged, queued));
        }
        return views;
    }

    /** Whether a trigger IPI to {@code cpu} is unacknowledged. */
    public boolean ipiPending(int cpu) {
        return flags.ipiPending(memory(), cpu);
    }

    private PhysicalMemory memory() {
        return kernel.machine().memory();
    }

    /** The mailboxes in use, by id. */
    public List<IpcMailbox> mailboxesInUse() {
        return pool.all().stream().filter(m -> !m.isFree()).toList();
    }
}
