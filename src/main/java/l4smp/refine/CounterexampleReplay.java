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
 * From a TLC counterexample of a bug configuration (MigrationBarriers, ProxyWakeup, XpIpc) to a
 * kernel run that shows the same bug (issue 12 item 8). The trace's configuration (named in its
 * title, as {@code l4smp check --out} writes it) says which fixes are out; each becomes the
 * kernel's {@link RemovedFix} switch. A {@link ReplayedSpec} derives from the trace the placement
 * (spec CPUs in name order as cpu0, cpu1, ...), the programs, and the kernel step each action is;
 * a {@link TraceFollower} imposes the trace's interleaving on the machine. The kernel run is then
 * abstracted to the spec and checked with the counterexample's invariant: reproduced when that
 * invariant is violated. For a deadlock the run is checked with no invariant and must then be
 * stuck ({@link Stuck}).
 */
public final class CounterexampleReplay {
    /** The specs whose counterexamples can be replayed. */
    public static final List<String> SPECS = List.of(MigrationBarriersAbstraction.MODULE, ProxyWakeupAbstraction.MODULE,
            XpIpcAbstraction.MODULE);

    private static final Pattern TITLE = Pattern.compile("^(\\S+) with (\\S+\\.cfg): (.*)$");
    private static final Pattern INVARIANT = Pattern.compile("invariant (\\S+) is violated.*");
    static final Pattern CONSTANT = Pattern.compile("\\b(\\w+)\\s*=\\s*(TRUE|FALSE|\"[^\"]*\")");

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
        /** Stuck: the CPUs ran, but took none of the spec's actions (no migration part got past a barrier or lock). */
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
    private final ReplayedSpec spec;

    private CounterexampleReplay(Project project, Trace trace, String config, String invariant, Set<RemovedFix> removed,
                                 ReplayedSpec spec) {
        this.project = project;
        this.trace = trace;
        this.config = config;
        this.invariant = invariant;
        this.removed = removed;
        this.spec = spec;
    }

    /**
     * Reads what the replay needs from {@code trace}, a counterexample of {@code spec}: its
     * configuration ({@code configFile}, or the one its title names under model-configs/SPEC/),
     * the violated invariant, the fixes left out, the placement and the programs.
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
        ReplayedSpec replayed = switch (canonical) {
            case ProxyWakeupAbstraction.MODULE -> ProxyWakeupReplay.of(project, trace, text);
            case XpIpcAbstraction.MODULE -> XpIpcReplay.of(trace, text);
            default -> MigrationBarriersReplay.of(trace);
        };
        Set<RemovedFix> removed = removedFixes(text, cfg, replayed.fixConstants());
        return new CounterexampleReplay(project, trace, cfg.getFileName().toString(), inv.matches() ? inv.group(1) : null,
                removed, replayed);
    }

    private static String canonical(String spec) throws ReplayException {
        for (String s : SPECS) {
            if (s.equalsIgnoreCase(spec) || ("MC" + s).equalsIgnoreCase(spec)) {
                return s;
            }
        }
        throw new ReplayException(spec.matches("(?i)(MC)?(UhligRace|XpMigration)")
                ? ReplayException.Kind.UNSUPPORTED : ReplayException.Kind.INPUT,
                "the replay cannot drive counterexamples of " + spec, "it replays " + String.join(", ", SPECS)
                        + " (docs/refine.md, \"Replaying a counterexample\")");
    }

    /**
     * The switches whose fixes the cfg leaves out ({@code fixes} names the spec's fix constants);
     * a fix left out that has no switch is unsupported.
     */
    static Set<RemovedFix> removedFixes(String cfgText, Path cfg, Pattern fixes) throws ReplayException {
        Set<RemovedFix> removed = EnumSet.noneOf(RemovedFix.class);
        for (CfgText.Section s : CfgText.parse(cfgText).sections("CONSTANT")) {
            Matcher m = CONSTANT.matcher(s.body());
            while (m.find()) {
                String name = m.group(1);
                String value = m.group(2);
                // a flag = FALSE, or XpIpc's RemovedFix = "Fix": the fix is out
                String fix = value.equals("FALSE") ? name : value.startsWith("\"") && !value.equals("\"none\"")
                        ? value.substring(1, value.length() - 1) : null;
                if (fix != null && fixes.matcher(name).matches()) {
                    removed.add(RemovedFix.ofSpecConstant(fix).orElseThrow(() -> new ReplayException(
                            ReplayException.Kind.UNSUPPORTED, cfg.getFileName() + ": " + name + " = " + value + " has no kernel switch",
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

    /** The label of state {@code i}'s action; a state without one is bad input. */
    static ActionLabel action(Trace trace, int i) throws ReplayException {
        ActionLabel a = trace.state(i).action();
        if (a == null) {
            throw new ReplayException(ReplayException.Kind.INPUT, "state " + i + " of the trace names no action",
                    "replay a trace `l4smp check --out X.itf.json` writes: it labels every step");
        }
        return a;
    }

    /** The scenario the trace describes: a task per thread, on its CPU, with the programs the spec derives. */
    public String scenario() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("name", "replay-" + config.replaceAll("\\.cfg$", ""));
        root.put("description", "derived by `l4smp replay` from a counterexample of " + config + " ("
                + (invariant == null ? "deadlock" : "invariant " + invariant) + ")");
        root.putObject("machine").put("cpus", spec.cpus().size()).put("memoryMB", 16);
        ObjectNode kernel = root.putObject("kernel");
        spec.kernel(kernel);
        ArrayNode fixes = kernel.putArray("removedFixes");
        removed.forEach(f -> fixes.add(f.scenarioName()));
        root.putObject("run").put("steps", 200_000);
        spec.programsAndTasks(root);
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
            Simulation probe = Simulation.build(scenario);
            follower = new TraceFollower(spec.cpus().size(), spec.expected(probe), spec.actions(), spec.threadActions(),
                    spec.startsInUserMode(),
                    spec.specThreads(probe)::get);
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
            rows.add(new Row(m.expected().state(), m.expected().action(), spec.by(m.expected().state()),
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
                    if (spec.actions().contains(seg)) {
                        progress.add("step " + step.number() + " cpu" + step.cpu() + " " + seg.label());
                    } else if (seg.label().endsWith(".spin")) {
                        spinning.computeIfAbsent(step.cpu(), c -> new TreeSet<>()).add(seg.label());
                    }
                }
            });
            sim.run(STUCK_STEPS);
            stuck = new Stuck(steps[0], progress, spinning);
        }
        KernelRefinement.Abstraction abstraction;
        Trace kernelTrace;
        try {
            abstraction = spec.abstraction(run);
            kernelTrace = abstraction.trace();
        } catch (IllegalArgumentException | IllegalStateException outside) {
            throw new ReplayException(ReplayException.Kind.NOT_REPRODUCED, "the kernel took the trace's actions, but its run "
                    + "is not one " + spec.module() + " describes: " + outside.getMessage(), null);
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

    static Map<TlaValue, TlaValue> fun(TlaValue v, String variable) throws ReplayException {
        if (v instanceof TlaValue.Fun f) {
            return f.mapping();
        }
        throw new ReplayException(ReplayException.Kind.INPUT, "the trace's first state has no function " + variable
                + " (is it a trace of the spec --spec names?)", "give --spec the spec the trace belongs to");
    }

    static List<String> names(Collection<TlaValue> values) {
        return values.stream().map(CounterexampleReplay::name).toList();
    }

    static String name(TlaValue v) {
        return v instanceof TlaValue.ModelValue m ? m.name() : v instanceof TlaValue.Str s ? s.value() : String.valueOf(v);
    }
}
