package l4smp.tlc.engine;

import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.AtNode;
import tla2sany.semantic.DecimalNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.NumeralNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpArgNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.StringNode;
import tla2sany.semantic.SymbolNode;
import tlc2.tool.Action;
import tlc2.tool.impl.Tool;
import tlc2.util.Context;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cfg's invariants split into their conjuncts, each with the state variables it reads.
 *
 * <p>A conjunct that reads none of the variables a step changed has the same value after the
 * step as before it, where it held: so on a trace only the conjuncts that read a changed variable
 * are evaluated on each state after the first. This is a fact about the two states (they agree
 * on everything the conjunct reads), not a memory of states seen before. TypeOK's conjuncts each
 * read one variable, and most steps change two or three of a spec's ten or more.
 *
 * <p>The variables are found by walking the conjunct's semantic tree through every operator it
 * applies (following a cfg substitution {@code Op <- Other} as TLC does). Anything the walk cannot
 * account for (an operator of TLC's that reads TLC's own state, such as {@code TLCGet}, or a node
 * of an unknown kind) makes the conjunct read every variable, so it is evaluated on every state.
 */
final class InvariantConjuncts {
    /** Operators whose value does not depend only on their arguments and the state. */
    private static final Set<String> IMPURE = Set.of("TLCGet", "TLCSet", "RandomElement", "JavaTime");

    /** One conjunct of invariant {@code invariant}: evaluated as {@code expr} in {@code con}. */
    record Conjunct(int invariant, SemanticNode expr, Context con, long reads) {
    }

    private final Tool tool;
    private final Map<String, Integer> variableIndex;
    private final long all;

    private InvariantConjuncts(Tool tool, Map<String, Integer> variableIndex) {
        this.tool = tool;
        this.variableIndex = variableIndex;
        this.all = variableIndex.size() >= 64 ? -1L : (1L << variableIndex.size()) - 1;
    }

    /**
     * The conjuncts of {@code invariants}, in order; {@code variableIndex} numbers the spec's
     * variables (bit i of {@link Conjunct#reads} is variable i; with 64 or more variables every
     * conjunct reads all).
     */
    static List<Conjunct> of(Tool tool, Action[] invariants, Map<String, Integer> variableIndex) {
        InvariantConjuncts split = new InvariantConjuncts(tool, variableIndex);
        List<Conjunct> out = new ArrayList<>();
        for (int k = 0; k < invariants.length; k++) split.split(k, invariants[k].pred, invariants[k].con, out, 0);
        return out;
    }

    /** Splits through conjunction lists, {@code /\} and applications of argument-free operators. */
    private void split(int invariant, SemanticNode expr, Context con, List<Conjunct> out, int depth) {
        if (depth < 32 && expr instanceof OpApplNode app) {
            SymbolNode op = app.getOperator();
            if (op.getName() == ASTConstants.OP_cl || op.getName().toString().equals("\\land")) {
                for (ExprOrOpArgNode arg : app.getArgs()) split(invariant, arg, con, out, depth + 1);
                return;
            }
            if (op instanceof OpDefNode def && def.getKind() == ASTConstants.UserDefinedOpKind && def.getArity() == 0
                    && tool.lookup(def, con, false) == def) { // not replaced by the cfg, not a precomputed constant
                split(invariant, def.getBody(), con, out, depth + 1);
                return;
            }
        }
        out.add(new Conjunct(invariant, expr, con, reads(expr)));
    }

    /** The variables {@code expr} reads, as a bit mask. */
    long reads(SemanticNode expr) {
        if (all == -1L) return all;
        return walk(expr, new HashSet<>());
    }

    private long walk(SemanticNode node, Set<SemanticNode> visited) {
        if (node == null || !visited.add(node)) return 0;
        if (node instanceof NumeralNode || node instanceof StringNode || node instanceof DecimalNode
                || node instanceof FormalParamNode || node instanceof AtNode) {
            return 0; // a literal, a bound name (its value is walked where it is bound), or @ (its base is walked)
        }
        long reads = 0;
        if (node instanceof OpApplNode app) reads |= symbol(app.getOperator(), visited);
        if (node instanceof OpArgNode arg) reads |= symbol(arg.getOp(), visited);
        if (node instanceof OpDefNode def) return symbol(def, visited);
        SemanticNode[] children = node.getChildren();
        if (children == null) return node instanceof OpArgNode ? reads : all; // a node kind not accounted for
        for (SemanticNode child : children) {
            reads |= walk(child, visited);
            if (reads == all) return all;
        }
        return reads;
    }

    private long symbol(SymbolNode op, Set<SemanticNode> visited) {
        if (op instanceof OpDeclNode decl) {
            if (decl.getKind() != ASTConstants.VariableDeclKind) return 0; // a CONSTANT
            Integer i = variableIndex.get(decl.getName().toString());
            return i == null ? all : 1L << i;
        }
        if (!(op instanceof OpDefNode def)) return op instanceof FormalParamNode ? 0 : all;
        if (IMPURE.contains(def.getName().toString())) return all;
        if (def.getKind() != ASTConstants.UserDefinedOpKind) return 0; // built in: its arguments are walked
        Object resolved = tool.lookup(def, Context.Empty, false);
        if (resolved instanceof OpDefNode other && other != def) return walk(other, visited); // Op <- Other in the cfg
        if (resolved != def) return 0; // a constant value: the cfg's, or a constant-level definition TLC precomputed
        return walk(def.getBody(), visited);
    }
}
