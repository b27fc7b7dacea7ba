package l4smp.refine;

import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.PathSegment;
import l4smp.refine.KernelSnapshot.ThreadSnap;

/**
 * The kernel mechanisms the IPC specs do not describe (their headers' "Left out") and the
 * abstractions do not map to stuttering steps: long IPC on one CPU (§8.3.2), transmission errors
 * (map failures, cut messages), threads stopped or deleted, and migration (MigrationBarriers).
 * lthread_ex_regs aborting an IPC (§8.4.3) and the page-fault timeouts of a long copy across CPUs
 * (§8.4.2) are left out of the specs without XpIpc's Events ({@link #of(KernelStep, KernelSnapshot,
 * KernelSnapshot)}); XpIpc describes them ({@link #forXpIpc}). Long IPC across CPUs with its page
 * faults is a stuttering step but for its end ({@link LongTransfers}); a page fault's IPC is hidden
 * ({@link IpcHistory}).
 */
final class LeftOutMechanisms {
    /** The codes of a failed transmission: map items, long messages, page faults during a copy. */
    private static final java.util.Set<CompletionCode> TRANSMISSION_ERRORS = java.util.EnumSet.of(
            CompletionCode.SEND_MAP_FAILED, CompletionCode.RECEIVE_MAP_FAILED, CompletionCode.SEND_CUT, CompletionCode.RECEIVE_CUT,
            CompletionCode.SEND_SND_PF_TIMEOUT, CompletionCode.RECEIVE_SND_PF_TIMEOUT, CompletionCode.SEND_RCV_PF_TIMEOUT,
            CompletionCode.RECEIVE_RCV_PF_TIMEOUT);

    private LeftOutMechanisms() {
    }

    /** What the step does that the IPC specs without aborts and page-fault timeouts leave out, or null. */
    static String of(KernelStep step, KernelSnapshot before, KernelSnapshot after) {
        for (PathSegment seg : step.segments()) {
            if (seg == PathSegment.IPC_CANCEL || seg == PathSegment.IPC_ABORT || seg == PathSegment.PROXY_CANCEL) {
                return "lthread_ex_regs aborts an IPC (" + seg.label() + ")";
            }
            if (seg == PathSegment.TRANSMIT_ABORT) {
                return "a transmission error ends an IPC (" + seg.label() + ")";
            }
        }
        return leftOut(step, before, after, TRANSMISSION_ERRORS, false);
    }

    /**
     * What the step does that XpIpc leaves out, or null: as {@link #of}, but for lthread_ex_regs
     * aborting an IPC, the page-fault timeouts of a long copy across CPUs and threads that die
     * (task_new, the kernel stopping one), which its Events describe (a long copy on one CPU is
     * left out from its first step on). A dead thread that lives again (lthread_ex_regs reviving
     * a thread the kernel stopped, a task created anew under a deleted one's number) is left out.
     */
    static String forXpIpc(KernelStep step, KernelSnapshot before, KernelSnapshot after) {
        java.util.Set<CompletionCode> errors = java.util.EnumSet.copyOf(TRANSMISSION_ERRORS);
        errors.removeAll(KernelSnapshot.PF_TIMEOUT_CODES);
        return leftOut(step, before, after, errors, true);
    }

    private static String leftOut(KernelStep step, KernelSnapshot before, KernelSnapshot after,
                                     java.util.Set<CompletionCode> errors, boolean deaths) {
        for (PathSegment seg : step.segments()) {
            String why = switch (seg) {
                // a long IPC on one CPU: the sender copies; its first step copies or faults
                case TRANSMIT_COPY, TRANSMIT_SENDER_FAULT -> "a long IPC on one CPU (" + seg.label() + ")";
                case THREAD_KILL -> deaths ? null : "the kernel stops a thread (" + seg.label() + ")";
                default -> null;
            };
            if (why != null) {
                return why;
            }
        }
        for (ThreadSnap t : after.threads().values()) {
            ThreadSnap old = before.thread(t.id());
            CompletionCode code = t.ipc() != null && t.ipc().code() != CompletionCode.NONE ? t.ipc().code() : t.completion();
            boolean fresh = old == null || code != (old.ipc() != null ? old.ipc().code() : old.completion())
                    || t.xpCc() != old.xpCc();
            if (fresh && (errors.contains(code) || errors.contains(t.xpCc()))) {
                return "a transmission error ends an IPC of " + t.id() + " (" + (errors.contains(code) ? code : t.xpCc()) + ")";
            }
        }
        for (ThreadSnap t : after.threads().values()) {
            ThreadSnap was = before.thread(t.id());
            boolean dead = was == null ? before.gone().containsKey(t.id()) : was.state() == l4smp.kernel.thread.ThreadState.DEAD;
            if (dead && t.state() != l4smp.kernel.thread.ThreadState.DEAD) {
                return "thread " + t.id() + " lives again after it died";
            }
        }
        for (ThreadSnap t : before.threads().values()) {
            ThreadSnap now = after.thread(t.id());
            boolean dies = now == null || now.state() == l4smp.kernel.thread.ThreadState.DEAD
                    && t.state() != l4smp.kernel.thread.ThreadState.DEAD;
            if (dies && !deaths) {
                return "thread " + t.id() + " is deleted";
            }
            if (now != null && now.cpu() != t.cpu()) {
                return "thread " + t.id() + " migrates from cpu" + t.cpu() + " to cpu" + now.cpu();
            }
        }
        return null;
    }
}
