package l4smp.refine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import l4smp.kernel.RemovedFix;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.MigrationCallView;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.refine.KernelSnapshot.ThreadSnap;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

/**
 * The abstraction function from the kernel to spec-tla/MigrationBarriers.tla, and the step labels.
 * Each {@code migrate.*} path segment is the spec action its {@link PathSegment} description names
 * (spin steps are none: they stutter); around them, the dispatcher's and the threads' steps are
 * the spec's Dispatcher*, Thread*, TimerWakeup and IpcWakeup. One atomic kernel step may be
 * several spec actions (a thread blocks, the dispatcher drops it lazily and picks another):
 * the trace then has one state per action, in that order.
 *
 * <p>REFINEMENT MAPPING (kernel class and field per spec variable; {@code tcb(t)} is t's
 * {@code l4smp.kernel.thread.Tcb}, {@code local(c)} CPU c's {@code l4smp.kernel.sched.ProcessorData},
 * {@code call(s)} the scheduler's {@code l4smp.kernel.migrate.MigrationCall}, {@code request(s)}
 * its {@code MigrationRequest}):
 * <ul>
 *   <li>{@code cpu[t]}: {@code tcb(t).cpu}.</li>
 *   <li>{@code st[t]}: waiting if {@code tcb(t).state} is not runnable, running if t is some
 *       {@code local(c).current}, else ready.</li>
 *   <li>{@code tmo[t]}: finite if t blocked with an entry in its CPU's {@code WakeupQueue}, else
 *       never (history: the kernel keeps the deadline, not the kind).</li>
 *   <li>{@code next}, {@code prev}, {@code head}: the members of {@code local(c).readyList} (every
 *       priority's ring); their ORDER is kept by the abstraction as the spec links and unlinks,
 *       because the kernel's round robin turns its rings (it moves {@code ReadyList.current[p]}),
 *       which the spec, with one ring per CPU and no time slices, leaves out. Membership is the
 *       kernel's, checked after every step.</li>
 *   <li>{@code prio[t]}: the parity of the exchanges of t's scheduling parameters
 *       ({@code ScheduleCall.exchange} in SchedulerCall with A = B, and SchedulerPassBarrier1);
 *       {@code listPrio[t]}: {@code prio[t]} when t was last linked (history).</li>
 *   <li>{@code wakeupQ[c]}: the threads in {@code local(c).wakeupQueue}.</li>
 *   <li>{@code current[c]}: {@code local(c).current}, Nil while the CPU idles or runs a thread
 *       the run does not check (a proxy).</li>
 *   <li>{@code part[c]}: {@code local(c).migrationPart}: {@code <<s, "B">>} or
 *       {@code <<s, "C">>}, s the request's scheduler.</li>
 *   <li>{@code aPc[s]}: {@code call(s).phase} while s is inside its thread_schedule (spin,
 *       wait1, wait2, return), idle before, done after; {@code bPc[s]}, {@code cPc[s]}:
 *       {@code request(s).bPhase}, {@code .cPhase} (none, triggered, wait2, done; C's wait3),
 *       kept after the record is freed.</li>
 *   <li>{@code tgt}, {@code aCpu}, {@code src}, {@code dst}, {@code arrived}, {@code cpuSet}:
 *       {@code request(s).thread}, {@code .initiator}, {@code .source}, {@code .target},
 *       {@code .arrived}, {@code .cpuSet} ({@code tgt} and {@code dst} from the call while it spins).</li>
 *   <li>{@code lock[t]}: {@code tcb(t).doNotMigrate} (the lock word at
 *       {@code TcbLine.GLOBAL_MODIFIED} + 28), as its request's scheduler.</li>
 *   <li>{@code mlock}: {@code Migration.lockHolder}, as its request's scheduler.</li>
 *   <li>{@code settled}, {@code by}: history, as in the spec.</li>
 * </ul>
 * Constants: {@code Thread} is the threads ready at the start of the run, {@code Scheduler} the
 * threads that call thread_schedule with a processor number, {@code MayMove[s]} the thread s
 * moves; the fixes are those the kernel implements, {@code SerialiseMigrations} as the run's
 * kernel was configured. The spec's scope bounds the runs this applies to: each scheduler calls
 * once, no call is refused (§8.5's pinned threads), no cross-processor operation runs (a
 * thread_schedule of a thread already on the CPU it names is one), and the checked threads make
 * no IPC but blocking ones with nil (sleep, halt); a run outside it is refused with a message
 * that says why.
 */
