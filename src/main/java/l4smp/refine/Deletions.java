package l4smp.refine;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.refine.KernelSnapshot.ThreadSnap;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;

/**
 * Thread deletion as XpIpc's Events "kill" sees it (§8.3.5, §8.4.3): task_new's caller begins a
 * deletion in the step that sets up its cross-processor operation ({@code DeleteBegins}), which
 * names the dying threads (it touches them); each CPU's part of that operation is
 * {@code DeletePart}; a deletion on one CPU (one processor, or the kernel stopping a thread) is
 * one {@code DeletePart}. A dead thread keeps the completion code and the delivered message it had
 * when it died: nothing of it changes any more but its cross-processor send, which a proxy may
 * still hold.
 */
final class Deletions {
    /** XpIpc's {@code dying}: every thread whose deletion has begun. */
    private final Set<ThreadId> dying = new LinkedHashSet<>();
    /** The deletions whose cross-processor operation is in flight, by the thread that called task_new. */
    private final Map<ThreadId, List<ThreadId>> inFlight = new HashMap<>();
    /** The action of the step just taken in, if it begins a deletion or runs a part of one, and its CPU. */
    private String action;
    private TlaValue cpu;
    /** The threads a step's part deletes, for its label. */
    private List<ThreadId> part;
    private final Map<TlaValue, TlaValue> deadCc = new HashMap<>();
    private final Map<TlaValue, TlaValue> deadInbox = new HashMap<>();

    /** {@code id}'s TCB if the thread is dead (deleted, or stopped by the kernel), else null. */
    static ThreadSnap dead(KernelSnapshot s, ThreadId id) {
        ThreadSnap t = s.thread(id);
        if (t != null) {
            return t.state() == ThreadState.DEAD ? t : null;
        }
        return s.gone().get(id);
    }

    Set<ThreadId> dying() {
        return dying;
    }

    /** Takes in one kernel step: which deletion it begins or which part it runs ({@code spec}: XpIpc's threads). */
    void step(KernelStep step, KernelSnapshot before, KernelSnapshot after, Set<ThreadId> spec) {
        action = null;
        part = null;
        cpu = TlaNames.cpu(step.cpu());
        ThreadId caller = step.subjectOf(PathSegment.TASK_NEW);
        if (caller != null && step.ran(PathSegment.XCPU_OPERATION_CALL)) {
            // DeleteTask touches the threads it deletes: those of another task than the caller's
            List<ThreadId> d = step.threads().stream().filter(t -> t.task() != caller.task() && spec.contains(t)).toList();
            inFlight.put(caller, d);
            if (!d.isEmpty()) {
                dying.addAll(d);
                action = "DeleteBegins";
                part = d;
            }
            return;
        }
        ThreadId opCaller = step.subjectOf(PathSegment.XCPU_OPERATION);
        if (opCaller != null && inFlight.containsKey(opCaller)) {
            part = inFlight.get(opCaller);
        } else {
            List<ThreadId> died = before.threads().values().stream()
                    .filter(t -> t.state() != ThreadState.DEAD && spec.contains(t.id()) && dead(after, t.id()) != null)
                    .map(ThreadSnap::id).toList();
            part = died.isEmpty() ? null : died; // one CPU's task_new, or the kernel stopping a thread
        }
        ThreadId returning = step.subjectOf(PathSegment.XCPU_OPERATION_RETURN);
        if (returning != null) {
            inFlight.remove(returning);
        }
        if (part != null && !part.isEmpty()) {
            dying.addAll(part);
            action = "DeletePart";
        }
    }

    /**
     * A dead thread's {@code cc} and {@code inbox} stay as they were when it died (the kernel's
     * vanished TCB no longer shows them): none if it died inside an IPC, and the message that had
     * reached it.
     */
    void freezeDead(Map<String, TlaValue> previous, Map<String, TlaValue> after, TlaNames names, List<ThreadId> threads) {
        for (ThreadId id : threads) {
            TlaValue t = names.thread(id);
            if (!at(after, "st", t).equals(TlaValue.str(ThreadState.DEAD.label()))) {
                continue;
            }
            if (!at(previous, "st", t).equals(TlaValue.str(ThreadState.DEAD.label()))) {
                deadCc.put(t, at(previous, "cc", t));
                deadInbox.put(t, at(previous, "inbox", t));
            }
            put(after, "cc", t, deadCc.get(t));
            put(after, "inbox", t, deadInbox.get(t));
        }
    }

    /** The step's label if it begins a deletion or runs a part that changes what XpIpc sees, else null. */
    ActionLabel label(Map<String, TlaValue> previous, Map<String, TlaValue> abstracted, TlaNames names) {
        if (action == null) {
            return null;
        }
        boolean changed = abstracted.entrySet().stream().anyMatch(e -> !e.getKey().equals("by")
                && !e.getValue().equals(previous.get(e.getKey())));
        if (!changed) {
            return null;
        }
        TlaValue d = TlaValue.set(part.stream().map(names::thread).toList());
        return XpIpcAbstraction.action(action, "c", cpu, "D", d);
    }

    /** check_n_ack freeing the reply to a sender that died meanwhile: XpIpc's SenderXpReturn of a dead thread. */
    static ActionLabel deadReplyFreed(Map<String, TlaValue> previous, Map<String, TlaValue> after) {
        TlaValue.Fun st = (TlaValue.Fun) after.get("st");
        for (Map.Entry<TlaValue, TlaValue> e : ((TlaValue.Fun) after.get("mb")).mapping().entrySet()) {
            TlaValue t = e.getKey();
            if (st.mapping().get(t).equals(TlaValue.str(ThreadState.DEAD.label())) && e.getValue().equals(TlaNames.NIL)
                    && !at(previous, "mb", t).equals(TlaNames.NIL)) {
                return XpIpcAbstraction.action("SenderXpReturn", "t", t);
            }
        }
        return null;
    }

    private static TlaValue at(Map<String, TlaValue> values, String variable, TlaValue key) {
        return ((TlaValue.Fun) values.get(variable)).mapping().get(key);
    }

    private static void put(Map<String, TlaValue> values, String variable, TlaValue key, TlaValue value) {
        Map<TlaValue, TlaValue> m = new java.util.LinkedHashMap<>(((TlaValue.Fun) values.get(variable)).mapping());
        m.put(key, value);
        values.put(variable, TlaValue.fun(m));
    }
}
