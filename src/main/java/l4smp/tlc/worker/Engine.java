package l4smp.tlc.worker;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Progress;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The boundary between the worker and TLC. Implementations live in {@code l4smp.tlc.engine} and
 * are loaded, together with TLC, by a fresh {@link IsolatedLoader} for every run, so that TLC's
 * static state starts clean each time. Only JDK types and l4smp's own plain values cross it.
 */
public interface Engine {

    /**
     * Runs TLC once.
     *
     * @param request  what to check
     * @param scratch  a private, empty directory for TLC's files (states, metadata); deleted after
     * @param progress told about twice a second while states are being explored
     */
    CheckResult run(CheckRequest request, Path scratch, Consumer<Progress> progress);

    /**
     * The behaviours TLC's simulator (its -simulate mode) generates: {@code traces} random
     * behaviours of at most {@code depth} states each, from {@code request.simulation()}; a
     * behaviour that deadlocks ends early. Deadlock is not an error here, violations are ignored.
     */
    java.util.List<l4smp.trace.Trace> behaviours(CheckRequest request, Path scratch);
}
