package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/**
 * The per-CPU dispatcher (slides, "Dispatching"; §2.1.1): highest active priority, round robin
 * within a priority, time slices preempted by the tick, lazy removal from the ready lists,
 * timeouts through the wakeup queue.
 */
class DispatcherTest {
    private static final KernelConfig SHORT_SLICES = KernelConfig.defaults().withTick(10_000).withTimeslice(30_000);

    private static long cycles(Rig rig, String thread) {
        return rig.kernel.statistics().of(rig.id(thread)).millicycles() / 1000;
    }

    @Test
    void threadsOfOnePriorityShareTheCpuRoundRobin() {
        Scenario s = Scenario.builder("rr").memoryMB(8).kernel(SHORT_SLICES)
                .task("s", 5, t -> t.thread("a", 50, "sigma0", "spinner", Map.of())
                        .thread("b", 50, "sigma0", "spinner", Map.of()).thread("c", 50, "sigma0", "spinner", Map.of()))
                .build();
        Rig rig = new Rig(s);
        rig.run(20_000);

        long a = cycles(rig, "s.a");
        long b = cycles(rig, "s.b");
        long c = cycles(rig, "s.c");
        long total = a + b + c;
        for (long share : new long[] {a, b, c}) {
            assertTrue(Math.abs(3 * share - total) < total / 10, "equal thirds within 10 %: " + a + " " + b + " " + c);
        }
        assertTrue(rig.ran("timer.preempt") > 10, "the time slice ends by preemption");
    }

    @Test
    void aHigherPriorityStarvesALowerOne() {
        Scenario s = Scenario.builder("prio").memoryMB(8).kernel(SHORT_SLICES)
                .task("s", 5, t -> t.thread("low", 50, "sigma0", "spinner", Map.of())
                        .thread("high", 60, "sigma0", "spinner", Map.of()))
                .build();
        Rig rig = new Rig(s);
        rig.run(10_000);

        assertEquals(0, cycles(rig, "s.low"));
        assertTrue(cycles(rig, "s.high") > 100_000);
    }

    @Test
    void aThreadThatBlocksStaysInTheReadyListUntilTheDispatcherPassesIt() {
        Scenario s = Scenario.builder("lazy").memoryMB(8).kernel(SHORT_SLICES)
                .task("s", 5, t -> t.thread("t1", 50, "sigma0", "toggler", Map.of("sleep", "30us", "work", "300"))
                        .thread("t2", 50, "sigma0", "toggler", Map.of("sleep", "50us", "work", "300"))
                        .thread("spin", 40, "sigma0", "spinner", Map.of()))
                .build();
        Rig rig = new Rig(s);
        boolean[] sawLazy = new boolean[1];
        rig.kernel.listener((step, view) -> {
            for (ThreadView t : view.threads()) {
                if (t.inReadyList() && !t.state().isRunnable()) {
                    sawLazy[0] = true;
                }
            }
        });
        rig.run(30_000);

        assertTrue(sawLazy[0], "a waiting thread was still in its ready list");
        assertTrue(rig.kernel.processor(0).readyList().lazyRemovals() > 20,
                "the dispatcher removed it lazily: " + rig.kernel.processor(0).readyList().lazyRemovals());
        assertTrue(cycles(rig, "s.spin") > 0, "the lower priority ran while both togglers slept");
    }

    @Test
    void aSleepingThreadIsWokenByTheTickAfterItsTimeout() {
        Scenario s = Rig.programs("sleeper", """
                        sleep 100us
                        str  edi
                        halt
                """).kernel(SHORT_SLICES)
                .task("s", 5, t -> t.thread("main", 50, "sigma0", "sleeper", Map.of())).build();
        Rig rig = new Rig(s);
        long[] wokeAt = {-1};
        rig.kernel.listener((step, view) -> {
            if (step.label().contains("timer.timeout") && wokeAt[0] < 0) {
                wokeAt[0] = step.millicycles() / 1000;
            }
        });
        rig.runToQuiescence(10_000);

        assertTrue(wokeAt[0] >= 100 * 450 && wokeAt[0] < 100 * 450 + 2 * 10_000,
                "woken within a tick of its deadline: " + wokeAt[0]);
        assertEquals(ThreadState.WAITING, rig.state("s.main"));
    }

    @Test
    void anIdleCpuStopsItsTimerAndTheMachineComesToRest() {
        Scenario s = Scenario.builder("idle").memoryMB(8)
                .task("s", 5, t -> t.thread("main", 50, "sigma0", "idle", Map.of())).build();
        Rig rig = new Rig(s);
        var result = rig.runToQuiescence(1_000);

        assertTrue(result.steps() < 50, "a few steps, no endless ticks: " + result.steps());
        assertTrue(rig.ran("dispatcher.idle") >= 1);
    }
}
