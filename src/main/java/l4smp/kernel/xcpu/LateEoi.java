package l4smp.kernel.xcpu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import l4smp.kernel.sched.ProcessorData;

/**
 * Fault injection ({@link l4smp.kernel.RemovedFix#EOI_FIRST}): the IPI handler's "synchronous"
 * placement of §8.3.4, which sends EOI only when the operations the IPI triggered are done. Per
 * CPU, one entry per handler that linked mailboxes and has not sent its EOI: the mailboxes whose
 * operations are still in work. An operation is done when its proxy wakes the sender (the request
 * mailbox) or the sender's XP_RETURN frees its list (the reply); the handler's EOI is sent when its
 * last one is done. Until then its IPI holds an APIC slot and is in service, so the CPU takes no
 * further IPI, and a third one to it stalls its sender (§8.3.3).
 */
final class LateEoi {
    private final List<List<Set<Integer>>> pending = new ArrayList<>();

    LateEoi(int cpus) {
        for (int c = 0; c < cpus; c++) {
            pending.add(new ArrayList<>());
        }
    }

    /** The handler on {@code local} linked {@code mailboxes}: it sends EOI now if there are none, else later. */
    void handled(ProcessorData local, List<Integer> mailboxes) {
        if (mailboxes.isEmpty()) {
            local.cpu().apic().eoi();
        } else {
            pending.get(local.id()).add(new HashSet<>(mailboxes));
        }
    }

    /** The operations of {@code mailboxes} are done on {@code local}: each handler left with none sends its EOI. */
    void done(ProcessorData local, List<Integer> mailboxes) {
        List<Set<Integer>> waiting = pending.get(local.id());
        for (var it = waiting.iterator(); it.hasNext(); ) {
            Set<Integer> ops = it.next();
            if (ops.removeAll(mailboxes) && ops.isEmpty()) {
                it.remove();
                local.cpu().apic().eoi();
            }
        }
    }
}
