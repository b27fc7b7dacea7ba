package l4smp.kernel.observe;

import l4smp.kernel.ipc.Timeout;
import l4smp.kernel.thread.ThreadId;

/**
 * Read-only view of an IPC mailbox (§8.3.4).
 *
 * @param id         its number: its flag bit on the target CPU
 * @param home       the CPU whose pool it belongs to
 * @param kind       free, an XP send, or its reply (§8.4.1)
 * @param performer  who performs it: a proxy's id, or the sender's for a reply; nil while free
 * @param targetCpu  the CPU it is triggered on, -1 while free
 * @param flagged    whether its flag is set on the target CPU (not yet linked by check_n_ack)
 * @param sender     the sender whose request it carries, nil while free
 * @param dest       the destination of that request
 * @param timeout    the sender's send timeout
 * @param next       the next mailbox in the performer's list, or -1
 */
public record MailboxView(int id, int home, String kind, ThreadId performer, int targetCpu, boolean flagged,
                          ThreadId sender, ThreadId dest, Timeout.Kind timeout, int next) {
}
