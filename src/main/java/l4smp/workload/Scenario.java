package l4smp.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import l4smp.kernel.KernelConfig;

/**
 * What a simulation runs: the machine, the kernel's tunables, the tasks with their threads
 * (priority, pager, program), initial mappings, device interrupts, and how long to run.
 * Scenarios are read from JSON files ({@link ScenarioReader}, format in scenarios/README.md) or
 * built in Java ({@link #builder}); {@link Simulation#build} checks them.
 *
 * @param programs programs defined by the scenario, by name (assembler text); the built-in
 *                 programs of {@link Programs} need no definition
 */
public record Scenario(String name, String description, MachineSpec machine, KernelConfig kernel, RunSpec run,
                       Map<String, String> programs, List<TaskSpec> tasks, List<ImageSpec> images,
                       List<InterruptSpec> interrupts) {
    public Scenario {
        programs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        tasks = List.copyOf(tasks);
        images = List.copyOf(images);
        interrupts = List.copyOf(interrupts);
    }

    /**
     * @param memoryMB    physical memory in MB
     * @param failingCpus the machine's CPUs (by power-on APIC id, 1..cpus-1) that never start: they
     *                    do not answer the boot CPU's STARTUP IPI, and the kernel masks them out (§8.2)
     */
    public record MachineSpec(int cpus, int memoryMB, List<Integer> failingCpus) {
        public MachineSpec {
            failingCpus = List.copyOf(failingCpus);
        }

        /** The CPUs the kernel numbers at boot: those that start. */
        public int startingCpus() {
            return cpus - (int) failingCpus.stream().distinct().count();
        }
    }

    /**
     * @param steps     machine steps to run at most (the run also ends when nothing can happen any more)
     * @param scheduler {@code earliest-clock-first} (timing-realistic) or {@code random} (seeded interleavings)
     * @param seed      the random scheduler's seed
     */
    public record RunSpec(long steps, String scheduler, long seed) {
    }

    /** @param mapCode whether the loader maps the task's code pages at boot (else its pager must) */
    public record TaskSpec(String name, int number, int mcp, boolean mapCode, List<ThreadSpec> threads,
                           List<MappingSpec> mappings) {
        public TaskSpec {
            threads = List.copyOf(threads);
            mappings = List.copyOf(mappings);
        }
    }

    /**
     * @param pager a thread name ({@code task.thread}), {@code sigma0}, or {@code none}
     * @param args  values for the program's placeholders
     */
    public record ThreadSpec(String name, int lthread, int priority, int cpu, String pager, String program,
                             Map<String, String> args) {
        public ThreadSpec {
            args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }
    }

    /** {@code pages} pages from sigma0 at {@code address}; {@code physical} -1 lets the loader choose frames. */
    public record MappingSpec(long address, long physical, int pages, boolean writable) {
    }

    /**
     * The code of a task that does not exist at boot, for task_new to start: {@code program} at
     * {@link Simulation#CODE_BASE} of task {@code task}. Its pager must map the code.
     */
    public record ImageSpec(int task, String program, Map<String, String> args) {
        public ImageSpec {
            args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }
    }

    /** A device raising IO-APIC input {@code irq} at {@code firstAtCycles}, then every {@code periodCycles} (0: once). */
    public record InterruptSpec(int irq, long firstAtCycles, long periodCycles) {
    }

    /** The same scenario on another kernel configuration. */
    public Scenario withKernel(KernelConfig newKernel) {
        return new Scenario(name, description, machine, newKernel, run, programs, tasks, images, interrupts);
    }

    /** This scenario with another run length, scheduler and seed. */
    public Scenario withRun(RunSpec newRun) {
        return new Scenario(name, description, machine, kernel, newRun, programs, tasks, images, interrupts);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds scenarios in Java, for tests and generators; defaults as in the JSON format. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private int cpus = 1;
        private int memoryMB = 16;
        private List<Integer> failingCpus = List.of();
        private KernelConfig kernel = KernelConfig.defaults();
        private long steps = 100_000;
        private String scheduler = "earliest-clock-first";
        private long seed = 1;
        private final Map<String, String> programs = new LinkedHashMap<>();
        private final List<TaskSpec> tasks = new ArrayList<>();
        private final List<ImageSpec> images = new ArrayList<>();
        private final List<InterruptSpec> interrupts = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String text) {
            description = text;
            return this;
        }

        public Builder cpus(int n) {
            cpus = n;
            return this;
        }

        /** CPUs (power-on APIC ids) that fail to start. */
        public Builder failingCpus(Integer... ids) {
            failingCpus = List.of(ids);
            return this;
        }

        public Builder memoryMB(int mb) {
            memoryMB = mb;
            return this;
        }

        public Builder kernel(KernelConfig config) {
            kernel = config;
            return this;
        }

        public Builder steps(long n) {
            steps = n;
            return this;
        }

        public Builder random(long newSeed) {
            scheduler = "random";
            seed = newSeed;
            return this;
        }

        public Builder program(String programName, String text) {
            programs.put(programName, text);
            return this;
        }

        public Builder task(String taskName, int number, Consumer<TaskBuilder> body) {
            TaskBuilder t = new TaskBuilder(taskName, number);
            body.accept(t);
            tasks.add(t.build());
            return this;
        }

        public Builder image(int task, String program, Map<String, String> args) {
            images.add(new ImageSpec(task, program, args));
            return this;
        }

        public Builder interrupt(int irq, long firstAtCycles, long periodCycles) {
            interrupts.add(new InterruptSpec(irq, firstAtCycles, periodCycles));
            return this;
        }

        public Scenario build() {
            return new Scenario(name, description, new MachineSpec(cpus, memoryMB, failingCpus), kernel,
                    new RunSpec(steps, scheduler, seed), programs, tasks, images, interrupts);
        }
    }

    /** One task of a {@link Builder}. */
    public static final class TaskBuilder {
        private final String name;
        private final int number;
        private int mcp = 255;
        private boolean mapCode = true;
        private final List<ThreadSpec> threads = new ArrayList<>();
        private final List<MappingSpec> mappings = new ArrayList<>();

        private TaskBuilder(String name, int number) {
            this.name = name;
            this.number = number;
        }

        public TaskBuilder mcp(int value) {
            mcp = value;
            return this;
        }

        public TaskBuilder mapCode(boolean value) {
            mapCode = value;
            return this;
        }

        /** A thread with the next free lthread number on CPU 0. */
        public TaskBuilder thread(String threadName, int priority, String pager, String program, Map<String, String> args) {
            return thread(threadName, threads.size(), priority, 0, pager, program, args);
        }

        public TaskBuilder thread(String threadName, int lthread, int priority, int cpu, String pager, String program,
                                  Map<String, String> args) {
            threads.add(new ThreadSpec(threadName, lthread, priority, cpu, pager, program, args));
            return this;
        }

        public TaskBuilder map(long address, int pages, boolean writable) {
            mappings.add(new MappingSpec(address, -1, pages, writable));
            return this;
        }

        public TaskBuilder mapPhysical(long address, long physical, int pages, boolean writable) {
            mappings.add(new MappingSpec(address, physical, pages, writable));
            return this;
        }

        TaskSpec build() {
            return new TaskSpec(name, number, mcp, mapCode, threads, mappings);
        }
    }
}
