package l4smp.tlc;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Runs TLC, one check at a time, in a long-lived worker JVM that loads TLC afresh for every run.
 *
 * <p>Why a worker and a fresh class loader (see docs/decisions/0003-tlc-isolation.md): TLC keeps
 * global static state, may call {@code System.exit}, leaks threads and RMI exports, and writes
 * files in its temporary directory. The worker keeps all of that out of the caller's JVM (the CLI,
 * the test JVM, the refinement checker) and a per-run class loader gives every run a clean TLC.
 * The worker is replaced after {@value #RUNS_PER_WORKER} runs, because each run leaks a little
 * memory that only a new JVM gets back, and after a timeout or a crash.
 */
public final class TlcDriver implements AutoCloseable {
    static final int RUNS_PER_WORKER = 16;

    private static TlcDriver shared;

    private WorkerProcess worker;

    /** The driver of this JVM; its worker (as every worker) is killed when the JVM exits, see {@link WorkerProcess}. */
    public static synchronized TlcDriver shared() {
        if (shared == null) shared = new TlcDriver();
        return shared;
    }

    public CheckResult check(CheckRequest request) {
        return check(request, p -> { });
    }

    public synchronized CheckResult check(CheckRequest request, Consumer<Progress> progress) {
        return PropertyBlame.narrow(this, request, checkOnce(request, progress));
    }

    /** One TLC run, reported as TLC saw it. */
    synchronized CheckResult checkOnce(CheckRequest request, Consumer<Progress> progress) {
        CheckResult unreadable = unreadableInput(request);
        if (unreadable != null) return unreadable;
        try {
            ensureWorker();
        } catch (IOException e) {
            return CheckResult.internalError("cannot start the TLC worker JVM: " + e.getMessage());
        }
        CheckResult result = worker.run(request, progress);
        if (!worker.isAlive()) worker = null;
        return result;
    }

    /**
     * The behaviours TLC's simulator generates for {@code request.simulation()} (traces and depth),
     * with its seed; deadlocked behaviours end early and nothing is checked on them.
     *
     * @throws IllegalStateException when the spec cannot be simulated (the message says why)
     */
    public synchronized java.util.List<l4smp.trace.Trace> behaviours(CheckRequest request) {
        if (request.simulation() == null) throw new IllegalArgumentException("behaviours needs a simulation (depth, traces)");
        try {
            ensureWorker();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the TLC worker JVM: " + e.getMessage(), e);
        }
        try {
            return worker.behaviours(request);
        } finally {
            if (!worker.isAlive()) worker = null;
        }
    }

    /** A spec or cfg that is no text (empty, binary, a directory): said plainly, before TLC garbles it. */
    static CheckResult unreadableInput(CheckRequest request) {
        String spec = TextFiles.moduleProblem(request.spec());
        if (spec != null) {
            return inputError(Outcome.PARSE_ERROR, request.spec(), spec + (spec.contains("MODULE") ? ""
                    : "; expected a TLA+ module, ---- MODULE " + Project.moduleName(request.spec()) + " ---- ... ===="));
        }
        String cfg = TextFiles.problem(request.config());
        if (cfg != null) {
            return inputError(Outcome.CONFIG_ERROR, request.config(), cfg + "; a cfg is a text file of TLC keywords "
                    + "(INIT, NEXT, CONSTANT, INVARIANT, ...)");
        }
        return null;
    }

    private static CheckResult inputError(Outcome outcome, java.nio.file.Path file, String problem) {
        SpecProblem p = new SpecProblem(file.toString(), null, 0, 0, file.getFileName() + " " + problem);
        return new CheckResult(outcome, null, java.util.List.of(), Statistics.NONE, null, java.util.List.of(p),
                java.util.List.of(), p.message());
    }

    private void ensureWorker() throws IOException {
        if (worker == null || !worker.isAlive() || worker.runs() >= RUNS_PER_WORKER) {
            if (worker != null) worker.close();
            worker = WorkerProcess.start();
        }
    }

    @Override
    public synchronized void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }
}
