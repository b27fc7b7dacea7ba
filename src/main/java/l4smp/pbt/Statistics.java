package l4smp.pbt;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How often each label was given over the inputs a run checked (discarded inputs and the shrinker's
 * re-runs do not count). An input given several labels counts once under each, so percentages need
 * not add up to 100.
 */
public final class Statistics {
    private final Map<String, Integer> counts = new HashMap<>();
    private int inputs;

    /** Counts one checked input with its labels. */
    void record(Collection<String> labels) {
        inputs++;
        for (String label : labels) {
            counts.merge(label, 1, Integer::sum);
        }
    }

    /** The number of checked inputs. */
    public int inputs() {
        return inputs;
    }

    /** How many checked inputs had {@code label}. */
    public int count(String label) {
        return counts.getOrDefault(label, 0);
    }

    /** The labels given, most frequent first, ties by label. */
    public List<String> labels() {
        return counts.keySet().stream()
                .sorted(Comparator.comparing((String l) -> -counts.get(l)).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** The share of checked inputs with {@code label}, in percent. */
    public double percent(String label) {
        return inputs == 0 ? 0 : 100.0 * count(label) / inputs;
    }

    /** One line per label: percentage, count, label; or a line saying no labels were given. */
    public String render() {
        if (counts.isEmpty()) {
            return "  (no labels: call trial.classify or trial.collect in the property)\n";
        }
        int width = String.valueOf(inputs).length();
        StringBuilder out = new StringBuilder();
        for (String label : labels()) {
            out.append(String.format(Locale.ROOT, "  %6.2f%%  %" + width + "d  %s%n", percent(label), count(label), label));
        }
        return out.toString();
    }
}
