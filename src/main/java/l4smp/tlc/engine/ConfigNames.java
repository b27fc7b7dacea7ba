package l4smp.tlc.engine;

import tlc2.tool.ITool;
import tlc2.util.Vect;

import java.util.ArrayList;
import java.util.List;

/** Names the cfg lists, read from TLC's parsed configuration. */
final class ConfigNames {
    private ConfigNames() {
    }

    static List<String> properties(ITool tool) {
        return strings(tool.getModelConfig().getProperties());
    }

    /**
     * The cfg's properties when one of them is temporal (TLC's implied temporals: liveness, which
     * only a local run checks), else nothing; safety properties ({@code [][A]_v}) do not count.
     */
    static List<String> propertiesWithLiveness(ITool tool) {
        if (tool.getImpliedTemporals().length == 0) return List.of();
        List<String> named = properties(tool);
        return named.isEmpty() ? List.of("a temporal property") : named;
    }

    private static List<String> strings(Vect<?> v) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) out.add(String.valueOf(v.elementAt(i)));
        return out;
    }
}
