package l4smp.tlc.engine;

import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.ITool;
import tlc2.util.Vect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Names the cfg lists, read from TLC's parsed configuration. */
final class ConfigNames {
    private ConfigNames() {
    }

    static List<String> properties(ITool tool) {
        return strings(tool.getModelConfig().getProperties());
    }

    /**
     * The names the cfg gives a value ({@code CONSTANT N = 3}, {@code N <- Op}, {@code N = [M] v})
     * that are neither a constant nor a definition of the spec. TLC ignores such an assignment, so a
     * misspelt constant would silently not be set; l4smp reports it as a cfg error.
     */
    static List<String> undeclared(ITool tool) {
        ModuleNode root = tool.getRootModule();
        if (root == null) return List.of();
        Set<String> known = new HashSet<>();
        for (OpDeclNode c : root.getConstantDecls()) known.add(c.getName().toString());
        for (OpDefNode d : root.getOpDefs()) known.add(d.getName().toString());
        List<String> out = new ArrayList<>();
        Vect<?> constants = tool.getModelConfig().getConstants();
        for (int i = 0; i < constants.size(); i++) {
            String name = String.valueOf(((Vect<?>) constants.elementAt(i)).elementAt(0));
            if (!known.contains(name) && !out.contains(name)) out.add(name);
        }
        for (Object name : tool.getModelConfig().getOverrides().keySet()) {
            if (!known.contains(name.toString()) && !out.contains(name.toString())) out.add(name.toString());
        }
        return out;
    }

    static String undeclaredMessage(List<String> names) {
        return "the cfg assigns " + String.join(", ", names) + ", which the spec neither declares nor defines (TLC would "
                + "ignore " + (names.size() == 1 ? "it" : "them") + "); check the spelling, or remove "
                + (names.size() == 1 ? "it" : "them") + " from the cfg";
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
