package l4smp.cli;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.Statistics;

/** The human-readable summary of a TLC run. */
final class Summary {
    private Summary() {
    }

    static String title(CheckRequest request, CheckResult result) {
        return request.moduleName() + " with " + request.config().getFileName() + ": " + what(result);
    }

    /** {@code Transfer with Transfer.cfg: invariant NoOverdraft is violated (exit 10)}. */
    static String oneLine(CheckRequest request, CheckResult result) {
        return title(request, result) + " (exit " + ExitCodes.of(result.outcome()) + ")";
    }

    static String what(CheckResult r) {
        return switch (r.outcome()) {
            case HOLDS -> "the model holds";
            case INVARIANT_VIOLATED -> "invariant " + r.violated() + " is violated";
            case PROPERTY_VIOLATED -> "property " + (r.violated() != null ? r.violated() : "(one of " + r.candidates() + ")") + " is violated";
            case DEADLOCK -> "deadlock";
            case ASSUMPTION_FAILED -> "an assumption is false";
            case EVALUATION_ERROR -> "evaluation error";
            case PARSE_ERROR -> "parse error";
            case CONFIG_ERROR -> "configuration error";
            case TIMEOUT -> "stopped at the time limit";
            case INTERNAL_ERROR -> "internal error";
        };
    }

    /** The counts TLC reported, leaving out those it did not (never a made-up 0). */
    static String counts(Statistics s) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (Statistics.known(s.generated())) parts.add(String.format("%,d generated", s.generated()));
        if (Statistics.known(s.distinct())) parts.add(String.format("%,d distinct", s.distinct()));
        if (Statistics.known(s.queue())) parts.add(String.format("%,d left on queue", s.queue()));
        if (Statistics.known(s.depth())) parts.add("depth " + s.depth());
        return String.join(", ", parts);
    }

    static String details(CheckResult r) {
        Statistics s = r.statistics();
        StringBuilder sb = new StringBuilder();
        if (r.message() != null && !r.outcome().isViolation() && r.problems().isEmpty()) {
            sb.append("  ").append(r.message().replace("\n", "\n  ")).append('\n');
        }
        if (!r.outcome().isViolation() && s.generated() == 0 && r.trace() == null) return sb.toString();
        if (s.traces() > 0) {
            sb.append(String.format("  simulated %,d behaviours, %,d states%n", s.traces(), s.generated()));
        } else {
            String counts = counts(s);
            if (!counts.isEmpty()) {
                sb.append("  states      ").append(counts)
                        .append(r.outcome() == l4smp.tlc.Outcome.TIMEOUT ? " when last sampled" : "").append('\n');
            }
        }
        sb.append(String.format("  time        %.2f s%n", s.wallMillis() / 1000.0));
        if (r.trace() != null) {
            sb.append("  trace       ").append(r.trace().size()).append(" states")
                    .append(r.trace().isLasso() ? ", a lasso looping back to state " + r.trace().loopIndex() : "").append('\n');
        }
        for (String w : r.warnings()) sb.append("  warning     ").append(w.replace("\n", " ")).append('\n');
        return sb.toString();
    }
}
