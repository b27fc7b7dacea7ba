package l4smp.refine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.tlc.TempDirs;
import l4smp.tlc.TlcDriver;
import l4smp.trace.Trace;
import l4smp.trace.format.CfgText;
import l4smp.trace.format.TlaTraceModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The classic way to check a trace: write it as a TLA+ module whose only behaviour is the trace
 * taken by the spec's own Init and Next ({@link TlaTraceModule}), and let TLC model-check that.
 * TLC explores the trace as far as the spec allows: it deadlocks at the first step Next does not
 * allow, or reports the first state that violates an invariant. Slow (a TLC run per trace), but
 * independent of {@link TraceChecker}: the tests use it as the oracle the checker must agree with.
 */
public final class ClassicCheck {
    static final String MODULE = "L4smpClassic";

    /** Where the classic check says the trace goes wrong: the same index as {@link l4smp.tlc.TraceVerdict}. */
    public record Verdict(boolean accepted, int index, Outcome outcome) {
        public static Verdict ok() {
            return new Verdict(true, -1, Outcome.HOLDS);
        }
    }

    private ClassicCheck() {
    }

    /**
     * Writes the replay module and its cfg into {@code dir}: the spec's constants and invariants,
     * deadlock checking on.
     *
     * @param shape the spec's module, init and next ({@link TraceChecker#shape()})
     * @return the module's file
     */
    public static Path write(Trace trace, Map<String, String> shape, Path config, Path dir) throws IOException {
        CfgText cfg = CfgText.parse(Files.readString(config));
        StringBuilder verdictCfg = new StringBuilder();
        cfg.sections("CONSTANT", "INVARIANT").forEach(s -> verdictCfg.append(s).append('\n'));
        verdictCfg.append("CHECK_DEADLOCK TRUE\n");
        TlaTraceModule.Files files = TlaTraceModule.write(trace.withMeta(shape), MODULE, verdictCfg.toString());
        Path tla = dir.resolve(MODULE + ".tla");
        Files.writeString(tla, files.tla());
        Files.writeString(dir.resolve(MODULE + ".cfg"), files.cfg());
        return tla;
    }

    /** Checks the trace with TLC in the TLC worker (a run in a fresh class loader). */
    public static Verdict viaWorker(TlcDriver driver, Trace trace, Map<String, String> shape, Path spec, Path config,
                                    List<Path> libraryPath) throws IOException {
        Path dir = TempDirs.create("classic");
        try {
            Path tla = write(trace, shape, config, dir);
            List<Path> lib = new ArrayList<>();
            lib.add(spec.toAbsolutePath().getParent());
            lib.addAll(libraryPath);
            CheckResult r = driver.check(new CheckRequest(tla, dir.resolve(MODULE + ".cfg"), 1, true, null, null, null, lib));
            return verdict(trace, r);
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    /** TLC's answer, in terms of the trace: the first state or step it does not allow. */
    static Verdict verdict(Trace trace, CheckResult r) {
        int explored = r.trace() == null ? 0 : r.trace().size();
        boolean loops = trace.isLasso() && !trace.endsStuttering();
        return switch (r.outcome()) {
            // a finite trace replayed to its end has nowhere to go: TLC reports that as a deadlock
            case DEADLOCK -> !loops && explored == trace.size() ? Verdict.ok() : new Verdict(false, explored, r.outcome());
            case HOLDS -> r.statistics().distinct() == 0 ? new Verdict(false, 0, r.outcome())
                    : loops ? Verdict.ok() : new Verdict(false, (int) r.statistics().distinct(), r.outcome());
            case INVARIANT_VIOLATED -> new Verdict(false, explored - 1, r.outcome());
            default -> throw new IllegalStateException("TLC could not replay the trace: " + r.outcome() + ": " + r.message());
        };
    }


}
