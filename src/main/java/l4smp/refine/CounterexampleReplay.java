package l4smp.refine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import l4smp.hw.RunResult;
import l4smp.hw.sched.ChoiceList;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.tlc.ConfigHeader;
import l4smp.tlc.Project;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.format.CfgText;
import l4smp.workload.Scenario;
import l4smp.workload.ScenarioException;
import l4smp.workload.ScenarioReader;
import l4smp.workload.Simulation;

/**
 * From a TLC counterexample of a MigrationBarriers bug configuration to a kernel run that shows
 * the same bug (issue 12 item 8). The trace's configuration (named in its title, as {@code l4smp
 * check --out} writes it) says which fixes are out; each becomes the kernel's
 * {@link RemovedFix} switch. The trace's first state gives the placement (each thread on its CPU,
 * spec CPUs in name order as cpu0, cpu1, ...), its {@code SchedulerIssue(s, t, d)} steps the
 * programs (s calls thread_schedule(t, d) once; every other thread computes), and its actions with
 * their {@code by} the interleaving, which a {@link TraceFollower} imposes on the machine. The
 * kernel run is then abstracted ({@link MigrationBarriersAbstraction}) and checked against the
 * spec with the counterexample's invariant: reproduced when that invariant is violated. For a
 * deadlock the run is checked with no invariant and must then be stuck ({@link Stuck}).
 */
public final class CounterexampleReplay {
    /** The specs whose counterexamples can be replayed. */
    public static final List<String> SPECS = List.of(MigrationBarriersAbstraction.MODULE);

    /** The kernel path segment of each migration action of MigrationBarriers (§8.7.2's parts A, B, C). */
    static final Map<String, PathSegment> ACTION_SEGMENTS = Map.ofEntries(
            Map.entry("SchedulerIssue", PathSegment.MIGRATE_ISSUE),
            Map.entry("SchedulerCall", PathSegment.MIGRATE_CALL),
            Map.entry("SchedulerPassBarrier1", PathSegment.MIGRATE_PASS_BARRIER1),
            Map.entry("SchedulerPassBarrier2", PathSegment.MIGRATE_PASS_BARRIER2),
            Map.entry("SchedulerReturn", PathSegment.MIGRATE_RETURN),
            Map.entry("SourceEnter", PathSegment.MIGRATE_SOURCE_ENTER),
            Map.entry("SourcePassBarrier2", PathSegment.MIGRATE_SOURCE_PASS_BARRIER2),
            Map.entry("TargetEnter", PathSegment.MIGRATE_TARGET_ENTER),
            Map.entry("TargetPassBarrier2", PathSegment.MIGRATE_TARGET_PASS_BARRIER2),
            Map.entry("TargetPassBarrier3", PathSegment.MIGRATE_TARGET_PASS_BARRIER3));

    private static final Pattern TITLE = Pattern.compile("^(\\S+) with (\\S+\\.cfg): (.*)$");
    private static final Pattern INVARIANT = Pattern.compile("invariant (\\S+) is violated.*");
    private static final Pattern CONSTANT = Pattern.compile("\\b(\\w+)\\s*=\\s*(TRUE|FALSE|\"[^\"]*\")");

    /**
     * One row of the replay: the spec's action and the kernel step that took it.
     *
     * @param state  the trace's state the action leads to
     * @param action the spec's action, with its parameters
     * @param by     the spec's CPU that takes it
     * @param step   the kernel step: number, CPU, path segments, subjects
     * @param differs how the kernel's step differs where the spec chooses freely, or null
     */
    public record Row(int state, String action, String by, String step, String differs) {
    }

    /**
     * What the replay did.
     *
     * @param rows        the trace's actions beside the kernel steps that took them
     * @param removed     the kernel switches the run had
     * @param invariant   the counterexample's invariant
     * @param verdict     the kernel run's abstraction checked against the spec with that invariant
     * @param kernelTrace the kernel run's abstraction
     * @param scenario    the derived scenario (JSON), which {@code l4smp simulate} runs
     * @param schedule    the machine's choices, which {@code simulate --schedule} replays
     */
    public record Result(List<Row> rows, Set<RemovedFix> removed, String invariant, TraceVerdict verdict, Trace kernelTrace,
                         String scenario, ChoiceList schedule, Stuck stuck) {
        /**
         * Whether the kernel's run violates the counterexample's invariant, or, for a deadlock, is a
         * behaviour of the spec that is stuck after the trace's last action.
         */
        public boolean reproduced() {
            if (invariant == null) {
                return verdict.accepted() && stuck.stuck();
            }
            return !verdict.accepted() && verdict.failure().kind() == TraceVerdict.Kind.INVARIANT
                    && invariant.equals(verdict.failure().invariant());
        }
    }