public final class MigrationBarriersAbstraction implements KernelRefinement.Abstraction {
    public static final String MODULE = "MigrationBarriers";
    static final List<String> VARIABLES = List.of("cpu", "st", "tmo", "next", "prev", "prio", "listPrio", "head", "wakeupQ",
            "current", "part", "aPc", "bPc", "cPc", "tgt", "aCpu", "src", "dst", "arrived", "cpuSet", "lock", "mlock",
            "settled", "by");
    private static final String RUNNING = "running";
    private static final String READY = "ready";
    private static final String WAITING = "waiting";

    private final KernelRun run;
    private final boolean serialised;
    private final TlaNames names;
    private final int cpus;
    private final List<ThreadId> threads = new ArrayList<>();
    private final Map<ThreadId, ThreadId> mayMove = new LinkedHashMap<>();

    private Ghost g;
    private List<TraceState> states;
    private int stepIndex;
    /** origin.get(i): the kernel step that produced trace state i. */
    private final List<Integer> origin = new ArrayList<>();

    /**
     * The run's kernel serialised its migrations (the fix) unless a migration ran without the
     * global lock ({@link l4smp.kernel.KernelConfig#withoutMigrationLock}).
     */
    public MigrationBarriersAbstraction(KernelRun run) {
        this.run = run;
        this.serialised = run.steps().stream().noneMatch(s -> !s.after().migration().requests().isEmpty()
                && s.after().migration().lock().isNil());
        this.names = new TlaNames(run);
        KernelSnapshot first = run.initial();
        this.cpus = first.cpus().size();
        for (List<ThreadId> list : first.migration().readyLists()) {
            for (ThreadId t : list) {
                ThreadSnap snap = first.thread(t);
                if (snap != null && snap.state().isRunnable()) {
                    threads.add(t);
                }
            }
        }
        for (KernelRun.Step s : run.steps()) {
            if (s.step().ran(PathSegment.XCPU_OPERATION_CALL)) {
                // e.g. thread_schedule of a thread already on the CPU it names: its other parameters
                // are set by the operation proxy of the thread's CPU, a thread the spec does not have
                throw outOfScope("a cross-processor operation (" + PathSegment.XCPU_OPERATION_CALL.label() + " at kernel step "
                        + (run.steps().indexOf(s) + 1) + ") runs on operation proxies");
            }
            for (var e : s.after().migration().calls().entrySet()) {
                ThreadId before = mayMove.putIfAbsent(e.getKey(), e.getValue().thread());
                if (before != null && !before.equals(e.getValue().thread())) {
                    throw outOfScope(run.name(e.getKey()) + " calls thread_schedule for two threads");
                }
            }
        }
    }

    private static IllegalArgumentException outOfScope(String why) {
        return new IllegalArgumentException("the run is outside MigrationBarriers' scope: " + why);
    }

    @Override
    public String spec() {
        return MODULE;
    }

