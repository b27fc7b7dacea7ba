package l4smp.refine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.thread.ThreadId;
import l4smp.workload.Simulation;

/**
 * What {@link CounterexampleReplay} needs to know of one spec: which of its cfg's constants are
 * fixes, where each action of a trace runs, the scenario a trace describes (placement and
 * programs), the kernel step each action is, and the abstraction that judges the run. One
 * instance per trace, made after the trace's actions were checked.
 */
interface ReplayedSpec {
    /** The spec's module name. */
    String module();

    /** The cfg constants that select a fix: {@code = FALSE} leaves it out. */
    Pattern fixConstants();

    /** The kernel path segments that are actions of the spec: a step running one must be the trace's next action. */
    Set<PathSegment> actions();

    /** Of {@link #actions()}, those that are an action only when they run for one of the spec's threads. */
    default Set<PathSegment> threadActions() {
        return Set.of();
    }

    /**
     * Whether each CPU runs until it is in user mode before the trace's first action: a CPU that
     * first leaves the kernel later runs check_n_ack then if a mailbox of its is flagged.
     */
    default boolean startsInUserMode() {
        return false;
    }

    /** The spec CPUs, in name order: the n-th is the kernel's cpu n. */
    List<String> cpus();

    /** The spec CPU that takes the action leading to state {@code i}. */
    String by(int i);

    /** Adds the derived programs and tasks to the scenario {@code root}. */
    void programsAndTasks(ObjectNode root);

    /** The trace's actions as the kernel must take them, with the threads {@code probe} (the scenario built) has. */
    List<TraceFollower.Expected> expected(Simulation probe) throws ReplayException;

    /** The kernel threads that are the spec's threads, with their spec names. */
    Map<ThreadId, String> specThreads(Simulation probe);

    /** The abstraction of the recorded run to the spec. */
    KernelRefinement.Abstraction abstraction(KernelRun run);

    /** What the scenario's kernel section needs besides the switches (e.g. one proxy per CPU pair). */
    default void kernel(ObjectNode kernel) {
    }
}
