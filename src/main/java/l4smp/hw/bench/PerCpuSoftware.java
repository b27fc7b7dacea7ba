package l4smp.hw.bench;

import l4smp.hw.Cpu;
import l4smp.hw.Software;

/**
 * Software that runs one {@link Script} per CPU (a CPU without one idles: sti, hlt) and hands
 * interrupts to one handler. Enough for experiments and tests of the machine; the kernel is the
 * real {@link Software}.
 */
public final class PerCpuSoftware implements Software {
    /** What to do when a CPU takes an interrupt. */
    @FunctionalInterface
    public interface Handler {
        void interrupt(Cpu cpu, int vector);
    }

    private final Script[] scripts;
    private Handler handler;

    public PerCpuSoftware(int cpus) {
        this.scripts = new Script[cpus];
    }

    /** Runs {@code script} on {@code cpu}; returns the script. */
    public Script run(int cpu, Script script) {
        scripts[cpu] = script;
        return script;
    }

    public PerCpuSoftware onInterrupt(Handler newHandler) {
        this.handler = newHandler;
        return this;
    }

    @Override
    public void step(Cpu cpu) {
        Script script = scripts[cpu.id()];
        if (script == null) {
            cpu.sti();
            cpu.halt();
        } else {
            script.step(cpu);
        }
    }

    @Override
    public void interrupt(Cpu cpu, int vector) {
        if (handler == null) {
            throw new IllegalStateException("cpu" + cpu.id() + " took vector " + vector + " but no handler is installed");
        }
        handler.interrupt(cpu, vector);
    }

    public boolean finished(int cpu) {
        return scripts[cpu] == null || scripts[cpu].finished();
    }
}
