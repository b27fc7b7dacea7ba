package l4smp.refine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.workload.Simulation;

/**
 * MigrationBarriers' counterexamples on the kernel (decision 0009): a task per spec thread on its
 * CPU, each {@code SchedulerIssue(s, t, d)} a {@code thread_schedule(t, d)} call of s at priority
 * 200, every other thread computing at 100; each action is a {@code migrate.*} segment on the
 * trace's {@code by} CPU, each {@code DispatcherSwitch(c, t)} a step after which c runs t.
 */
final class MigrationBarriersReplay implements ReplayedSpec {
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

    private static final Pattern FIXES = Pattern.compile("With\\w+|SaveContextFirst|IgnoreSelfMigration|DoNotMigrateLock"
            + "|SerialiseMigrations");

    private final Trace trace;
    private final List<String> cpus;
    private final Map<String, String> placement = new LinkedHashMap<>();
    private final Map<String, String[]> issues = new LinkedHashMap<>();

    private MigrationBarriersReplay(Trace trace, List<String> cpus) {
        this.trace = trace;
        this.cpus = cpus;
    }

    /** Reads the placement and the thread_schedule calls; every action must be one the replay drives. */
    static MigrationBarriersReplay of(Trace trace) throws ReplayException {
        MigrationBarriersReplay r = new MigrationBarriersReplay(trace,
                new ArrayList<>(new TreeSet<>(CounterexampleReplay.names(CounterexampleReplay.fun(trace.state(0).get("head"), "head").keySet()))));
        for (var e : new TreeMap<>(CounterexampleReplay.fun(trace.state(0).get("cpu"), "cpu")).entrySet()) {
            r.placement.put(CounterexampleReplay.name(e.getKey()), CounterexampleReplay.name(e.getValue()));
        }
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = CounterexampleReplay.action(trace, i);
            if (!r.cpus.contains(r.by(i))) {
                throw new ReplayException(ReplayException.Kind.INPUT, "state " + i + ": `by` is " + trace.state(i).get("by")
                        + ", not one of the CPUs " + r.cpus, "give --spec the spec the trace belongs to");
            }
            if (!ACTION_SEGMENTS.containsKey(a.name()) && !a.name().equals("DispatcherSwitch")) {
                throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "state " + i + ": the replay cannot drive " + a
                        + " on the kernel", "it drives DispatcherSwitch and the parts A, B and C of a migration");
            }
            if (a.name().equals("SchedulerIssue")) {
                r.issues.put(CounterexampleReplay.name(a.parameters().get("s")),
                        new String[] {CounterexampleReplay.name(a.parameters().get("t")), CounterexampleReplay.name(a.parameters().get("d"))});
            }
        }
        return r;
    }

    @Override
    public String module() {
        return MigrationBarriersAbstraction.MODULE;
    }

    @Override
    public Pattern fixConstants() {
        return FIXES;
    }

    @Override
    public Set<PathSegment> actions() {
        Set<PathSegment> s = new LinkedHashSet<>(ACTION_SEGMENTS.values());
        s.add(PathSegment.MIGRATE_CALL_NOTHING);
        return s;
    }

    @Override
    public List<String> cpus() {
        return cpus;
    }

    @Override
    public String by(int i) {
        return CounterexampleReplay.name(trace.state(i).get("by"));
    }

    @Override
    public void programsAndTasks(ObjectNode root) {
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
    }

    @Override
    public List<TraceFollower.Expected> expected(Simulation probe) {
        List<TraceFollower.Expected> expected = new ArrayList<>();
        for (int i = 1; i < trace.size(); i++) {
            ActionLabel a = trace.state(i).action();
            int cpu = cpus.indexOf(by(i));
            if (a.name().equals("DispatcherSwitch")) {
                expected.add(new TraceFollower.Expected(i, a.toString(), cpu, List.of(), null,
                        probe.thread(CounterexampleReplay.name(a.parameters().get("t")) + ".main"), null, false));
            } else {
                PathSegment seg = ACTION_SEGMENTS.get(a.name());
                // the IPI that triggers B or C is let in before the part's entry, not earlier: taken early it
                // would enter the part before the trace's own next action on that CPU
                boolean entry = seg == PathSegment.MIGRATE_SOURCE_ENTER || seg == PathSegment.MIGRATE_TARGET_ENTER;
                expected.add(new TraceFollower.Expected(i, a.toString(), cpu, seg == PathSegment.MIGRATE_CALL
                        ? List.of(seg, PathSegment.MIGRATE_CALL_NOTHING) : List.of(seg), null, null,
                        a.parameters().get("switch") instanceof TlaValue.Bool b ? b.value() : null, entry));
            }
        }
        return dispatchFirst(expected);
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

    @Override
    public Map<ThreadId, String> specThreads(Simulation probe) {
        Map<ThreadId, String> specThreads = new LinkedHashMap<>();
        placement.keySet().forEach(t -> specThreads.put(probe.thread(t + ".main"), t));
        return specThreads;
    }

    @Override
    public KernelRefinement.Abstraction abstraction(KernelRun run) {
        return new MigrationBarriersAbstraction(run);
    }
}
