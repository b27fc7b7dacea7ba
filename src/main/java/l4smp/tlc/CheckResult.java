package l4smp.tlc;

import l4smp.trace.Trace;

import java.util.List;

/**
 * What one TLC run found: the structured result that the CLI prints, the tests assert and later
 * issues consume. Nothing here is TLC's text.
 *
 * @param outcome   what was found
 * @param violated  the name of the violated invariant or property; {@code null} for other
 *                  outcomes, and for a temporal violation whose property TLC could not single out
 *                  (see {@code candidates})
 * @param candidates for a temporal violation with several properties in the cfg, the properties
 *                  one of which is violated; otherwise empty
 * @param statistics states generated, distinct, queue, depth, wall time
 * @param trace     the counterexample (a lasso for liveness), or {@code null}
 * @param problems  errors with their location: parse, semantic, cfg, evaluation, assumption
 * @param warnings  SANY's warnings about the spec (e.g. a multiply-defined name)
 * @param message   one line saying what happened, for humans (TLC's message for errors)
 */
public record CheckResult(Outcome outcome, String violated, List<String> candidates, Statistics statistics,
                          Trace trace, List<SpecProblem> problems, List<String> warnings, String message) {

    public CheckResult {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        problems = problems == null ? List.of() : List.copyOf(problems);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        statistics = statistics == null ? Statistics.NONE : statistics;
    }

    public static CheckResult internalError(String message) {
        return new CheckResult(Outcome.INTERNAL_ERROR, null, List.of(), Statistics.NONE, null, List.of(), List.of(), message);
    }
}
