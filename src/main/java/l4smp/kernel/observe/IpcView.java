package l4smp.kernel.observe;

import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.ipc.IpcOp;
import l4smp.kernel.ipc.Timeout;
import l4smp.kernel.thread.ThreadId;

/**
 * Read-only view of one IPC in progress: its arguments (L4Common's {@code args}) and how far it
 * got.
 *
 * @param op             the operation
 * @param pageFault      whether the kernel started it for a page fault (a call to the pager), in user mode or during a long IPC
 * @param dest           the destination of the send phase and the source of a closed receive;
 *                       nil for an open receive
 * @param sendTimeout    the send timeout's kind, null without a send phase
 * @param receiveTimeout the receive timeout's kind, null without a receive phase
 * @param inReceivePhase whether the send phase is over and the receive phase has begun
 * @param delivered      whether a message has been transferred to it and it has not yet returned
 * @param receivedFrom   the sender of that message, or nil
 * @param code           the completion code it will return, none while it is not decided
 */
public record IpcView(IpcOp op, boolean pageFault, ThreadId dest, Timeout.Kind sendTimeout, Timeout.Kind receiveTimeout,
                      boolean inReceivePhase, boolean delivered, ThreadId receivedFrom, CompletionCode code) {
}