    /** A module extending the spec with the run's model values and its MayMove function. */
    @Override
    public String module(String name) {
        StringBuilder m = new StringBuilder("---- MODULE ").append(name).append(" ----\n");
        m.append("\\* generated by l4smp from a kernel run\nEXTENDS ").append(MODULE).append('\n');
        List<String> values = new ArrayList<>(TlaNames.cpuNames(cpus));
        values.addAll(threadNames());
        m.append("CONSTANTS ").append(String.join(", ", values)).append('\n');
        m.append("RunMayMove == [s \\in Scheduler |-> ");
        if (mayMove.isEmpty()) {
            m.append("{}]\n");
        } else {
            m.append("CASE ");
            List<String> cases = new ArrayList<>();
            for (var e : mayMove.entrySet()) {
                cases.add("s = " + run.name(e.getKey()) + " -> {" + run.name(e.getValue()) + "}");
            }
            m.append(String.join("\n    [] ", cases)).append("]\n");
        }
        // Init's \E over every ordering of every CPU's ring is exponential in the threads; RunInit is
        // the same set of states: each ring, followed from its head, holds exactly its CPU's threads
        m.append("""
                RunInit ==
                    /\\ cpu \\in [Thread -> CPU]
                    /\\ \\A c \\in CPU : /\\ (head[c] = Nil) = ({t \\in Thread : cpu[t] = c} = {})
                                      /\\ head[c] # Nil => LET l == List(c) IN
                                            /\\ Range(l) = {t \\in Thread : cpu[t] = c} /\\ NoDuplicates(l)
                                            /\\ next[l[Len(l)]] = head[c]
                                            /\\ \\A i \\in DOMAIN l : prev[next[l[i]]] = l[i]
                    /\\ \\A t \\in Thread : next[t] # Nil
                    /\\ st = [t \\in Thread |-> Ready]
                    /\\ tmo = [t \\in Thread |-> TimeoutNever]
                    /\\ prio = [t \\in Thread |-> 0]
                    /\\ listPrio = [t \\in Thread |-> 0]
                    /\\ wakeupQ = [c \\in CPU |-> {}]
                    /\\ current = [c \\in CPU |-> Nil]
                    /\\ part = [c \\in CPU |-> Nil]
                    /\\ aPc = [s \\in Scheduler |-> "idle"]
                    /\\ bPc = [s \\in Scheduler |-> "none"]
                    /\\ cPc = [s \\in Scheduler |-> "none"]
                    /\\ tgt = [s \\in Scheduler |-> Nil]
                    /\\ aCpu = [s \\in Scheduler |-> Nil]
                    /\\ src = [s \\in Scheduler |-> Nil]
                    /\\ dst = [s \\in Scheduler |-> Nil]
                    /\\ arrived = [s \\in Scheduler |-> {}]
                    /\\ cpuSet = [s \\in Scheduler |-> FALSE]
                    /\\ lock = [t \\in Thread |-> Nil]
                    /\\ mlock = Nil
                    /\\ settled = [t \\in Thread |-> Nil]
                    /\\ by = Nil
                """);
        return m.append("====\n").toString();
    }

    @Override
    public String config(List<String> invariants, String moduleName) {
        StringBuilder cfg = new StringBuilder("\\* generated by l4smp from a kernel run: its CPUs, threads and schedulers\n");
        cfg.append("CONSTANTS\n");
        for (String v : TlaNames.cpuNames(cpus)) {
            cfg.append("    ").append(v).append(" = ").append(v).append('\n');
        }
        for (String v : threadNames()) {
            cfg.append("    ").append(v).append(" = ").append(v).append('\n');
        }
        cfg.append("    CPU = {").append(String.join(", ", TlaNames.cpuNames(cpus))).append("}\n");
        cfg.append("    Thread = {").append(String.join(", ", threadNames())).append("}\n");
        cfg.append("    Scheduler = {").append(String.join(", ", mayMove.keySet().stream().map(run::name).toList())).append("}\n");
        cfg.append("    MayMove <- RunMayMove\n");
        cfg.append("    Nil = Nil\n");
        for (String flag : List.of("WithBarrier1", "WithBarrier2", "WithBarrier2A", "WithBarrier3", "SaveContextFirst",
                "IgnoreSelfMigration", "DoNotMigrateLock")) {
            // a fix the kernel left out (fault injection) is left out of the spec too, so the bug shows as the spec's
            boolean removed = run.removedFixes().stream().anyMatch(f -> f.specConstant().equals(flag));
            cfg.append("    ").append(flag).append(removed ? " = FALSE\n" : " = TRUE\n");
        }
        cfg.append("    SerialiseMigrations = ").append(serialised ? "TRUE" : "FALSE").append('\n');
        cfg.append(TlaNames.behaviourAndInvariants("RunInit", invariants));
        return cfg.toString();
    }

    private List<String> threadNames() {
        return threads.stream().map(run::name).toList();
    }

    // ---- the trace ----

