package l4smp.refine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.MailboxView;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.trace.TlaValue;

/**
 * Long IPCs across CPUs (§8.4.2) as the IPC specs see them: one atomic transfer. The kernel's
 * proxy copies a long message in several steps with interrupts enabled; a fault in the receiver's
 * space is redone by the receiver, one in the sender's space goes back to the sender, which calls
 * its pager and answers the proxy (the redo-fault round trip). XpIpc and ProxyWakeup model none of
 * that: for them the transfer is the step in which the proxy ends it (the sender's mailbox becomes
 * its reply), labelled with the action that began it (the proxy's xp_send_path finding the
 * receiver waiting, or the proxy activated by the receiver). Every step in between is a
 * stuttering step for them, and the abstract values of the sender, its receiver and the proxy stay
 * those of the state before the copy began: the <em>window</em> of the transfer.
 *
 * <p>Frozen are the entries of the per-thread variables the abstraction names (for sender t: t,
 * its receiver and Px(t)) and their membership in the wakeup queues. Send queues are not frozen: other senders may queue behind the locked receiver while the
 * copy runs, as they do in the spec behind a receiver waiting for someone else. What is left out:
 * a third thread that the frozen receiver would accept in the spec (an open receive) but the
 * kernel makes wait behind the transfer is a real difference the check reports.
 */
final class LongTransfers {
    /**
     * One transfer in progress: its sender, receiver, mailbox, the proxy copying, whether the
     * receiver activated the proxy (else the proxy's xp_send_path found the receiver waiting),
     * the abstract values frozen.
     */
    record Window(ThreadId sender, ThreadId receiver, int mailbox, ThreadId proxy, boolean activated,
                  Map<String, TlaValue> frozen) {
    }

    private final Map<ThreadId, Window> open = new LinkedHashMap<>();
    private final Collection<ThreadId> threads;

    /** Follows the transfers of {@code threads}, the spec's threads. */
    LongTransfers(Collection<ThreadId> threads) {
        this.threads = Set.copyOf(threads);
    }

    /**
     * Takes in one step. A transfer that begins (a proxy's first copy step) and does not end in
     * it opens a window that freezes {@code previous}, the abstract state before the step; one
     * that ends in it is returned.
     */
    List<Window> step(KernelStep step, KernelSnapshot before, KernelSnapshot after, Map<String, TlaValue> previous) {
        for (int i = 0; i < step.segments().size(); i++) {
            ThreadId t = step.subjects().get(i);
            if (step.segments().get(i) != PathSegment.PROXY_COPY || open.containsKey(t) || !threads.contains(t)) {
                continue;
            }
            MailboxView m = sending(before, t);
            if (m != null) {
                open.put(t, new Window(t, m.dest(), m.id(), m.performer(), step.ran(PathSegment.PROXY_ACTIVATED), previous));
            }
        }
        List<Window> closed = new ArrayList<>();
        open.values().removeIf(w -> {
            MailboxView m = after.mailboxes().get(w.mailbox());
            boolean done = !m.sender().equals(w.sender()) || m.kind().equals("xp_reply") || m.kind().equals("free");
            if (done) {
                closed.add(w);
            }
            return done;
        });
        return closed;
    }

    /** The mailbox of t's cross-processor send, as the proxy finds it. */
    private static MailboxView sending(KernelSnapshot s, ThreadId t) {
        for (MailboxView m : s.mailboxes()) {
            if (m.sender().equals(t) && (m.kind().equals("xp_send") || m.kind().equals("xp_continue"))) {
                return m;
            }
        }
        return null;
    }

    /** Whether {@code t} takes part in a transfer in progress (as sender or receiver). */
    boolean involves(ThreadId t) {
        for (Window w : open.values()) {
            if (w.sender().equals(t) || w.receiver().equals(t)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    /**
     * The state {@code values} with every open window's frozen entries put back: for each
     * function-valued variable {@code keys} names for the window, the entries of the keys it
     * lists; in the function from CPUs to sets {@code queues} (null: none), the memberships of the
     * elements {@code queued} lists.
     */
    void freeze(Map<String, TlaValue> values, java.util.function.Function<Window, Map<String, List<TlaValue>>> keys,
                String queues, java.util.function.Function<Window, List<TlaValue>> queued) {
        for (Window w : open.values()) {
            keys.apply(w).forEach((var, ks) -> {
                Map<TlaValue, TlaValue> now = new LinkedHashMap<>(mapping(values.get(var)));
                Map<TlaValue, TlaValue> then = mapping(w.frozen().get(var));
                for (TlaValue k : ks) {
                    if (then.containsKey(k)) {
                        now.put(k, then.get(k));
                    }
                }
                values.put(var, TlaValue.fun(now));
            });
            if (queues != null) {
                List<TlaValue> ks = queued.apply(w);
                Map<TlaValue, TlaValue> now = new LinkedHashMap<>(mapping(values.get(queues)));
                Map<TlaValue, TlaValue> then = mapping(w.frozen().get(queues));
                for (Map.Entry<TlaValue, TlaValue> e : now.entrySet()) {
                    Set<TlaValue> members = new LinkedHashSet<>(((TlaValue.Set) e.getValue()).elements());
                    Collection<TlaValue> was = ((TlaValue.Set) then.get(e.getKey())).elements();
                    for (TlaValue k : ks) {
                        if (was.contains(k)) {
                            members.add(k);
                        } else {
                            members.remove(k);
                        }
                    }
                    e.setValue(TlaValue.set(members));
                }
                values.put(queues, TlaValue.fun(now));
            }
        }
    }

    /** A function value's graph, whatever canonical form {@link TlaValue#fun} gave it (a sequence: 1..n). */
    private static Map<TlaValue, TlaValue> mapping(TlaValue f) {
        if (f instanceof TlaValue.Fun fun) {
            return fun.mapping();
        }
        Map<TlaValue, TlaValue> out = new LinkedHashMap<>();
        if (f instanceof TlaValue.Seq seq) {
            for (int i = 0; i < seq.elements().size(); i++) {
                out.put(TlaValue.of(i + 1), seq.elements().get(i));
            }
        } else if (f instanceof TlaValue.Rec rec) {
            rec.fields().forEach((k, v) -> out.put(TlaValue.str(k), v));
        } else {
            throw new IllegalArgumentException("not a function: " + f);
        }
        return out;
    }

    /** Each of {@code variables} with the same keys. */
    static Map<String, List<TlaValue>> each(List<String> variables, List<TlaValue> keys) {
        Map<String, List<TlaValue>> out = new LinkedHashMap<>();
        variables.forEach(v -> out.put(v, keys));
        return out;
    }
}
