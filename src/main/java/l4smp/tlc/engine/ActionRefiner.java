package l4smp.tlc.engine;

import l4smp.trace.ActionLabel;
import l4smp.trace.SourceLocation;
import l4smp.trace.TlaValue;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.st.Location;
import tlc2.tool.EvalControl;
import tlc2.tool.ITool;
import tlc2.tool.TLCState;
import tlc2.util.Context;
import tlc2.value.IValue;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.Enumerable;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueEnumeration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names a step more precisely than TLC's action splitting can. TLC splits {@code Next} into
 * actions only where quantifier domains are constant; {@code \E m \in mailboxes : Deliver(m)}
 * stays one action named after the enclosing operator. Here the step's two states are known, so
 * the quantifier is enumerated in the first state, the disjunct and the witness that relate the
 * two states are found, and the innermost named operator with its arguments becomes the label.
 */
final class ActionRefiner {
    private static final int MAX_DEPTH = 16;

    private final ITool tool;
    private final TLCState s0;
    private final TLCState s1;

    ActionRefiner(ITool tool, TLCState s0, TLCState s1) {
        this.tool = tool;
        this.s0 = s0;
        this.s1 = s1;
    }

    /** The most specific label for the step, or {@code coarse} when nothing more specific is found. */
    ActionLabel refine(SemanticNode pred, Context con, ActionLabel coarse) {
        return descend(pred, con, coarse, new LinkedHashMap<>(), 0);
    }

    private ActionLabel descend(SemanticNode pred, Context con, ActionLabel best, Map<String, TlaValue> bound, int depth) {
        if (depth > MAX_DEPTH || !(pred instanceof OpApplNode app)) return best;
        String op = app.getOperator().getName().toString();
        if (app.getOperator().getName() == ASTConstants.OP_be) return exists(app, con, best, bound, depth);
        if (app.getOperator().getName() == ASTConstants.OP_dl || op.equals("\\lor")) {
            for (ExprOrOpArgNode d : app.getArgs()) {
                if (holds(d, con)) return descend(d, con, best, bound, depth + 1);
            }
            return best;
        }
        if (app.getOperator() instanceof OpDefNode def && def.getKind() == ASTConstants.UserDefinedOpKind) {
            return named(app, def, con, best, bound, depth);
        }
        return best;
    }

    private ActionLabel exists(OpApplNode app, Context con, ActionLabel best, Map<String, TlaValue> bound, int depth) {
        FormalParamNode[][] symbols = app.getBdedQuantSymbolLists();
        if (symbols.length != 1 || symbols[0].length != 1 || app.isBdedQuantATuple()[0]) return best;
        FormalParamNode x = symbols[0][0];
        try {
            IValue domain = tool.eval(app.getBdedQuantBounds()[0], con, s0);
            if (!(domain instanceof Enumerable e)) return best;
            ValueEnumeration values = e.elements();
            for (Value v = values.nextElement(); v != null; v = values.nextElement()) {
                Context withX = con.cons(x, v);
                if (holds(app.getArgs()[0], withX)) {
                    Map<String, TlaValue> more = new LinkedHashMap<>(bound);
                    more.put(x.getName().toString(), Values.toTla(v));
                    return descend(app.getArgs()[0], withX, best, more, depth + 1);
                }
            }
        } catch (RuntimeException cannotEnumerate) {
            // keep what we have
        }
        return best;
    }

    private ActionLabel named(OpApplNode app, OpDefNode def, Context con, ActionLabel best, Map<String, TlaValue> bound,
                              int depth) {
        FormalParamNode[] formals = def.getParams();
        Context inside = con;
        Map<String, TlaValue> params = new LinkedHashMap<>();
        try {
            for (int i = 0; i < formals.length; i++) {
                if (formals[i].getArity() > 0) return best; // an operator argument: no value to show
                Value arg = (Value) tool.eval(app.getArgs()[i], con, s0);
                inside = inside.cons(formals[i], arg);
                params.put(formals[i].getName().toString(), Values.toTla(arg));
            }
        } catch (RuntimeException notAValue) {
            return best;
        }
        ActionLabel here = new ActionLabel(def.getName().toString(), formals.length > 0 ? params : bound, location(def));
        return descend(def.getBody(), inside, here, new LinkedHashMap<>(), depth + 1);
    }

    private boolean holds(SemanticNode pred, Context con) {
        try {
            return tool.eval(pred, con, s0, s1, EvalControl.Clear) instanceof BoolValue b && b.val;
        } catch (RuntimeException disabledWithError) {
            return false;
        }
    }

    static SourceLocation location(OpDefNode def) {
        Location loc = def.getLocation();
        if (loc == null || loc == Location.nullLoc) return null;
        return new SourceLocation(loc.source(), loc.beginLine(), loc.beginColumn(), loc.endLine(), loc.endColumn());
    }
}
