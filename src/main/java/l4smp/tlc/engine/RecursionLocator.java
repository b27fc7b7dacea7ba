package l4smp.tlc.engine;

import l4smp.tlc.SpecProblem;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.st.Location;
import tlc2.tool.ITool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the definition behind a stack overflow. TLC says only which top-level expression it was
 * evaluating ("Line 6, column 9 to line 6, column 16 in Rec", typically {@code Init} or an action)
 * and that it was "probably" a recursive definition; the definition a user must fix is a
 * recursive one ({@code RECURSIVE F(_)} or {@code f[n \in S] == ...}) that this expression
 * reaches. Finds those by walking the semantic graph from the definition holding the expression.
 */
final class RecursionLocator {
    /** TLC's "nested expressions" positions; the first is the outermost. */
    private static final Pattern POSITION =
            Pattern.compile("Line (\\d+), column (\\d+) to line (\\d+), column (\\d+) in (\\w+)");
    /** SANY's operator for a recursive function definition {@code f[x \in S] == ... f[...] ...}. */
    private static final String RECURSIVE_FUNCTION = "$RecursiveFcnSpec";

    private RecursionLocator() {
    }

    /** Whether TLC's text reports a stack overflow. */
    static boolean isStackOverflow(String text) {
        return text.contains("StackOverflowError");
    }

    /**
     * The problem to report: the recursive definition(s) reached from where TLC was evaluating,
     * located at the (first) definition, or TLC's position when no recursive definition is found.
     */
    static SpecProblem locate(ITool tool, Path spec, String output, boolean initDone, String stackSize) {
        Matcher m = POSITION.matcher(output);
        Location where = m.find() ? new Location(util.UniqueString.uniqueStringOf(m.group(5)),
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4))) : null;
        List<OpDefNode> recursive = tool == null || tool.getRootModule() == null ? List.of() : recursiveReachable(tool, where, initDone);
        String advice = " If the recursion does end but goes deeper than TLC's " + stackSize + " stack allows, run with "
                + "L4SMP_TLC_JAVA_OPTS=-Xss64m (or more).";
        if (recursive.isEmpty()) {
            String message = "a recursion did not end (Java stack overflow) while evaluating this expression." + advice;
            if (where == null) return new SpecProblem(spec.toString(), null, 0, 0, message);
            return new SpecProblem(file(spec, where.source()), where.source(), where.beginLine(), where.beginColumn(), message);
        }
        OpDefNode first = recursive.get(0);
        Location at = first.getLocation();
        List<String> names = recursive.stream().map(d -> d.getName().toString()).toList();
        String message = "the recursion in " + String.join(" or ", names) + " did not end (Java stack overflow"
                + (where == null ? "" : " while evaluating line " + where.beginLine() + ", column " + where.beginColumn()
                + " of " + where.source()) + "): a missing or unreachable base case?" + advice;
        return new SpecProblem(file(spec, at.source()), at.source(), at.beginLine(), at.beginColumn(), message);
    }

    /**
     * Recursive user definitions reached from the definition enclosing {@code where}; when TLC gave
     * no position (it does not for an overflow in a worker thread), from the actions and invariants
     * once the initial states are done, else from Init; from every definition as a last resort.
     */
    private static List<OpDefNode> recursiveReachable(ITool tool, Location where, boolean initDone) {
        ModuleNode root = tool.getRootModule();
        List<SemanticNode> start = new ArrayList<>();
        for (OpDefNode d : root.getOpDefs()) {
            if (where != null && encloses(d, where)) start.add(d);
        }
        if (start.isEmpty() && where == null) {
            if (initDone) {
                for (tlc2.tool.Action a : tool.getActions()) start.add(a.pred);
                for (tlc2.tool.Action a : tool.getInvariants()) start.add(a.pred);
            } else {
                tlc2.util.Vect<tlc2.tool.Action> init = tool.getInitStateSpec();
                for (int i = 0; i < init.size(); i++) start.add(init.elementAt(i).pred);
            }
        }
        if (start.isEmpty()) start.addAll(List.of(root.getOpDefs()));
        List<OpDefNode> found = new ArrayList<>();
        Set<SemanticNode> seen = new HashSet<>();
        Deque<SemanticNode> todo = new ArrayDeque<>(start);
        while (!todo.isEmpty()) {
            SemanticNode n = todo.pop();
            if (n == null || !seen.add(n)) continue;
            if (n instanceof OpDefNode d) {
                if (isRecursive(d) && !found.contains(d)) found.add(d);
                if (d.getBody() != null) todo.push(d.getBody());
                continue;
            }
            if (n instanceof OpApplNode a && a.getOperator() instanceof OpDefNode op) todo.push(op);
            SemanticNode[] children = n.getChildren();
            if (children != null) for (SemanticNode c : children) todo.push(c);
        }
        found.sort(java.util.Comparator.comparingInt((OpDefNode d) -> d.getLocation().beginLine()));
        return found;
    }

    private static boolean isRecursive(OpDefNode d) {
        if (d.getInRecursive()) return true;
        return d.getBody() instanceof OpApplNode a && a.getOperator() != null
                && a.getOperator().getName().toString().equals(RECURSIVE_FUNCTION);
    }

    private static boolean encloses(OpDefNode d, Location where) {
        Location l = d.getLocation();
        if (l == null || !l.source().equals(where.source())) return false;
        boolean startsBefore = l.beginLine() < where.beginLine()
                || (l.beginLine() == where.beginLine() && l.beginColumn() <= where.beginColumn());
        boolean endsAfter = l.endLine() > where.endLine()
                || (l.endLine() == where.endLine() && l.endColumn() >= where.endColumn());
        return startsBefore && endsAfter;
    }

    private static String file(Path spec, String module) {
        Path f = spec.resolveSibling(module + ".tla");
        return Files.exists(f) ? f.toString() : spec.toString();
    }
}
