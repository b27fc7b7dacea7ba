package l4smp.pbt.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.observe.StepListener;
import l4smp.pbt.conform.Workload.Ipc;
import l4smp.pbt.conform.Workload.Kind;
import l4smp.pbt.conform.Workload.ThreadPlan;
import l4smp.pbt.conform.Workload.Tmo;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 4: the properties that no spec states fail on a broken kernel. With the receive
 * path's sender check removed ({@link RemovedFix#PROXY_SENDER_CHECK}), a closed receive from one
 * sender can take another's message: the user-level log shows it, and {@link L4Semantics} names
 * it, while the fixed kernel's run of the same workload and interleavings keeps L4's semantics.
 */
class BrokenKernelPropertiesTest {
    /** The shared-proxy shape: a.t0 on cpu1 computes, then receives from b.t1 and b.t2 in turn; both send from cpu0. */
    private static Workload sharedProxy(int first) {
        int n = 3;
        List<Workload.Op> receiver = new ArrayList<>(List.of(new Workload.Compute(11_860)));
        for (int s : new int[] {first, 3 - first}) {
            receiver.add(new Ipc(Kind.RECEIVE, Workload.partnerNumber(0, s, n), Tmo.NEVER, Tmo.NEVER, Workload.Extra.NONE));
        }
        List<ThreadPlan> threads = new ArrayList<>(List.of(new ThreadPlan(0, 1, 100, receiver)));
        for (int s = 1; s <= 2; s++) {
            threads.add(new ThreadPlan(1, 0, 100, List.of(new Ipc(Kind.SEND, Workload.partnerNumber(s, 0, n), Tmo.NEVER,
                    Tmo.NEVER, Workload.Extra.NONE))));
        }
        return new Workload("shared-proxy", 2, 2, 4_000, threads, WorkloadGens.STEPS);
    }

    @Test
    void withoutTheSenderCheckAClosedReceiveGetsAnotherSendersMessageAndL4SemanticsSaysSo() {
        int broken = 0;
        for (int first = 1; first <= 2; first++) {
            for (long seed = 0; seed < 10; seed++) {
                Interleaving interleaving = new Interleaving(seed, List.of());
                KernelInput without = new KernelInput(sharedProxy(first), interleaving, Set.of(RemovedFix.PROXY_SENDER_CHECK));
                List<String> bad = violations(without);
                if (!bad.isEmpty()) {
                    broken++;
                    assertTrue(bad.stream().anyMatch(v -> v.contains("is a closed receive from")), bad::toString);
                }
                assertEquals(List.of(), violations(new KernelInput(sharedProxy(first), interleaving)),
                        "the fixed kernel, receive order " + first + ", seed " + seed);
            }
        }
        assertTrue(broken > 0, "no interleaving of 20 took another sender's message without the check");
    }

    private static List<String> violations(KernelInput input) {
        KernelInput.Run run = input.run((StepListener) null);
        assertEquals(null, run.crash());
        boolean rest = run.result().reason() == l4smp.hw.RunResult.Reason.QUIESCENT;
        return L4Semantics.violations(input.workload(), run.simulation(), IpcLog.read(input.workload(), run.simulation()), rest);
    }
}
