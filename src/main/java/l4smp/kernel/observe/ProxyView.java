package l4smp.kernel.observe;

import java.util.List;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;

/**
 * Read-only view of a proxy thread (§8.4).
 *
 * @param id          its kernel-internal id
 * @param source      the CPU whose senders it serves (its own, for an operation proxy)
 * @param target      the CPU it runs on
 * @param state       its thread state
 * @param partner     its partner (the receiver of its current or last send)
 * @param mailboxes   the ids of the mailboxes in its list, first first
 * @param current     the mailbox whose operation is in work (polling, activated, copying, or waiting
 *                    for its sender's answer), or -1
 * @param wakeupTime  when its (the sender's) send timeout expires, -1 if it is in no wakeup queue
 * @param instance    which instance of its pair it is: 0 from boot, more made by the hand-over (§8.4.4)
 * @param leads       whether new requests of its pair join its list
 */
public record ProxyView(ThreadId id, int source, int target, ThreadState state, ThreadId partner, List<Integer> mailboxes,
                        int current, long wakeupTime, int instance, boolean leads) {
    /** Whether this is a CPU's operation proxy rather than an IPC proxy. */
    public boolean isOperations() {
        return source == target;
    }
}
