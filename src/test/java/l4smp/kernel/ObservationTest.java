package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.CpuView;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import org.junit.jupiter.api.Test;

/**
 * The observation interface: a listener after every atomic kernel step with a read-only view;
 * L4Common's names; runs that are the same for the same seed; invariants that hold after every
 * step of mixed workloads under random interleavings.
 */
class ObservationTest {
    /** Clients, a server, a pager hierarchy, a toggler and an interrupt handler on a 2-CPU machine (threads on cpu0). */
    private static Scenario mixed(long seed) {
        return Scenario.builder("mixed").cpus(2).memoryMB(8).random(seed).steps(6_000)
                .kernel(KernelConfig.defaults().withTick(5_000).withTimeslice(15_000))
                .program("faulter", """
                        li   ecx, 0x300000
                loop:   st   [ecx], ecx
                        add  ecx, 0x1000
                        blt  ecx, 0x310000, loop
                        halt
                """)
                .task("srv", 5, t -> t.thread("main", 100, "sigma0", "server", Map.of("work", "50")))
                .task("cl", 6, t -> t.thread("a", 100, "sigma0", "client", Map.of("server", "@srv.main", "think", "30"))
                        .thread("b", 90, "sigma0", "client", Map.of("server", "@srv.main", "snd", "20us", "rcv", "50us")))
                .program("late", """
                loop:   sleep 15us
                        ipc  wait
                        jmp  loop
                """)
                .program("eager", """
                loop:   ipc  send @q.rx
                        compute 200
                        jmp  loop
                """)
                .task("pg", 7, t -> t.thread("main", 120, "sigma0", "pager", Map.of()))
                .task("app", 8, t -> t.thread("f", 110, "pg.main", "faulter", Map.of())
                        .thread("t", 110, "sigma0", "toggler", Map.of("sleep", "10us", "work", "100")))
                .task("q", 10, t -> t.thread("rx", 112, "sigma0", "late", Map.of()).thread("tx", 111, "sigma0", "eager", Map.of()))
                .task("drv", 9, t -> t.thread("h", 150, "sigma0", "irq_handler", Map.of("irq", "1", "work", "100")))
                .interrupt(1, 10_000, 20_000).build();
    }

    private static List<String> trace(long seed) {
        Rig rig = new Rig(mixed(seed));
        List<String> lines = new ArrayList<>();
        rig.kernel.listener((step, view) -> lines.add(step.number() + " " + step.cpu() + " " + step.label() + " "
                + step.threads() + " " + step.millicycles()));
        rig.run();
        return lines;
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        List<String> first = trace(7);
        assertEquals(first, trace(7));
        assertNotEquals(first, trace(8));
        assertTrue(first.size() > 1000, "a real workload: " + first.size() + " kernel steps");
    }

    @Test
    void invariantsHoldAfterEveryStepUnderRandomInterleavings() {
        Set<PathSegment> seen = java.util.EnumSet.noneOf(PathSegment.class);
        for (long seed = 1; seed <= 6; seed++) {
            Rig rig = new Rig(mixed(seed));
            long[] checked = {0};
            rig.kernel.listener((step, view) -> {
                Invariants.check(step, view);
                seen.addAll(step.segments());
                checked[0]++;
            });
            rig.run();
            assertTrue(checked[0] > 500, "seed " + seed + ": " + checked[0] + " steps checked");
        }
        assertTrue(seen.containsAll(Set.of(PathSegment.IRQ_DELIVER, PathSegment.PAGE_FAULT_TO_PAGER,
                PathSegment.RECEIVE_WAKE_SENDER, PathSegment.SEND_ENQUEUE, PathSegment.TIMER_TIMEOUT,
                PathSegment.TIMER_PREEMPT, PathSegment.TRANSMIT_MAP)),
                "the seeds exercised interrupts, faults, polling senders, timeouts and preemption: " + seen);
    }

    @Test
    void everyStepNamesItsSegmentsAndTheViewUsesL4CommonNames() {
        Rig rig = new Rig(mixed(3));
        Set<String> states = new java.util.TreeSet<>();
        Set<String> codes = new java.util.TreeSet<>();
        rig.kernel.listener((step, view) -> {
            assertTrue(!step.segments().isEmpty() && !step.label().isEmpty());
            for (ThreadView t : view.threads()) {
                states.add(t.state().label());
                codes.add(t.completion().label());
            }
        });
        rig.run();
        Set<String> l4common = Set.of("running", "ready", "waiting", "polling", "locked_running", "locked_waiting", "dead");
        assertTrue(l4common.containsAll(states), states.toString());
        assertTrue(states.containsAll(Set.of("running", "ready", "waiting", "polling")), states.toString());
        assertTrue(codes.contains("ok") && codes.contains("none"), codes.toString());
    }
}
