package l4smp.refine;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import l4smp.kernel.observe.MailboxView;
import l4smp.kernel.observe.ProxyView;
import l4smp.kernel.thread.ThreadId;
import l4smp.tlc.TraceVerdict;

/**
 * A rejected step in the kernel's words: which kernel fields the spec's variables are computed
 * from (the REFINEMENT MAPPING of each spec header), and what the step changed in the kernel:
 * TCB fields of threads, per-CPU data, proxies and mailboxes, before and after.
 */
final class KernelWords {
    private KernelWords() {
    }

    private static final Map<String, String> COMMON = Map.ofEntries(
            Map.entry("cpu", "Tcb.cpu"),
            Map.entry("st", "Tcb.state (running as ready; a cross-processor sender locked_waiting until XP_RETURN; "
                    + "a proxy's state while it works on the sender's mailbox)"),
            Map.entry("partner", "Tcb.partner (a proxy's while it works on the sender's mailbox)"),
            Map.entry("proxy", "Tcb.proxy"),
            Map.entry("proxyPtr", "Tcb.proxy"),
            Map.entry("xpCc", "Tcb.xpCc"),
            Map.entry("args", "the IpcState in progress (Tcb.ipc)"),
            Map.entry("nops", "Tcb.ipcCount without hidden IPCs"),
            Map.entry("cc", "Tcb.completion of the last IPC"),
            Map.entry("inbox", "the message transferred to a locked_waiting receiver (IpcState delivered)"),
            Map.entry("sendQ", "Tcb's send queue (SendQueue)"),
            Map.entry("wakeupQ", "ProcessorData.wakeupQueue"),
            Map.entry("mb", "the IpcMailboxes (MailboxPool, flag bit in MailboxFlags)"),
            Map.entry("firstMb", "the TCB's mailbox list, first"),
            Map.entry("lastMb", "the TCB's mailbox list, last"),
            Map.entry("curMb", "ProxyThread.current"),
            Map.entry("irr", "MailboxFlags' unacknowledged-IPI word"),
            Map.entry("icr", "the CPU a stalled IPI waits for a slot on (LocalApic)"),
            Map.entry("phase", "where the thread's program is: before, inside or after its IPC (Tcb.ipc, Tcb.ipcCount)"),
            Map.entry("by", "the CPU of the last step the spec sees (history)"),
            Map.entry("sentTo", "history: the addressee of each message"),
            Map.entry("rcvdBy", "history: who returned each message"),
            Map.entry("rcvd", "history: the senders whose messages the receiver returned"),
            Map.entry("pc", "history: 1 + the thread's ended IPCs"),
            Map.entry("results", "history: the completion codes of the thread's ended IPCs"),
            Map.entry("wakeups", "history: 1 while the thread's mailbox carries the reply"));

    /** The kernel fields of {@code variables}, then what the step changed in the kernel. */
    static String describe(String spec, List<String> variables, TraceVerdict.Failure failure, KernelSnapshot before,
                           KernelSnapshot after, Function<ThreadId, String> names) {
        StringBuilder text = new StringBuilder();
        for (String v : variables) {
            text.append("    ").append(v).append(" is ").append(COMMON.getOrDefault(v, "(no kernel field: constant in the kernel)"))
                    .append('\n');
        }
        if (before == null || after == null) {
            return text.toString();
        }
        Set<ThreadId> ids = new LinkedHashSet<>(before.threads().keySet());
        ids.addAll(after.threads().keySet());
        for (ThreadId id : ids) {
            diff(text, names.apply(id) + " (" + id + ")", before.thread(id), after.thread(id));
        }
        for (int c = 0; c < after.cpus().size(); c++) {
            diff(text, "cpu" + c, c < before.cpus().size() ? before.cpus().get(c) : null, after.cpus().get(c));
        }
        for (ProxyView p : after.proxies()) {
            ProxyView old = before.proxy(p.id());
            diff(text, (p.isOperations() ? "operation proxy of cpu" + p.target() : "proxy cpu" + p.source() + "->cpu" + p.target()),
                    old, p);
        }
        for (MailboxView m : after.mailboxes()) {
            MailboxView old = m.id() < before.mailboxes().size() ? before.mailboxes().get(m.id()) : null;
            diff(text, "mailbox " + m.id(), old, m);
        }
        return text.toString();
    }

    /** One line per changed field of a record: {@code a.t0 (5.0): state waiting -> locked_waiting}. */
    private static void diff(StringBuilder text, String what, Record was, Record now) {
        if (Objects.equals(was, now)) {
            return;
        }
        if (was == null || now == null) {
            text.append("    ").append(what).append(was == null ? " appears: " + now : " disappears").append('\n');
            return;
        }
        List<String> changes = new ArrayList<>();
        for (RecordComponent c : now.getClass().getRecordComponents()) {
            Object a = value(c, was);
            Object b = value(c, now);
            if (!Objects.equals(a, b)) {
                changes.add(c.getName() + " " + a + " -> " + b);
            }
        }
        text.append("    ").append(what).append(": ").append(String.join("; ", changes)).append('\n');
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r, e);
        }
    }
}
