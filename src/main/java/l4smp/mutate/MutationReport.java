package l4smp.mutate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.mutate.MutantResult.Verdict;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a mutation run: every mutant's verdict and the mutation score.
 *
 * <p>The score is killed / (killed + survived + timeout): equivalent mutants cannot be killed and
 * stillborn ones are not specs, so neither counts; a mutant that ran past its time limit without
 * a violation was not killed and counts against the score.
 */
public record MutationReport(String spec, Path specFile, List<MutationRun.Config> configs, List<MutantResult> results,
                             long millis) {

    public MutationReport {
        configs = List.copyOf(configs);
        results = List.copyOf(results);
    }

    public Map<Verdict, Integer> counts() {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) counts.put(v, 0);
        for (MutantResult r : results) counts.merge(r.verdict(), 1, Integer::sum);
        return counts;
    }

    /** killed / (killed + survived + timeout), or 1 when no mutant counts. */
    public double score() {
        Map<Verdict, Integer> c = counts();
        int scored = c.get(Verdict.KILLED) + c.get(Verdict.SURVIVED) + c.get(Verdict.TIMEOUT);
        return scored == 0 ? 1.0 : c.get(Verdict.KILLED) / (double) scored;
    }

    /** Mutants that were neither killed nor shown equivalent nor stillborn. */
    public List<MutantResult> unkilled() {
        return results.stream().filter(r -> r.verdict() == Verdict.SURVIVED || r.verdict() == Verdict.TIMEOUT).toList();
    }

    /** One line: counts and the score. */
    public String summary() {
        Map<Verdict, Integer> c = counts();
        return String.format("%s: %d mutants: %d killed, %d survived, %d equivalent, %d timeout, %d stillborn;"
                        + " mutation score %.1f%% (killed / (killed + survived + timeout)); %.1f s",
                spec, results.size(), c.get(Verdict.KILLED), c.get(Verdict.SURVIVED), c.get(Verdict.EQUIVALENT),
                c.get(Verdict.TIMEOUT), c.get(Verdict.STILLBORN), 100 * score(), millis / 1000.0);
    }

    /** A row of the table for one result. */
    public static String row(MutantResult r) {
        Mutant m = r.mutant();
        return String.format("%-5s %-10s %-28s %-15s %s%s", m.id(), r.verdict().label(),
                m.definition() + ":" + m.line(), m.operator().label(), m.change(),
                r.config() == null ? (r.detail() == null ? "" : "   [" + r.detail() + "]")
                        : "   [" + r.config() + ": " + r.detail() + "]");
    }

    public ObjectNode json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("spec", spec).put("file", specFile.toString()).put("millis", millis).put("score", score());
        ArrayNode cfgs = root.putArray("configs");
        for (MutationRun.Config c : configs) {
            cfgs.addObject().put("config", c.file().toString()).put("expect", c.header().expect().toString())
                    .put("baselineMillis", c.baselineMillis()).put("distinct", c.distinct());
        }
        ObjectNode counts = root.putObject("counts");
        counts().forEach((v, n) -> counts.put(v.label(), n));
        ArrayNode rows = root.putArray("mutants");
        for (MutantResult r : results) {
            Mutant m = r.mutant();
            rows.addObject().put("id", m.id()).put("verdict", r.verdict().label()).put("operator", m.operator().label())
                    .put("definition", m.definition()).put("line", m.line()).put("original", m.original())
                    .put("replacement", m.replacement()).put("config", r.config()).put("detail", r.detail())
                    .put("millis", r.millis());
        }
        return root;
    }
}