    /**
     * How the kernel went on after a deadlock counterexample's last action, for {@link #STUCK_STEPS}
     * machine steps with the earliest-clock-first scheduler.
     *
     * @param steps    the kernel steps it took
     * @param progress the migration actions it took (none: stuck)
     * @param spinning per CPU, the spin segments it ran
     */
    public record Stuck(int steps, List<String> progress, Map<Integer, Set<String>> spinning) {
        /** Stuck: the CPUs ran, but no migration part got past a barrier or lock. */
        public boolean stuck() {
            return steps > 0 && progress.isEmpty();
        }

        /** {@code cpu0 migrate.source.spin, cpu1 migrate.target.spin}. */
        public String describe() {
            List<String> cpus = new ArrayList<>();
            spinning.forEach((c, segs) -> cpus.add("cpu" + c + " " + String.join("+", segs)));
            return String.join(", ", cpus);
        }
    }

    /** Machine steps the kernel runs on after a deadlock counterexample's end, to show that it is stuck. */
    public static final int STUCK_STEPS = 20_000;

    private final Project project;
    private final Trace trace;
    private final String config;
    private final String invariant;
    private final Set<RemovedFix> removed;
    private final List<String> cpus;
    private final Map<String, String> placement = new LinkedHashMap<>();
    private final Map<String, String[]> issues = new LinkedHashMap<>();

    private CounterexampleReplay(Project project, Trace trace, String config, String invariant, Set<RemovedFix> removed,
                                 List<String> cpus) {
        this.project = project;
        this.trace = trace;
        this.config = config;
        this.invariant = invariant;
        this.removed = removed;
        this.cpus = cpus;
    }