    @Override
    public Trace trace() {
        KernelSnapshot first = run.initial();
        g = new Ghost();
        for (ThreadId t : threads) {
            g.cpu.put(t, first.thread(t).cpu());
            g.st.put(t, READY);
            g.tmo.put(t, "never");
            g.prio.put(t, 0);
            g.listPrio.put(t, 0);
        }
        for (int c = 0; c < cpus; c++) {
            if (checked(first.cpus().get(c).current()) != null) {
                throw outOfScope("cpu" + c + " runs a thread before the first step");
            }
            for (ThreadId t : first.migration().readyLists().get(c)) {
                if (threads.contains(t)) {
                    g.link(c, t);
                }
            }
        }
        for (ThreadId s : mayMove.keySet()) {
            g.aPc.put(s, "idle");
            g.bPc.put(s, "none");
            g.cPc.put(s, "none");
            g.arrived.put(s, new LinkedHashSet<>());
            g.cpuSet.put(s, false);
        }
        states = new ArrayList<>();
        states.add(new TraceState(g.values(), null));
        origin.clear();
        origin.add(0);
        KernelSnapshot before = first;
        stepIndex = 0;
        for (KernelRun.Step s : run.steps()) {
            stepIndex++;
            step(s.step(), before, s.after());
            try {
                compare(s.step(), s.after());
            } catch (IllegalStateException diverged) {
                if (run.removedFixes().isEmpty()) {
                    throw diverged;
                }
                // a kernel without a fix (fault injection) leaves the spec's state here: the states up
                // to this step show the bug, as the spec's counterexample does; the rest cannot be mapped
                break;
            }
            before = s.after();
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "l4smp kernel run");
        meta.put("spec", MODULE);
        return new Trace(VARIABLES, states, null, null, meta);
    }

