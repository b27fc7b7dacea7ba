package l4smp.pbt.conform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Simulation;

/**
 * What L4 promises about IPC that no spec states, checked on what the threads of a generated
 * workload logged ({@link IpcLog}): the message a receiver gets is one its sender sent, to it,
 * once; the sender's completion code agrees with what the receiver saw (a message received
 * means its send phase succeeded); and, once the run is at rest, a send phase that succeeded
 * delivered its message to a receiver that returned it.
 */
final class L4Semantics {
    private L4Semantics() {
    }

    static List<String> violations(Workload w, Simulation sim, IpcLog log, boolean atRest) {
        List<String> out = new ArrayList<>();
        Map<Integer, String> received = new HashMap<>();
        for (int r = 0; r < w.threads().size(); r++) {
            for (IpcLog.Entry e : log.of(r)) {
                if (!e.ipc().kind().receives() || e.code() != CompletionCode.OK || e.ipc().extra() == Workload.Extra.LONG) {
                    continue;
                }
                received(w, sim, log, e, received, out);
            }
        }
        if (atRest) {
            delivered(w, sim, log, received, out);
        }
        return out;
    }

    private static void received(Workload w, Simulation sim, IpcLog log, IpcLog.Entry e, Map<Integer, String> received,
                                 List<String> out) {
        String who = w.threadName(e.thread()) + "'s IPC " + e.n() + " (" + e.ipc().kind().macro + ")";
        int src = IpcLog.threadOf(w, sim, e.source());
        if (src < 0) {
            out.add(who + " returned ok from " + String.format("0x%x", e.source()) + ", which is no thread of the workload");
            return;
        }
        if (e.ipc().kind() == Workload.Kind.RECEIVE && src != w.partnerOf(e.thread(), e.ipc().partner())) {
            out.add(who + " is a closed receive from " + w.threadName(w.partnerOf(e.thread(), e.ipc().partner()))
                    + " but returned a message from " + w.threadName(src));
        }
        if ((e.word() & 0xF000_0000) != 0x5000_0000) {
            if (!sendsOther(w, src, e.thread())) {
                out.add(who + " got the word " + String.format("0x%x", e.word()) + " from " + w.threadName(src)
                        + ", which sent no such word to it");
            }
            return;
        }
        int s = e.word() >>> 16 & 0xFFF;
        int m = e.word() & 0xFFFF;
        if (s != src || m >= w.ipcs(s).size() || !w.ipcs(s).get(m).kind().sends()
                || w.partnerOf(s, w.ipcs(s).get(m).partner()) != e.thread()) {
            out.add(who + " got the word " + String.format("0x%x", e.word()) + " claimed to come from " + w.threadName(src)
                    + ", but that is not a message " + w.threadName(src) + " sent to " + w.threadName(e.thread()));
            return;
        }
        String earlier = received.put(e.word(), who);
        if (earlier != null) {
            out.add(who + " got the message " + String.format("0x%x", e.word()) + " that " + earlier + " got already");
        }
        IpcLog.Entry sent = log.of(s, m);
        if (sent != null && sent.code().isSendPhase()) {
            out.add(who + " got " + w.threadName(s) + "'s message of its IPC " + m + ", but that IPC returned "
                    + sent.code() + " (its send phase failed)");
        }
    }

    /** Whether {@code s} sends {@code r} a map item or a long message (whose first word is not a generated word). */
    private static boolean sendsOther(Workload w, int s, int r) {
        for (Workload.Ipc ipc : w.ipcs(s)) {
            if (ipc.kind().sends() && w.partnerOf(s, ipc.partner()) == r
                    && (ipc.extra() == Workload.Extra.MAP || ipc.extra() == Workload.Extra.LONG)) {
                return true;
            }
        }
        return false;
    }

    private static void delivered(Workload w, Simulation sim, IpcLog log, Map<Integer, String> received, List<String> out) {
        for (int s = 0; s < w.threads().size(); s++) {
            for (IpcLog.Entry e : log.of(s)) {
                Workload.Ipc ipc = e.ipc();
                boolean sendOk = e.code() == CompletionCode.OK || ipc.kind().receives() && !e.code().isSendPhase();
                if (!ipc.kind().sends() || ipc.extra() != Workload.Extra.NONE || !sendOk) {
                    continue;
                }
                int p = w.partnerOf(s, ipc.partner());
                ThreadView partner = sim.kernel().view().thread(sim.thread(w.threadName(p)));
                if (partner == null || partner.state() == ThreadState.DEAD) {
                    continue;
                }
                int word = Workload.word(s, e.n());
                if (!received.containsKey(word)) {
                    out.add(w.threadName(s) + "'s IPC " + e.n() + " (" + ipc.kind().macro + " to " + w.threadName(p)
                            + ") returned " + e.code() + ", so its message was delivered, but " + w.threadName(p)
                            + " never returned it from a receive (the run is at rest)");
                }
            }
        }
    }
}
