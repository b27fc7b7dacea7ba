package l4smp.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import l4smp.hw.Cycles;
import l4smp.hw.Machine;
import l4smp.hw.MachineConfig;
import l4smp.hw.RunResult;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.hw.sched.Scheduler;
import l4smp.kernel.Kernel;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.MappingDatabase;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.thread.Task;
import l4smp.kernel.thread.ThreadId;

/**
 * A scenario booted on a simulated machine: {@link #build} checks the scenario, builds the machine
 * and the kernel, assembles and loads the programs, creates sigma0, the tasks and threads and
 * their initial mappings, and schedules the device interrupts; {@link #run} runs it. Same scenario,
 * same run, cycle for cycle.
 *
 * <p>Layout the loader uses: each task's programs at {@link #CODE_BASE} upwards, 64 KB apart; their
 * code pages mapped read-only from sigma0 unless the task says {@code mapCode: false}; pages named
 * by a program's {@code .data} mapped writable and filled. Frames the loader needs come from the
 * top of physical memory down, so sigma0's low frames stay for its idempotent mappings. Sigma0
 * itself runs the built-in sigma0 program at priority {@value #SIGMA0_PRIORITY}.
 */
public final class Simulation {
    public static final long CODE_BASE = 0x0040_0000L;
    public static final long PROGRAM_SPACING = 0x1_0000L;
    public static final int SIGMA0_PRIORITY = 200;
    public static final String SIGMA0 = "sigma0";

    private final Scenario scenario;
    private final Machine machine;
    private final Kernel kernel;
    private final UserPrograms user = new UserPrograms();
    private final Map<String, ThreadId> threads = new LinkedHashMap<>();
    private final Map<ThreadId, String> names = new TreeMap<>();
    private int nextTopFrame;

    private Simulation(Scenario scenario, Machine machine) {
        this.scenario = scenario;
        this.machine = machine;
        this.kernel = Kernel.boot(machine, scenario.kernel(), user);
        this.nextTopFrame = machine.memory().frameCount() - 1;
    }

    /** Checks {@code scenario} and boots it. */
    public static Simulation build(Scenario scenario) throws ScenarioException {
        ScenarioCheck.check(scenario);
        Scenario.MachineSpec spec = scenario.machine();
        int failing = 0;
        for (int cpu : spec.failingCpus()) {
            failing |= 1 << cpu;
        }
        MachineConfig config = MachineConfig.pentium3(spec.cpus())
                .withMemoryFrames(spec.memoryMB() * (1 << 20) / PhysicalMemory.FRAME_BYTES)
                .withPowerOn(MachineConfig.PowerOn.BOOTSTRAP_PROCESSOR_ONLY).withFailingCpus(failing);
        Scheduler scheduler = scenario.run().scheduler().equals("random")
                ? Scheduler.seededRandom(scenario.run().seed()) : Scheduler.earliestClockFirst();
        Simulation simulation = new Simulation(scenario, new Machine(config, scheduler));
        simulation.load();
        return simulation;
    }

    private void load() throws ScenarioException {
        threads.put(SIGMA0, ThreadId.of(Kernel.SIGMA0_TASK, 0, 0));
        for (int i = 0; i < scenario.tasks().size(); i++) {
            Scenario.TaskSpec task = scenario.tasks().get(i);
            for (Scenario.ThreadSpec thread : task.threads()) {
                threads.put(task.name() + "." + thread.name(), ThreadId.of(task.number(), thread.lthread(), 0));
            }
        }
        threads.forEach((name, id) -> names.put(id, name));
        loadSigma0();
        for (int i = 0; i < scenario.tasks().size(); i++) {
            try {
                loadTask("tasks[" + i + "]", scenario.tasks().get(i));
            } catch (IllegalStateException outOfKernelMemory) {
                throw new ScenarioException("tasks[" + i + "]", outOfKernelMemory.getMessage()
                        + "; give the kernel more frames (kernel.kernelFrames)");
            }
        }
        for (int i = 0; i < scenario.images().size(); i++) {
            Scenario.ImageSpec image = scenario.images().get(i);
            user.load(image.task(), assemble("images[" + i + "].program", image.program(), image.args(), CODE_BASE));
        }
        for (int i = 0; i < scenario.interrupts().size(); i++) {
            Scenario.InterruptSpec irq = scenario.interrupts().get(i);
            machine.ioApic().raiseEvery(irq.irq(), Cycles.ofWhole(irq.firstAtCycles()), irq.periodCycles());
        }
    }

    private void loadSigma0() throws ScenarioException {
        Program probe = assemble("sigma0", "sigma0", Map.of(), 0);
        int pages = probe.codePages();
        nextTopFrame -= pages;
        long base = (long) (nextTopFrame + 1) << PhysicalMemory.FRAME_SHIFT;
        Program sigma0 = assemble("sigma0", "sigma0", Map.of(), base);
        user.load(Kernel.SIGMA0_TASK, sigma0);
        kernel.createThread(kernel.sigma0(), 0, 0, SIGMA0_PRIORITY, ThreadId.NIL, (int) base, 0);
    }