    /**
     * Reads what the replay needs from {@code trace}, a counterexample of {@code spec}: its
     * configuration ({@code configFile}, or the one its title names under model-configs/SPEC/),
     * the violated invariant, the fixes left out and the placement.
     */
    public static CounterexampleReplay of(Project project, Trace trace, String spec, Path configFile) throws ReplayException {
        String canonical = canonical(spec);
        Matcher title = TITLE.matcher(trace.meta().getOrDefault("title", ""));
        if (configFile == null && !title.matches()) {
            throw new ReplayException(ReplayException.Kind.INPUT, "the trace does not name its configuration (no title "
                    + "\"SPEC with CFG: ...\" in its #meta, as `l4smp check --out` writes)", "give --config CFG");
        }
        Path cfg = configFile != null ? configFile : project.configDir().resolve(canonical).resolve(title.group(2));
        String what = title.matches() ? title.group(3) : "";
        if (what.startsWith("the model holds") || trace.size() < 2) {
            throw new ReplayException(ReplayException.Kind.INPUT, "the trace is no counterexample (" + (what.isEmpty()
                    ? trace.size() + " state" : what) + "): nothing to replay", "replay a trace `l4smp check CFG --out X.itf.json` "
                    + "writes for a bug configuration (tags: bug)");
        }
        Matcher inv = INVARIANT.matcher(what);
        if (!inv.matches() && !what.equals("deadlock")) {
            throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "the counterexample shows \"" + what + "\"; the replay "
                    + "reproduces invariant violations and deadlocks only (liveness violations are not done)", null);
        }
        String text;
        ConfigHeader header;
        try {
            text = Files.readString(cfg);
            header = ConfigHeader.read(cfg);
        } catch (IOException e) {
            throw new ReplayException(ReplayException.Kind.INPUT, "cannot read the trace's configuration " + cfg + ": " + e.getMessage(),
                    "give --config CFG");
        }
        if (header.expect() != null && header.expect().kind() == ConfigHeader.Expectation.Kind.HOLDS) {
            throw new ReplayException(ReplayException.Kind.INPUT, cfg.getFileName() + " is a configuration that holds "
                    + "(expect: holds): it has no counterexample to replay", "replay a counterexample of a bug configuration "
                    + "(tags: bug), e.g. MigrationBarriersNoBarrier1.cfg");
        }
        Set<RemovedFix> removed = removedFixes(text, cfg);
        List<String> cpus = new ArrayList<>(new TreeSet<>(names(fun(trace.state(0).get("head"), "head").keySet())));
        CounterexampleReplay r = new CounterexampleReplay(project, trace, cfg.getFileName().toString(),
                inv.matches() ? inv.group(1) : null, removed, cpus);
        for (var e : new TreeMap<>(fun(trace.state(0).get("cpu"), "cpu")).entrySet()) {
            r.placement.put(name(e.getKey()), name(e.getValue()));
        }
        r.checkActions();
        return r;
    }

    private static String canonical(String spec) throws ReplayException {
        for (String s : SPECS) {
            if (s.equalsIgnoreCase(spec) || ("MC" + s).equalsIgnoreCase(spec)) {
                return s;
            }
        }
        throw new ReplayException(spec.matches("(?i)(MC)?(XpIpc|ProxyWakeup|UhligRace|XpMigration)")
                ? ReplayException.Kind.UNSUPPORTED : ReplayException.Kind.INPUT,
                "the replay cannot drive counterexamples of " + spec, "it replays " + String.join(", ", SPECS)
                        + " (docs/refine.md, \"Replaying a counterexample\")");
    }

    /** The switches whose fixes the cfg leaves out; a fix left out that has no switch is unsupported. */
    static Set<RemovedFix> removedFixes(String cfgText, Path cfg) throws ReplayException {
        Set<RemovedFix> removed = EnumSet.noneOf(RemovedFix.class);
        for (CfgText.Section s : CfgText.parse(cfgText).sections("CONSTANT")) {
            Matcher m = CONSTANT.matcher(s.body());
            while (m.find()) {
                String name = m.group(1);
                String value = m.group(2);
                if (value.equals("FALSE") && name.matches("With\\w+|SaveContextFirst|IgnoreSelfMigration|DoNotMigrateLock"
                        + "|SerialiseMigrations")) {
                    removed.add(RemovedFix.ofSpecConstant(name).orElseThrow(() -> new ReplayException(
                            ReplayException.Kind.UNSUPPORTED, cfg.getFileName() + ": " + name + " = FALSE has no kernel switch",
                            "the switches are: " + RemovedFix.scenarioNames() + " (docs/refine.md, \"Fault-injection switches\")")));
                }
            }
        }
        if (removed.isEmpty()) {
            throw new ReplayException(ReplayException.Kind.INPUT, cfg.getFileName() + " leaves no fix out: a configuration "
                    + "that holds has no counterexample to replay", "replay a counterexample of a bug configuration");
        }
        return RemovedFix.setOf(removed);
    }

    /** Every action of the trace must be one the follower can drive. */
    private void checkActions() throws ReplayException {
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            if (a == null) {
                throw new ReplayException(ReplayException.Kind.INPUT, "state " + i + " of the trace names no action",
                        "replay a trace `l4smp check --out X.itf.json` writes: it labels every step");
            }
            if (!cpus.contains(name(trace.state(i).get("by")))) {
                throw new ReplayException(ReplayException.Kind.INPUT, "state " + i + ": `by` is " + trace.state(i).get("by")
                        + ", not one of the CPUs " + cpus, "give --spec the spec the trace belongs to");
            }
            if (!ACTION_SEGMENTS.containsKey(a.name()) && !a.name().equals("DispatcherSwitch")) {
                throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "state " + i + ": the replay cannot drive " + a
                        + " on the kernel", "it drives DispatcherSwitch and the parts A, B and C of a migration");
            }
            if (a.name().equals("SchedulerIssue")) {
                issues.put(name(a.parameters().get("s")), new String[] {name(a.parameters().get("t")), name(a.parameters().get("d"))});
            }
        }
    }

    /** The scenario the trace describes: a task per thread, on its CPU; a scheduler calls thread_schedule once. */
    public String scenario() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("name", "replay-" + config.replaceAll("\\.cfg$", ""));
        root.put("description", "derived by `l4smp replay` from a counterexample of " + config + " ("
                + (invariant == null ? "deadlock" : "invariant " + invariant) + ")");
        root.putObject("machine").put("cpus", cpus.size()).put("memoryMB", 16);
        ArrayNode fixes = root.putObject("kernel").putArray("removedFixes");
        removed.forEach(f -> fixes.add(f.scenarioName()));
        root.putObject("run").put("steps", 200_000);
        ObjectNode programs = root.putObject("programs");
        ArrayNode mover = programs.putArray("mover");
        for (String line : List.of("        mov  eax, ${to}", "        shl  eax, 16", "        or   eax, 100", "        li   esi, ${who}",
                "        syscall thread_schedule", "        halt")) {
            mover.add(line);
        }
        ArrayNode worker = programs.putArray("worker");
        for (String line : List.of("loop:   compute 2000", "        jmp  loop")) {
            worker.add(line);
        }
        ArrayNode tasks = root.putArray("tasks");
        int number = 5;
        for (var e : placement.entrySet()) {
            ObjectNode task = tasks.addObject().put("name", e.getKey()).put("number", number++);
            ObjectNode thread = task.putArray("threads").addObject().put("name", "main")
                    .put("cpu", cpus.indexOf(e.getValue()));
            String[] issue = issues.get(e.getKey());
            // a scheduler runs before a thread that shares its CPU, as DispatcherSwitch picks it in the trace
            thread.put("priority", issue == null ? 100 : 200).put("program", issue == null ? "worker" : "mover");
            if (issue != null) {
                thread.putObject("args").put("to", String.valueOf(cpus.indexOf(issue[1]) + 1)).put("who", "@" + issue[0] + ".main");
            }
        }
        return root.toPrettyString();
    }

    /** The kernel switches the run gets. */
    public Set<RemovedFix> removed() {
        return removed;
    }

    /** The counterexample's violated invariant, or null for a deadlock. */
    public String invariant() {
        return invariant;
    }

    /**
     * Runs the derived scenario through the trace's interleaving and checks the run.
     *
     * @throws ReplayException NOT_REPRODUCED if the kernel leaves the trace
     */
    public Result run() throws ReplayException, SpecLoadException {
        String scenarioJson = scenario();
        Simulation sim;
        TraceFollower follower;
        KernelRun run;
        try {
            Scenario scenario = ScenarioReader.read(scenarioJson);
            List<TraceFollower.Expected> expected = new ArrayList<>();
            Simulation probe = Simulation.build(scenario);
            for (int i = 1; i < trace.size(); i++) {
                ActionLabel a = trace.state(i).action();
                int cpu = cpus.indexOf(name(trace.state(i).get("by")));
                if (a.name().equals("DispatcherSwitch")) {
                    expected.add(new TraceFollower.Expected(i, a.toString(), cpu, List.of(),
                            probe.thread(name(a.parameters().get("t")) + ".main"), null));
                } else {
                    PathSegment seg = ACTION_SEGMENTS.get(a.name());
                    expected.add(new TraceFollower.Expected(i, a.toString(), cpu, seg == PathSegment.MIGRATE_CALL
                            ? List.of(seg, PathSegment.MIGRATE_CALL_NOTHING) : List.of(seg), null,
                            a.parameters().get("switch") instanceof TlaValue.Bool b ? b.value() : null));
                }
            }
            expected = dispatchFirst(expected);
            Map<ThreadId, String> specThreads = new LinkedHashMap<>();
            placement.keySet().forEach(t -> specThreads.put(probe.thread(t + ".main"), t));
            follower = new TraceFollower(cpus.size(), expected, specThreads::get);
            sim = Simulation.build(scenario, follower);
            KernelRun recorded = new KernelRun(sim.kernel().view(), ConformanceCheck.names(sim), Integer.MAX_VALUE);
            run = recorded;
            TraceFollower f = follower;
            // the kernel has one listener: the run is recorded before the follower looks at the step
            sim.listener((step, view) -> {
                recorded.afterStep(step, view);
                f.afterStep(step, view);
            });
        } catch (ScenarioException e) {
            throw new IllegalStateException("the derived scenario does not load: " + e.getMessage() + "\n" + scenarioJson, e);
        }
        RunResult ended = sim.runUntil(follower::stopped, (long) TraceFollower.PATIENCE * trace.size());
        List<Row> rows = new ArrayList<>();
        for (TraceFollower.Match m : follower.matches()) {
            var s = m.step();
            List<String> subjects = new ArrayList<>();
            s.subjects().stream().filter(id -> id != null && !id.isNil()).distinct().forEach(id -> subjects.add(sim.name(id)));
            rows.add(new Row(m.expected().state(), m.expected().action(), name(trace.state(m.expected().state()).get("by")),
                    "step " + s.number() + " cpu" + s.cpu() + " " + s.label() + (subjects.isEmpty() ? "" : " " + subjects),
                    m.differs()));
        }
        if (follower.divergence() != null || rows.size() < trace.size() - 1) {
            throw new ReplayException(ReplayException.Kind.NOT_REPRODUCED, "the kernel left the trace after " + rows.size()
                    + " of its " + (trace.size() - 1) + " actions: " + (follower.divergence() != null ? follower.divergence() : "the machine stopped ("
                    + ended.reason() + ")"), null);
        }
        Stuck stuck = null;
        if (invariant == null) {
            List<String> progress = new ArrayList<>();
            Map<Integer, Set<String>> spinning = new TreeMap<>();
            int[] steps = {0};
            KernelRun recorded = run;
            sim.listener((step, view) -> {
                recorded.afterStep(step, view);
                steps[0]++;
                for (PathSegment seg : step.segments()) {
                    if (ACTION_SEGMENTS.containsValue(seg) || seg == PathSegment.MIGRATE_CALL_NOTHING) {
                        progress.add("step " + step.number() + " cpu" + step.cpu() + " " + seg.label());
                    } else if (seg.label().endsWith(".spin")) {
                        spinning.computeIfAbsent(step.cpu(), c -> new TreeSet<>()).add(seg.label());
                    }
                }
            });
            sim.run(STUCK_STEPS);
            stuck = new Stuck(steps[0], progress, spinning);
        }
        MigrationBarriersAbstraction abstraction;
        Trace kernelTrace;
        try {
            abstraction = new MigrationBarriersAbstraction(run);
            kernelTrace = abstraction.trace();
        } catch (IllegalArgumentException | IllegalStateException outside) {
            throw new ReplayException(ReplayException.Kind.NOT_REPRODUCED, "the kernel took the trace's actions, but its run "
                    + "is not one MigrationBarriers describes: " + outside.getMessage(), null);
        }
        String name = abstraction.spec() + "KernelRun";
        String moduleText = abstraction.module(name);
        TraceVerdict verdict;
        try (TraceChecker checker = KernelRefinement.load(project, abstraction.spec(), name, moduleText,
                abstraction.config(invariant == null ? List.of() : List.of(invariant), name))) {
            verdict = checker.check(kernelTrace);
        }
        return new Result(rows, removed, invariant, verdict, kernelTrace, scenarioJson, sim.machine().choices(), stuck);
    }

    /**
     * The expected actions with each CPU's first action moved to the front if it is a
     * DispatcherSwitch: the kernel starts each CPU's first thread when it comes up, and an IPI that
     * arrives at an idle CPU before that would be taken before the trace's next action there. The
     * switch touches only its CPU and thread, so it commutes with the other CPUs' actions before it;
     * its row shows its state number out of order.
     */
    private static List<TraceFollower.Expected> dispatchFirst(List<TraceFollower.Expected> expected) {
        List<TraceFollower.Expected> first = new ArrayList<>();
        List<TraceFollower.Expected> rest = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (TraceFollower.Expected e : expected) {
            (seen.add(e.cpu()) && e.runs() != null ? first : rest).add(e);
        }
        first.addAll(rest);
        return first;
    }

    private static Map<TlaValue, TlaValue> fun(TlaValue v, String variable) throws ReplayException {
        if (v instanceof TlaValue.Fun f) {
            return f.mapping();
        }
        throw new ReplayException(ReplayException.Kind.INPUT, "the trace's first state has no function " + variable
                + " (is it a MigrationBarriers trace?)", "give --spec the spec the trace belongs to");
    }

    private static List<String> names(Collection<TlaValue> values) {
        return values.stream().map(CounterexampleReplay::name).toList();
    }

    private static String name(TlaValue v) {
        return v instanceof TlaValue.ModelValue m ? m.name() : String.valueOf(v);
    }
}
