package l4smp.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import l4smp.hw.Reg;
import l4smp.hw.RunResult;
import l4smp.kernel.ipc.CompletionCode;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.thread.ThreadId;
import l4smp.kernel.thread.ThreadState;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.Simulation;

/**
 * A small kernel under test: a scenario of inline programs, booted, with a log of every kernel
 * step, and ways to look at threads' saved registers and memory afterwards.
 */
final class Rig {
    final Simulation sim;
    final Kernel kernel;
    final List<KernelStep> steps = new ArrayList<>();

    Rig(Scenario scenario) {
        try {
            sim = Simulation.build(scenario);
        } catch (ScenarioException e) {
            throw new AssertionError("test scenario does not load: " + e.getMessage(), e);
        }
        kernel = sim.kernel();
        kernel.listener((step, view) -> steps.add(step));
    }

    /** One task "t" (number 5) per program given as name/text pairs, each with one thread "main" paged by sigma0. */
    static Scenario.Builder programs(String... namesAndTexts) {
        Scenario.Builder b = Scenario.builder("test").memoryMB(8).steps(200_000);
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            String name = namesAndTexts[i];
            b.program(name, namesAndTexts[i + 1]);
        }
        return b;
    }

    /** A task {@code name} numbered {@code number} with thread "main" running program {@code name}. */
    static Scenario.Builder task(Scenario.Builder b, String name, int number, int priority) {
        return b.task(name, number, t -> t.thread("main", priority, "sigma0", name, Map.of()));
    }

    RunResult run() {
        return sim.run();
    }

    RunResult run(long steps) {
        return sim.run(steps);
    }

    /** Runs until nothing can happen any more, failing if that takes more than {@code steps}. */
    RunResult runToQuiescence(long steps) {
        RunResult result = sim.run(steps);
        if (result.reason() != RunResult.Reason.QUIESCENT) {
            fail("the run did not come to rest within " + steps + " steps:\n" + sim.machine().describeState());
        }
        return result;
    }

    ThreadId id(String name) {
        return sim.thread(name);
    }

    Tcb tcb(String name) {
        Tcb tcb = kernel.tcbs().slot(id(name));
        if (tcb == null) {
            fail("thread " + name + " has no TCB");
        }
        return tcb;
    }

    int reg(String thread, Reg reg) {
        return tcb(thread).register(reg);
    }

    /** The completion code in bits 4..7 of {@code reg} of the thread. */
    CompletionCode code(String thread, Reg reg) {
        return CompletionCode.ofDope(reg(thread, reg));
    }

    ThreadState state(String thread) {
        return tcb(thread).state();
    }

    /** The word at {@code va} in task {@code taskNumber}'s space, or fails if it is not mapped. */
    int word(int taskNumber, long va) {
        var space = kernel.task(taskNumber).space();
        long pa = space.translate(sim.machine().memory(), va);
        assertTrue(pa >= 0, String.format("0x%x is not mapped in task %d", va, taskNumber));
        return sim.machine().memory().readWord(pa);
    }

    boolean mapped(int taskNumber, long va) {
        return kernel.task(taskNumber).space().translate(sim.machine().memory(), va) >= 0;
    }

    long ran(String label) {
        return steps.stream().filter(s -> s.label().contains(label)).count();
    }

    /** Kernel steps whose label contains {@code label} and that touched thread {@code thread} first. */
    long ran(String label, String thread) {
        ThreadId id = id(thread);
        return steps.stream().filter(s -> s.label().contains(label) && !s.threads().isEmpty()
                && s.threads().get(0).equals(id)).count();
    }
}
