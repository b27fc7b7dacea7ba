package l4smp.hw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;
import l4smp.hw.Cpu;

/**
 * A straight-line program for one CPU, one action per atomic step: what the fidelity experiments
 * (and tests) run on the machine. An action may repeat itself (a polling loop) by returning false.
 * When the script ends the CPU enables interrupts and halts, like an idle loop.
 */
public final class Script {
    /** One step's work; returns whether to go on to the next action (false: run it again next step). */
    @FunctionalInterface
    public interface Action {
        boolean run(Cpu cpu);
    }

    private final List<Action> actions = new ArrayList<>();
    private int next;

    /** Adds an action run once. */
    public Script then(Consumer<Cpu> action) {
        actions.add(cpu -> {
            action.accept(cpu);
            return true;
        });
        return this;
    }

    /** Adds {@code times} actions, the i-th running {@code action(cpu, i)}: a loop unrolled into steps. */
    public Script repeat(int times, ObjIntConsumer<Cpu> action) {
        for (int i = 0; i < times; i++) {
            int iteration = i;
            then(cpu -> action.accept(cpu, iteration));
        }
        return this;
    }

    /** Adds an action that runs once per step until it returns true: a polling loop. */
    public Script until(Predicate<Cpu> doneAfterThisIteration) {
        actions.add(doneAfterThisIteration::test);
        return this;
    }

    /** Runs the next action on {@code cpu}; after the last one, sti and hlt. */
    public void step(Cpu cpu) {
        if (next >= actions.size()) {
            cpu.sti();
            cpu.halt();
            return;
        }
        if (actions.get(next).run(cpu)) {
            next++;
        }
    }

    public boolean finished() {
        return next >= actions.size();
    }
}
