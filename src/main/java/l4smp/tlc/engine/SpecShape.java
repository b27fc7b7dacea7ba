package l4smp.tlc.engine;

import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.st.Location;
import tlc2.tool.Action;
import tlc2.tool.ITool;
import tlc2.util.Vect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The initial predicate and next-state relation TLC extracted from the cfg's SPECIFICATION (or
 * INIT/NEXT), as TLA+ text: the operator's name when it is a named, parameterless operator (the
 * common case, and the only safe one: pasted source text can bind names that the module extending
 * the spec declares too), the source text otherwise. The TLA+ trace-module exporter conjoins them
 * with the recorded states.
 */
final class SpecShape {
    private SpecShape() {
    }

    /**
     * What a TLA+ replay of a trace needs to know about the spec (see TlaTraceModule): its
     * {@code spec} and {@code config} files, its {@code module}, and, when TLC has processed it
     * ({@code tool} not null), its {@code init} and {@code next}.
     */
    static Map<String, String> of(ITool tool, Path spec, Path config) {
        Map<String, String> shape = new LinkedHashMap<>();
        shape.put("spec", spec.toString());
        shape.put("config", config.toString());
        shape.put("module", l4smp.tlc.Project.moduleName(spec));
        if (tool == null) return shape;
        String init = init(tool, spec.getParent());
        String next = next(tool, spec.getParent());
        if (init != null) shape.put("init", init);
        if (next != null) shape.put("next", next);
        return shape;
    }

    private static String init(ITool tool, Path specDir) {
        Vect<Action> inits = tool.getInitStateSpec();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < inits.size(); i++) {
            // TLC keeps the operator a SPECIFICATION's initial predicate came from (e.g. Init), with its body
            Action a = inits.elementAt(i);
            OpDefNode def = a.getOpDef();
            parts.add(def != null && def.getArity() == 0 ? def.getName().toString() : text(a.pred, specDir));
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(") /\\ (", parts) + ")";
    }

    private static String next(ITool tool, Path specDir) {
        Action next = tool.getNextStateSpec();
        return next == null ? null : text(next.pred, specDir);
    }

    private static String text(SemanticNode node, Path specDir) {
        if (node instanceof OpApplNode app && app.getOperator() instanceof OpDefNode def
                && app.getArgs().length == 0 && def.getArity() == 0) {
            return def.getName().toString();
        }
        return source(node.getLocation(), specDir);
    }

    /**
     * The exact source text of a location, taken from the module's file. A multi-line text keeps
     * every line at its original column (its first line is padded to where it began), because
     * TLA+'s bulleted conjunction and disjunction lists are aligned by column.
     */
    private static String source(Location loc, Path specDir) {
        try {
            List<String> lines = Files.readAllLines(specDir.resolve(loc.source() + ".tla"));
            StringBuilder sb = new StringBuilder();
            for (int l = loc.beginLine(); l <= loc.endLine(); l++) {
                String line = lines.get(l - 1);
                int from = l == loc.beginLine() ? loc.beginColumn() - 1 : 0;
                int to = l == loc.endLine() ? Math.min(loc.endColumn(), line.length()) : line.length();
                if (l == loc.beginLine() && loc.endLine() > loc.beginLine()) sb.append(" ".repeat(from));
                sb.append(line, from, to).append(l < loc.endLine() ? "\n" : "");
            }
            return loc.endLine() > loc.beginLine() ? sb.toString() : "(" + sb + ")";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