    private void loadTask(String where, Scenario.TaskSpec spec) throws ScenarioException {
        Task task = kernel.createTask(ThreadId.of(spec.number(), 0, 0), spec.mcp());
        for (int m = 0; m < spec.mappings().size(); m++) {
            Scenario.MappingSpec mapping = spec.mappings().get(m);
            for (int page = 0; page < mapping.pages(); page++) {
                long physical = mapping.physical() < 0 ? topFrame(where + ".mappings[" + m + "]") : mapping.physical() + 4096L * page;
                map(where + ".mappings[" + m + "]", task, mapping.address() + 4096L * page, physical, mapping.writable());
            }
        }
        Map<String, Program> loaded = new LinkedHashMap<>();
        for (int t = 0; t < spec.threads().size(); t++) {
            Scenario.ThreadSpec thread = spec.threads().get(t);
            String path = where + ".threads[" + t + "]";
            String key = thread.program() + thread.args();
            Program program = loaded.get(key);
            if (program == null) {
                long base = CODE_BASE + PROGRAM_SPACING * loaded.size();
                program = assemble(path + ".program", thread.program(), thread.args(), base);
                if (program.end() > base + PROGRAM_SPACING) {
                    throw new ScenarioException(path + ".program", "program " + thread.program() + " is longer than "
                            + PROGRAM_SPACING / Program.INSTRUCTION_BYTES + " instructions");
                }
                loaded.put(key, program);
                user.load(spec.number(), program);
                place(path, task, program, spec.mapCode());
            }
            ThreadId pager = pager(path + ".pager", thread.pager());
            kernel.createThread(task, thread.lthread(), thread.cpu(), thread.priority(), pager, (int) program.base(), 0);
        }
    }

    /** Maps the program's code (if asked) and the pages of its data, and writes the data. */
    private void place(String path, Task task, Program program, boolean mapCode) throws ScenarioException {
        if (mapCode) {
            for (int page = 0; page < program.codePages(); page++) {
                map(path + ".program", task, program.base() + 4096L * page, topFrame(path), false);
            }
        }
        AddressSpace space = task.space();
        PhysicalMemory memory = machine.memory();
        for (Map.Entry<Long, Integer> word : program.data().entrySet()) {
            long va = word.getKey();
            if (va + 4 > AddressSpace.USER_LIMIT) {
                throw new ScenarioException(path + ".program", String.format(".data at 0x%x is outside user space", va));
            }
            if (space.translate(memory, va) < 0) {
                map(path + ".program", task, va & ~0xFFFL, topFrame(path), true);
            }
            memory.writeWord(space.translate(memory, va), word.getValue());
        }
    }

    private void map(String path, Task task, long va, long physical, boolean writable) throws ScenarioException {
        MappingDatabase.Outcome outcome = kernel.mapFromSigma0(task, va, physical, 1, writable);
        if (outcome != MappingDatabase.Outcome.OK) {
            throw new ScenarioException(path, String.format("cannot map 0x%x to physical 0x%x: %s", va, physical,
                    switch (outcome) {
                        case NOT_OWNED -> "sigma0 does not own that frame (kernel memory, or beyond physical memory)";
                        case KERNEL_AREA -> "the address is outside user space";
                        case NO_MEMORY -> "out of kernel memory for page tables; give the kernel more frames "
                                + "(kernel.kernelFrames)";
                        default -> outcome.name().toLowerCase();
                    }));
        }
    }

    private long topFrame(String path) throws ScenarioException {
        if (nextTopFrame <= kernel.frames().limit() + 16) {
            throw new ScenarioException(path, "physical memory is exhausted; give the machine more memoryMB");
        }
        return (long) nextTopFrame-- << PhysicalMemory.FRAME_SHIFT;
    }

    private ThreadId pager(String path, String name) throws ScenarioException {
        if (name.equals("none")) {
            return ThreadId.NIL;
        }
        ThreadId id = threads.get(name);
        if (id == null) {
            throw new ScenarioException(path, "no thread named '" + name + "' (write task.thread, sigma0 or none)");
        }
        return id;
    }

    private Program assemble(String path, String programName, Map<String, String> args, long base) throws ScenarioException {
        String text = scenario.programs().get(programName);
        Map<String, String> defaults = Map.of();
        if (text == null) {
            Programs.Template template = Programs.builtIn(programName);
            if (template == null) {
                throw new ScenarioException(path, "no program '" + programName + "': define it under programs, or use "
                        + "a built-in one: " + Programs.builtInNames());
            }
            text = template.text();
            defaults = template.defaults();
        }
        try {
            return Assembler.assemble(programName, Programs.instantiate(text, args, defaults), base, threads::get);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(path, "program " + programName + ": " + e.getMessage());
        } catch (AssemblyException e) {
            throw new ScenarioException(path, e.getMessage());
        }
    }

    /** Runs the scenario's number of steps (or until nothing can happen). */
    public RunResult run() {
        return run(scenario.run().steps());
    }

    public RunResult run(long steps) {
        return machine.run(steps);
    }

    public void listener(StepListener listener) {
        kernel.listener(listener);
    }

    public Report report() {
        return new Report(this);
    }

    public Scenario scenario() {
        return scenario;
    }

    public Machine machine() {
        return machine;
    }

    public Kernel kernel() {
        return kernel;
    }

    public UserPrograms user() {
        return user;
    }

    /** The id of the thread named {@code task.thread} (or sigma0). */
    public ThreadId thread(String name) {
        ThreadId id = threads.get(name);
        if (id == null) {
            throw new IllegalArgumentException("no thread named " + name + "; there are " + threads.keySet());
        }
        return id;
    }

    /** The scenario's name for {@code id}, a proxy's {@code proxy.cpuS-cpuT} (with {@code #k} for instance k), or the id as text. */
    public String name(ThreadId id) {
        String name = names.get(id);
        if (name != null) {
            return name;
        }
        for (var p : kernel.view().proxies()) {
            if (p.id().equals(id)) {
                return p.isOperations() ? "operations.cpu" + p.target()
                        : "proxy.cpu" + p.source() + "-cpu" + p.target() + (p.instance() == 0 ? "" : "#" + p.instance());
            }
        }
        return id.toString();
    }

    /** Thread names in scenario order, sigma0 first. */
    public List<String> threadNames() {
        return new ArrayList<>(threads.keySet());
    }
}
