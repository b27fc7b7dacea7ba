package l4smp.refine;

import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.PathSegment;
import l4smp.refine.KernelSnapshot.ThreadSnap;

/**
 * The kernel mechanisms none of XpIpc, ProxyWakeup and UhligRace describes (their headers'
 * "Left out") and the abstractions do not map to stuttering steps: long IPC on one CPU (§8.3.2),
 * transmission errors, lthread_ex_regs aborting an IPC and threads stopped or deleted (§8.4.3),
 * and migration (MigrationBarriers). Long IPC across CPUs with its page faults (§8.4.2) is a
 * stuttering step but for its end ({@link LongTransfers}); a page fault's IPC is hidden
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

    /** What the step does that the IPC specs leave out, or null. */
    static String of(KernelStep step, KernelSnapshot before, KernelSnapshot after) {
        for (PathSegment seg : step.segments()) {
            String why = switch (seg) {
                // a long IPC on one CPU: the sender copies; its first step copies or faults
                case TRANSMIT_COPY, TRANSMIT_SENDER_FAULT -> "a long IPC on one CPU (" + seg.label() + ")";
                case TRANSMIT_ABORT -> "a transmission error ends an IPC (" + seg.label() + ")";
                case IPC_CANCEL, IPC_ABORT, PROXY_CANCEL -> "lthread_ex_regs aborts an IPC (" + seg.label() + ")";
                case THREAD_KILL -> "the kernel stops a thread (" + seg.label() + ")";
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
            if (fresh && (TRANSMISSION_ERRORS.contains(code) || TRANSMISSION_ERRORS.contains(t.xpCc()))) {
                return "a transmission error ends an IPC of " + t.id() + " ("
                        + (TRANSMISSION_ERRORS.contains(code) ? code : t.xpCc()) + ")";
            }
        }
        for (ThreadSnap t : before.threads().values()) {
            ThreadSnap now = after.thread(t.id());
            if (now == null || now.state() == l4smp.kernel.thread.ThreadState.DEAD
                    && t.state() != l4smp.kernel.thread.ThreadState.DEAD) {
                return "thread " + t.id() + " is deleted";
            }
            if (now.cpu() != t.cpu()) {
                return "thread " + t.id() + " migrates from cpu" + t.cpu() + " to cpu" + now.cpu();
            }
        }
        return null;
    }
}
