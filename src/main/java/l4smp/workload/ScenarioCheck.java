package l4smp.workload;

import java.util.HashSet;
import java.util.Set;
import l4smp.hw.IoApic;
import l4smp.hw.MachineConfig;
import l4smp.kernel.Kernel;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.thread.ThreadId;

/**
 * The checks a scenario must pass before it boots, each failure naming the field (as a path) and
 * what is wrong. Thread, pager and program references are checked while loading
 * ({@link Simulation}), where they are resolved.
 */
final class ScenarioCheck {
    /** Memory bounds: the kernel and a few programs need some; more than 1 GB only costs the host. */
    static final int MIN_MEMORY_MB = 4;
    static final int MAX_MEMORY_MB = 1024;

    private ScenarioCheck() {
    }

    static void check(Scenario s) throws ScenarioException {
        Scenario.MachineSpec machine = s.machine();
        range("machine.cpus", machine.cpus(), 1, MachineConfig.MAX_CPUS);
        range("machine.memoryMB", machine.memoryMB(), MIN_MEMORY_MB, MAX_MEMORY_MB);
        failingCpus(machine);
        if (s.kernel().kernelFrames() + 256 > machine.memoryMB() * 256) {
            throw new ScenarioException("kernel.kernelFrames", s.kernel().kernelFrames() + " kernel frames leave too little of "
                    + machine.memoryMB() + " MB for sigma0");
        }
        if (s.run().steps() < 1) {
            throw new ScenarioException("run.steps", "must be at least 1, not " + s.run().steps());
        }
        if (!s.run().scheduler().equals("earliest-clock-first") && !s.run().scheduler().equals("random")) {
            throw new ScenarioException("run.scheduler", "must be earliest-clock-first or random, not '" + s.run().scheduler() + "'");
        }
        Set<String> taskNames = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < s.tasks().size(); i++) {
            Scenario.TaskSpec task = s.tasks().get(i);
            String where = "tasks[" + i + "]";
            name(where + ".name", task.name());
            if (task.name().equals(Simulation.SIGMA0) || !taskNames.add(task.name())) {
                throw new ScenarioException(where + ".name", "task name '" + task.name() + "' is taken");
            }
            range(where + ".number", task.number(), 1, ThreadId.TASKS - 1);
            if (task.number() == Kernel.SIGMA0_TASK || !numbers.add(task.number())) {
                throw new ScenarioException(where + ".number", "task number " + task.number()
                        + (task.number() == Kernel.SIGMA0_TASK ? " is sigma0's" : " is used twice"));
            }
            range(where + ".mcp", task.mcp(), 0, 255);
            if (task.threads().isEmpty()) {
                throw new ScenarioException(where + ".threads", "a task needs at least one thread");
            }
            threads(s, where, task);
            mappings(where, task);
        }
        Set<Integer> imageTasks = new HashSet<>();
        for (int i = 0; i < s.images().size(); i++) {
            Scenario.ImageSpec image = s.images().get(i);
            range("images[" + i + "].task", image.task(), 1, ThreadId.TASKS - 1);
            if (numbers.contains(image.task()) || image.task() == Kernel.SIGMA0_TASK || !imageTasks.add(image.task())) {
                throw new ScenarioException("images[" + i + "].task", "task " + image.task()
                        + " has an image already (a task of the scenario, sigma0, or another image)");
            }
        }
        for (int i = 0; i < s.interrupts().size(); i++) {
            Scenario.InterruptSpec irq = s.interrupts().get(i);
            range("interrupts[" + i + "].irq", irq.irq(), 0, IoApic.INPUTS - 1);
            if (irq.firstAtCycles() < 0 || irq.periodCycles() < 0) {
                throw new ScenarioException("interrupts[" + i + "]", "times must be >= 0");
            }
        }
    }

    private static void failingCpus(Scenario.MachineSpec machine) throws ScenarioException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < machine.failingCpus().size(); i++) {
            int cpu = machine.failingCpus().get(i);
            String path = "machine.failingCpus[" + i + "]";
            if (cpu == 0) {
                throw new ScenarioException(path, "cpu 0 is the bootstrap processor, which the hardware starts (§8.2); "
                        + "name application processors 1.." + (machine.cpus() - 1));
            }
            range(path, cpu, 1, machine.cpus() - 1);
            if (!seen.add(cpu)) {
                throw new ScenarioException(path, "cpu " + cpu + " is named twice");
            }
        }
    }

    /**
     * A thread's {@code cpu} is its processor number minus one (§7.1: 1..k), and after a boot in
     * which CPUs failed the kernel numbers only those that started (§8.2: the processor numbers
     * reordered "such, that the highest available processor number can be decreased"): a thread
     * placed beyond them would be placed on a processor that does not exist.
     */
    private static void cpu(Scenario s, String path, int cpu) throws ScenarioException {
        Scenario.MachineSpec machine = s.machine();
        int starting = machine.startingCpus();
        if (starting < machine.cpus() && cpu >= starting && cpu < machine.cpus()) {
            int failing = machine.cpus() - starting;
            throw new ScenarioException(path, "cpu " + cpu + " does not exist after boot: " + failing + " of the "
                    + machine.cpus() + " CPUs " + (failing == 1 ? "fails" : "fail") + " to start (machine.failingCpus " + machine.failingCpus()
                    + "), the kernel masks them out (§8.2) and numbers the " + starting + " that start cpu0..cpu"
                    + (starting - 1) + " in boot order; place the thread on one of those");
        }
        range(path, cpu, 0, machine.cpus() - 1);
    }

    private static void threads(Scenario s, String where, Scenario.TaskSpec task) throws ScenarioException {
        Set<String> names = new HashSet<>();
        Set<Integer> lthreads = new HashSet<>();
        for (int t = 0; t < task.threads().size(); t++) {
            Scenario.ThreadSpec thread = task.threads().get(t);
            String path = where + ".threads[" + t + "]";
            name(path + ".name", thread.name());
            if (!names.add(thread.name())) {
                throw new ScenarioException(path + ".name", "thread name '" + thread.name() + "' is used twice in task " + task.name());
            }
            range(path + ".lthread", thread.lthread(), 0, ThreadId.LTHREADS_PER_TASK - 1);
            if (!lthreads.add(thread.lthread())) {
                throw new ScenarioException(path + ".lthread", "lthread " + thread.lthread() + " is used twice in task " + task.name());
            }
            range(path + ".priority", thread.priority(), 0, 255);
            cpu(s, path + ".cpu", thread.cpu());
        }
    }

    private static void mappings(String where, Scenario.TaskSpec task) throws ScenarioException {
        for (int m = 0; m < task.mappings().size(); m++) {
            Scenario.MappingSpec mapping = task.mappings().get(m);
            String path = where + ".mappings[" + m + "]";
            if ((mapping.address() & 0xFFF) != 0 || mapping.address() < 0) {
                throw new ScenarioException(path + ".address", String.format("0x%x is not a page address", mapping.address()));
            }
            range(path + ".pages", mapping.pages(), 1, 1 << 16);
            if (mapping.address() + 4096L * mapping.pages() > AddressSpace.USER_LIMIT) {
                throw new ScenarioException(path, String.format("the pages reach beyond user space (0x%x)", AddressSpace.USER_LIMIT));
            }
            if (mapping.physical() != -1 && ((mapping.physical() & 0xFFF) != 0 || mapping.physical() < 0)) {
                throw new ScenarioException(path + ".physical", String.format("0x%x is not a frame address", mapping.physical()));
            }
        }
    }

    private static void name(String path, String name) throws ScenarioException {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw new ScenarioException(path, "'" + name + "' is not a name (letters, digits, _ and -, not starting with a digit)");
        }
    }

    private static void range(String path, long value, long min, long max) throws ScenarioException {
        if (value < min || value > max) {
            throw new ScenarioException(path, "must be " + min + ".." + max + ", not " + value);
        }
    }
}
