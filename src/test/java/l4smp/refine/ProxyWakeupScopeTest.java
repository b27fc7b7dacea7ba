package l4smp.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import l4smp.tlc.Project;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioReader;
import org.junit.jupiter.api.Test;

/**
 * What ProxyWakeup describes of the issue-10 scenarios (§8.3.3, §8.4.2-§8.4.4): the operation
 * mailboxes of cross-processor operations share the per-CPU flag line and trigger IPI with the IPC
 * mailboxes, so a TLB shootdown's operation is ProxyWakeup's (OpPost, OpProxyPerform,
 * OpCallerReturn); the mechanisms it still leaves out are refused with a message naming them.
 */
class ProxyWakeupScopeTest {
    private static final Project PROJECT = Project.locate(null);
    private static final long[] SEEDS = {0, 1, 2};

    /** xp-unmap-shootdown without B's last access (which faults and stops B, a left-out mechanism). */
    private static Scenario shootdownWithoutTheFault() throws Exception {
        String json = Files.readString(Path.of("scenarios", "xp-unmap-shootdown.json"))
                .replace("\"        ld   ebx, [0x1000000]          ; unmapped: faults, no pager, stopped\",", "");
        Scenario s = ScenarioReader.read(json);
        assertFalse(json.contains("unmapped: faults"), "the scenario changed: update this test's edit");
        return s;
    }

    private static KernelRun record(Scenario s, long seed) throws Exception {
        if (seed > 0) {
            s = s.withRun(new Scenario.RunSpec(s.run().steps(), "random", seed));
        }
        return KernelRefinementTest.record(s, s.run().steps());
    }

    private static int count(Trace trace, String action) {
        int n = 0;
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            if (a != null && a.name().equals(action)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aTlbShootdownsOperationMailboxIsProxyWakeups() throws Exception {
        for (long seed : SEEDS) {
            KernelRun run = record(shootdownWithoutTheFault(), seed);
            KernelRefinement r = KernelRefinement.check(PROJECT, new ProxyWakeupAbstraction(run));
            assertTrue(r.verdict().accepted(), () -> "seed " + seed + ": " + KernelRefinementTest.explain(r));
            assertTrue(r.config().contains("OpsPerCpu = 4"), r.config());
            assertEquals(1, count(r.trace(), "OpPost"), "seed " + seed);
            assertEquals(1, count(r.trace(), "OpProxyPerform"), "seed " + seed);
            assertEquals(1, count(r.trace(), "OpCallerReturn"), "seed " + seed);
        }
    }
}