    private void emit(int cpu, String action, Object... parameters) {
        g.by = cpu;
        Map<String, TlaValue> p = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            p.put((String) parameters[i], (TlaValue) parameters[i + 1]);
        }
        states.add(new TraceState(g.values(), new ActionLabel(action, p, null)));
        origin.add(stepIndex);
    }

    @Override
    public int kernelStep(int state) {
        return state < origin.size() ? origin.get(state) : stepIndex;
    }

    /** A checked thread, or null for nil and the threads the spec does not see. */
    private ThreadId checked(ThreadId id) {
        return id == null || id.isNil() || !threads.contains(id) ? null : id;
    }

    private TlaValue t(ThreadId id) {
        return names.thread(id);
    }

    private void step(KernelStep step, KernelSnapshot before, KernelSnapshot after) {
        int c = step.cpu();
        for (int i = 0; i < step.segments().size(); i++) {
            migrationAction(step.segments().get(i), step.subjects().get(i), c, after);
        }
        dispatch(c, after);
    }

    /** The migration action of a {@code migrate.*} segment, applied to the ghost and emitted. */
    private void migrationAction(PathSegment seg, ThreadId subject, int c, KernelSnapshot after) {
        switch (seg) {
            case MIGRATE_ISSUE -> {
                ThreadId s = g.current[c];
                MigrationCallView call = s == null ? null : after.migration().calls().get(s);
                if (call == null || !"idle".equals(g.aPc.get(s))) {
                    throw outOfScope(stepText() + "a thread_schedule call begins on cpu" + c + " that the spec cannot issue "
                            + "(a second call of one scheduler, or a caller it does not check)");
                }
                ThreadId t = checked(call.thread());
                if (t == null) {
                    throw outOfScope(stepText() + "the thread to move is not one the spec checks");
                }
                g.aPc.put(s, "spin");
                g.tgt.put(s, t);
                g.dst.put(s, call.targetCpu());
                emit(c, "SchedulerIssue", "s", t(s), "t", t(t), "d", TlaNames.cpu(call.targetCpu()));
            }
            case MIGRATE_CALL_NOTHING -> {
                ThreadId s = caller(c);
                g.aPc.put(s, "done");
                emit(c, "SchedulerCall", "s", t(s));
            }
            case MIGRATE_CALL -> {
                ThreadId s = caller(c);
                ThreadId t = g.tgt.get(s);
                int b = g.cpu.get(t);
                int d = g.dst.get(s);
                g.aPc.put(s, b == c ? "wait2" : "wait1");
                g.aCpu.put(s, c);
                g.src.put(s, b);
                g.bPc.put(s, b == c ? "none" : "triggered");
                g.cPc.put(s, d == c ? "none" : "triggered");
                g.arrived.get(s).add("A1");
                if (b == c) {
                    g.arrived.get(s).add("A2");
                    g.prio.merge(t, 1, (x, y) -> 1 - x);
                }
                if (!run.removedFixes().contains(RemovedFix.DO_NOT_MIGRATE_LOCK)) {
                    g.lock.put(t, s);
                }
                if (serialised) {
                    g.mlock = s;
                }
                emit(c, "SchedulerCall", "s", t(s));
            }
            case MIGRATE_PASS_BARRIER1 -> {
                ThreadId s = caller(c);
                g.aPc.put(s, "wait2");
                g.arrived.get(s).add("A2");
                g.prio.merge(g.tgt.get(s), 1, (x, y) -> 1 - x);
                emit(c, "SchedulerPassBarrier1", "s", t(s));
            }
            case MIGRATE_PASS_BARRIER2 -> {
                ThreadId s = caller(c);
                g.aPc.put(s, "return");
                if (g.src.get(s) == c) {
                    g.bPc.put(s, "triggered");
                }
                if (g.dst.get(s) == c) {
                    g.cPc.put(s, "triggered");
                }
                emit(c, "SchedulerPassBarrier2", "s", t(s));
            }
            case MIGRATE_RETURN -> {
                ThreadId s = caller(c);
                g.aPc.put(s, "done");
                g.releaseIfLast(s);
                emit(c, "SchedulerReturn", "s", t(s));
            }
            case MIGRATE_SOURCE_ENTER -> {
                ThreadId s = request(subject, "bPc", "triggered");
                ThreadId t = g.tgt.get(s);
                g.part[c] = "B";
                g.partOf[c] = s;
                if (g.next.get(t) != null) {
                    g.unlink(c, t);
                }
                g.wakeupQ.get(c).remove(t);
                g.arrived.get(s).add("B1");
                if (!run.removedFixes().contains(RemovedFix.BARRIER_2)) {
                    g.arrived.get(s).add("B2");
                }
                g.bPc.put(s, "wait2");
                emit(c, "SourceEnter", "s", t(s));
            }
            case MIGRATE_SOURCE_PASS_BARRIER2 -> {
                ThreadId s = request(subject, "bPc", "wait2");
                ThreadId t = g.tgt.get(s);
                g.cpu.put(t, g.dst.get(s));
                g.cpuSet.put(s, true);
                if (Objects.equals(g.lock.get(t), s)) {
                    g.lock.remove(t);
                }
                g.settled.remove(t);
                if (t.equals(g.current[c])) {
                    g.current[c] = null;
                    g.st.put(t, READY);
                }
                g.part[c] = null;
                g.partOf[c] = null;
                g.bPc.put(s, "done");
                g.releaseIfLast(s);
                emit(c, "SourcePassBarrier2", "s", t(s));
            }
            case MIGRATE_TARGET_ENTER -> {
                ThreadId s = request(subject, "cPc", "triggered");
                g.part[c] = "C";
                g.partOf[c] = s;
                g.arrived.get(s).add("C2");
                g.cPc.put(s, "wait2");
                emit(c, "TargetEnter", "s", t(s));
            }
            case MIGRATE_TARGET_PASS_BARRIER2 -> {
                ThreadId s = request(subject, "cPc", "wait2");
                ThreadId t = g.tgt.get(s);
                if (!g.st.get(t).equals(WAITING)) {
                    g.link(c, t);
                } else if (g.tmo.get(t).equals("finite")) {
                    g.wakeupQ.get(c).add(t);
                }
                g.cPc.put(s, "wait3");
                emit(c, "TargetPassBarrier2", "s", t(s));
            }
            case MIGRATE_TARGET_PASS_BARRIER3 -> {
                ThreadId s = request(subject, "cPc", "wait3");
                ThreadId t = g.tgt.get(s);
                ThreadId u = g.current[c];
                boolean switched = t.equals(checked(after.cpus().get(c).current())) && !t.equals(u);
                if (switched) {
                    g.current[c] = t;
                    g.st.put(t, RUNNING);
                    if (u != null) {
                        g.st.put(u, READY);
                    }
                }
                g.part[c] = null;
                g.partOf[c] = null;
                g.cPc.put(s, "done");
                g.settled.put(t, c);
                g.releaseIfLast(s);
                emit(c, "TargetPassBarrier3", "s", t(s), "switch", TlaValue.of(switched));
            }
            case MIGRATE_RETRY, MIGRATE_RETRY_DUE, MIGRATE_SOURCE_REFUSE, MIGRATE_TARGET_LEAVE, SEND_RESTART ->
                    throw outOfScope(stepText() + "a migration request was refused or moved an IPC (" + seg.label()
                            + "): MigrationBarriers has no IPC; §8.5 is XpMigration's");
            default -> {
            }
        }
    }

    private String stepText() {
        return "kernel step " + stepIndex + ": ";
    }

    /** The scheduler whose call runs on CPU c (it is the thread there). */
    private ThreadId caller(int c) {
        ThreadId s = g.current[c];
        if (s == null || !mayMove.containsKey(s)) {
            throw new IllegalStateException(stepText() + "a step of part A on cpu" + c + " while no scheduler runs there");
        }
        return s;
    }

    /** The scheduler of the request moving {@code t} whose part is in {@code phase}. */
    private ThreadId request(ThreadId t, String part, String phase) {
        for (ThreadId s : mayMove.keySet()) {
            String pc = part.equals("bPc") ? g.bPc.get(s) : g.cPc.get(s);
            if (t.equals(g.tgt.get(s)) && phase.equals(pc)) {
                return s;
            }
        }
        throw new IllegalStateException(stepText() + "no request moves " + run.name(t) + " with its " + part + " " + phase);
    }

    /**
     * What the step did besides migration, in the order the spec can take it: the thread that ran
     * yields or blocks, the dispatcher drops waiting threads lazily, threads are woken, the
     * dispatcher switches to the thread the kernel runs now.
     */
    private void dispatch(int c, KernelSnapshot after) {
        ThreadId now = checked(after.cpus().get(c).current());
        List<ThreadId> members = after.migration().readyLists().get(c);
        List<ThreadId> drops = new ArrayList<>();
        for (ThreadId x : g.members(c)) {
            if (!members.contains(x)) {
                drops.add(x);
            }
        }
        ThreadId was = g.current[c];
        if (was != null && g.part[c] == null && (!was.equals(now) || !runnable(after, was) || !drops.isEmpty())) {
            if (runnable(after, was)) {
                g.st.put(was, READY);
                g.current[c] = null;
                emit(c, "ThreadYield", "t", t(was));
            } else {
                boolean finite = after.cpus().get(c).wakeupQueue().contains(was);
                g.st.put(was, WAITING);
                g.tmo.put(was, finite ? "finite" : "never");
                if (finite) {
                    g.wakeupQ.get(c).add(was);
                }
                g.current[c] = null;
                emit(c, "ThreadBlock", "t", t(was), "to", TlaValue.str(finite ? "finite" : "never"));
            }
        }
        for (ThreadId x : drops) {
            g.unlink(c, x);
            emit(c, "DispatcherDropWaiting", "c", TlaNames.cpu(c), "t", t(x));
        }
        for (ThreadId x : threads) {
            if (g.cpu.get(x) == c && g.st.get(x).equals(WAITING) && runnable(after, x)) {
                boolean timer = g.wakeupQ.get(c).remove(x);
                g.st.put(x, READY);
                if (g.next.get(x) == null) {
                    g.link(c, x);
                }
                emit(c, timer ? "TimerWakeup" : "IpcWakeup", "c", TlaNames.cpu(c), "t", t(x));
            }
        }
        if (now != null && g.current[c] == null && g.part[c] == null) {
            g.current[c] = now;
            g.st.put(now, RUNNING);
            emit(c, "DispatcherSwitch", "c", TlaNames.cpu(c), "t", t(now));
        }
    }

    private static boolean runnable(KernelSnapshot s, ThreadId t) {
        ThreadSnap snap = s.thread(t);
        return snap != null && snap.state().isRunnable();
    }

    /** The kernel after the step, and the spec's state after the actions it was taken as, agree. */
    private void compare(KernelStep step, KernelSnapshot after) {
        List<String> diffs = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            Set<ThreadId> kernelMembers = new LinkedHashSet<>();
            for (ThreadId t : after.migration().readyLists().get(c)) {
                if (checked(t) != null) {
                    kernelMembers.add(t);
                }
            }
            if (!kernelMembers.equals(new LinkedHashSet<>(g.members(c)))) {
                diffs.add("cpu" + c + "'s ready list " + kernelMembers + ", the spec's " + g.members(c));
            }
            ThreadId current = checked(after.cpus().get(c).current());
            if (!Objects.equals(current, g.current[c])) {
                diffs.add("cpu" + c + " runs " + current + ", the spec's " + g.current[c]);
            }
            Set<ThreadId> queued = new LinkedHashSet<>();
            for (ThreadId t : after.cpus().get(c).wakeupQueue()) {
                if (checked(t) != null) {
                    queued.add(t);
                }
            }
            if (!queued.equals(g.wakeupQ.get(c))) {
                diffs.add("cpu" + c + "'s wakeup queue " + queued + ", the spec's " + g.wakeupQ.get(c));
            }
        }
        for (ThreadId t : threads) {
            ThreadSnap snap = after.thread(t);
            if (snap == null || snap.cpu() != g.cpu.get(t)) {
                diffs.add(run.name(t) + " is on cpu" + (snap == null ? "?" : snap.cpu()) + ", the spec's cpu" + g.cpu.get(t));
            } else if (snap.state().isRunnable() == g.st.get(t).equals(WAITING)) {
                diffs.add(run.name(t) + " is " + snap.state().label() + ", the spec's " + g.st.get(t));
            }
            ThreadId holder = after.migration().locks().get(t);
            if (!Objects.equals(holder, g.lock.get(t))) {
                diffs.add(run.name(t) + "'s do-not-migrate lock is held by " + holder + ", the spec's " + g.lock.get(t));
            }
        }
        ThreadId mlock = after.migration().lock().isNil() ? null : after.migration().lock();
        if (!Objects.equals(mlock, g.mlock)) {
            diffs.add("the migration lock is held by " + mlock + ", the spec's " + g.mlock);
        }
        if (!diffs.isEmpty()) {
            throw new IllegalStateException(stepText() + "cpu" + step.cpu() + " " + step.segments()
                    + " leaves the kernel where the spec is not: " + String.join("; ", diffs));
        }
    }

    // ---- the spec's state, as the actions leave it ----

    private final class Ghost {
        final Map<ThreadId, Integer> cpu = new HashMap<>();
        final Map<ThreadId, String> st = new HashMap<>();
        final Map<ThreadId, String> tmo = new HashMap<>();
        final Map<ThreadId, ThreadId> next = new HashMap<>();
        final Map<ThreadId, ThreadId> prev = new HashMap<>();
        final Map<ThreadId, Integer> prio = new HashMap<>();
        final Map<ThreadId, Integer> listPrio = new HashMap<>();
        final ThreadId[] head = new ThreadId[cpus];
        final List<Set<ThreadId>> wakeupQ = new ArrayList<>();
        final ThreadId[] current = new ThreadId[cpus];
        /** part[c] is {@code <<partOf[c], part[c]>>}: the request's scheduler and "B" or "C". */
        final String[] part = new String[cpus];
        final ThreadId[] partOf = new ThreadId[cpus];
        final Map<ThreadId, String> aPc = new HashMap<>();
        final Map<ThreadId, String> bPc = new HashMap<>();
        final Map<ThreadId, String> cPc = new HashMap<>();
        final Map<ThreadId, ThreadId> tgt = new HashMap<>();
        final Map<ThreadId, Integer> aCpu = new HashMap<>();
        final Map<ThreadId, Integer> src = new HashMap<>();
        final Map<ThreadId, Integer> dst = new HashMap<>();
        final Map<ThreadId, Set<String>> arrived = new HashMap<>();
        final Map<ThreadId, Boolean> cpuSet = new HashMap<>();
        final Map<ThreadId, ThreadId> lock = new HashMap<>();
        ThreadId mlock;
        final Map<ThreadId, Integer> settled = new HashMap<>();
        Integer by;

        Ghost() {
            for (int c = 0; c < cpus; c++) {
                wakeupQ.add(new LinkedHashSet<>());
            }
        }

        /** Link(c, t): at the tail of c's ring, with t's current priority. */
        void link(int c, ThreadId t) {
            listPrio.put(t, prio.get(t));
            ThreadId h = head[c];
            if (h == null) {
                next.put(t, t);
                prev.put(t, t);
                head[c] = t;
            } else {
                ThreadId tail = prev.get(h);
                next.put(tail, t);
                next.put(t, h);
                prev.put(h, t);
                prev.put(t, tail);
            }
        }

        /** Unlink(c, t). */
        void unlink(int c, ThreadId t) {
            ThreadId n = next.get(t);
            if (n == null) {
                // t's links are lost (a kernel without barrier (=2), fault injection): the state this
                // step leaves breaks NoLostOrDanglingLinksInv, which the checker reports
                return;
            }
            if (n.equals(t)) {
                head[c] = null;
            } else {
                ThreadId p = prev.get(t);
                next.put(p, n);
                prev.put(n, p);
                if (t.equals(head[c])) {
                    head[c] = n;
                }
            }
            next.remove(t);
            prev.remove(t);
        }

        List<ThreadId> members(int c) {
            List<ThreadId> out = new ArrayList<>();
            ThreadId x = head[c];
            while (x != null && out.size() <= threads.size()) {
                out.add(x);
                x = next.get(x);
                if (Objects.equals(x, head[c])) {
                    break;
                }
            }
            return out;
        }

        /** ReleaseIfLast(s, ...): the last of A, B and C to finish lets the global lock go. */
        void releaseIfLast(ThreadId s) {
            boolean done = aPc.get(s).equals("done") && Set.of("none", "done").contains(bPc.get(s))
                    && Set.of("none", "done").contains(cPc.get(s));
            if (done && s.equals(mlock)) {
                mlock = null;
            }
        }

        Map<String, TlaValue> values() {
            Map<String, TlaValue> v = new LinkedHashMap<>();
            v.put("cpu", perThread(x -> TlaNames.cpu(cpu.get(x))));
            v.put("st", perThread(x -> TlaValue.str(st.get(x))));
            v.put("tmo", perThread(x -> TlaValue.str(tmo.get(x))));
            v.put("next", perThread(x -> thread(next.get(x))));
            v.put("prev", perThread(x -> thread(prev.get(x))));
            v.put("prio", perThread(x -> TlaValue.of(prio.get(x))));
            v.put("listPrio", perThread(x -> TlaValue.of(listPrio.get(x))));
            v.put("head", perCpu(c -> thread(head[c])));
            v.put("wakeupQ", perCpu(c -> TlaValue.set(wakeupQ.get(c).stream().map(names::thread).toList())));
            v.put("current", perCpu(c -> thread(current[c])));
            v.put("part", perCpu(c -> partOf[c] == null ? TlaNames.NIL
                    : TlaValue.seq(names.thread(partOf[c]), TlaValue.str(part[c]))));
            v.put("aPc", perScheduler(s -> TlaValue.str(aPc.get(s))));
            v.put("bPc", perScheduler(s -> TlaValue.str(bPc.get(s))));
            v.put("cPc", perScheduler(s -> TlaValue.str(cPc.get(s))));
            v.put("tgt", perScheduler(s -> thread(tgt.get(s))));
            v.put("aCpu", perScheduler(s -> cpuOrNil(aCpu.get(s))));
            v.put("src", perScheduler(s -> cpuOrNil(src.get(s))));
            v.put("dst", perScheduler(s -> cpuOrNil(dst.get(s))));
            v.put("arrived", perScheduler(s -> TlaValue.set(arrived.get(s).stream().map(TlaValue::str).toList())));
            v.put("cpuSet", perScheduler(s -> TlaValue.of(cpuSet.get(s))));
            v.put("lock", perThread(x -> thread(lock.get(x))));
            v.put("mlock", thread(mlock));
            v.put("settled", perThread(x -> cpuOrNil(settled.get(x))));
            v.put("by", cpuOrNil(by));
            return v;
        }

        private TlaValue thread(ThreadId id) {
            return id == null ? TlaNames.NIL : names.thread(id);
        }

        private TlaValue cpuOrNil(Integer c) {
            return c == null ? TlaNames.NIL : TlaNames.cpu(c);
        }

        private TlaValue perThread(java.util.function.Function<ThreadId, TlaValue> f) {
            Map<TlaValue, TlaValue> m = new LinkedHashMap<>();
            threads.forEach(x -> m.put(names.thread(x), f.apply(x)));
            return TlaValue.fun(m);
        }

        private TlaValue perScheduler(java.util.function.Function<ThreadId, TlaValue> f) {
            Map<TlaValue, TlaValue> m = new LinkedHashMap<>();
            mayMove.keySet().forEach(x -> m.put(names.thread(x), f.apply(x)));
            return TlaValue.fun(m);
        }

        private TlaValue perCpu(java.util.function.IntFunction<TlaValue> f) {
            Map<TlaValue, TlaValue> m = new LinkedHashMap<>();
            for (int c = 0; c < cpus; c++) {
                m.put(TlaNames.cpu(c), f.apply(c));
            }
            return TlaValue.fun(m);
        }
    }
}
