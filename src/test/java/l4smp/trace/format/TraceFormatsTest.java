package l4smp.trace.format;

import l4smp.trace.Trace;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceFormatsTest {
    private final Trace trace = ItfTest.everyKind();

    @Test
    void textMarksChangedVariablesAndTheLoop() {
        String text = TextFormat.write(trace);
        assertTrue(text.contains("State 1: Send(t = t1)   [XpIpc:10]"), text);
        assertTrue(text.contains("* neg    = -43"), text);
        assertTrue(text.contains("  set    = {1, 3, {-1}}"), text);
        assertTrue(text.contains("Then back to state 0 by Reset"), text);
    }

    @Test
    void dotHasAStateNodePerStateAStepEdgeAndTheLoopEdge() {
        String dot = DotFormat.write(trace);
        assertTrue(dot.startsWith("digraph trace {"));
        assertTrue(dot.contains("s0 -> s1 [label=\"Send(t = t1)\"]"), dot);
        assertTrue(dot.contains("s1 -> s0 [label=\"Reset\", style=dashed"), dot);
        assertTrue(dot.contains("<b>neg = -43</b>"), dot);
        assertTrue(dot.contains("&quot;polling&quot;"), "values are escaped for Graphviz's HTML labels");
    }

    @Test
    void htmlIsOnePageWithChangedCellsHighlighted() {
        String html = HtmlFormat.write(trace);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<td class=\"var changed\">-43</td>"), html);
        assertTrue(html.contains("<td class=\"action\">Send(t = t1)   [XpIpc:10]</td>"), html);
        assertTrue(html.contains("quote \\&quot; backslash"), "strings are escaped");
        assertTrue(!html.contains("<link") && !html.contains("src=\"http"), "no external resources");
    }

    @Test
    void formatsAreChosenByExtension() {
        assertEquals(TraceFormat.ITF, TraceFormat.fromFileName("t.itf.json"));
        assertEquals(TraceFormat.TLA, TraceFormat.fromFileName("Cex.tla"));
        assertEquals(TraceFormat.DOT, TraceFormat.fromFileName("t.gv"));
        assertEquals(TraceFormat.HTML, TraceFormat.fromFileName("t.HTML"));
        assertEquals(TraceFormat.TEXT, TraceFormat.fromFileName("t.txt"));
        assertNull(TraceFormat.fromFileName("t.pdf"));
    }

    @Test
    void tlaNeedsTheSpecShapeAndAModuleName() {
        assertThrows(IllegalArgumentException.class, () -> TraceFormat.TLA.render(trace, Path.of("cex.tla"), ""));
        Trace shaped = trace.withMeta(Map.of("module", "XpIpc", "init", "Init", "next", "Next"));
        assertThrows(IllegalArgumentException.class, () -> TraceFormat.TLA.render(shaped, Path.of("my-cex.tla"), ""));
        Map<Path, String> files = TraceFormat.TLA.render(shaped, Path.of("Cex.tla"),
                "\\* a comment\nCONSTANTS Thread = {t1, t2}\n  Nil = Nil\nSYMMETRY Sym\nSPECIFICATION Spec\nINVARIANT TypeOK\n");
        String tla = files.get(Path.of("Cex.tla"));
        String cfg = files.get(Path.of("Cex.cfg"));
        assertTrue(tla.contains("EXTENDS XpIpc, TLC, Naturals, Sequences"), tla);
        assertTrue(tla.contains("CONSTANTS L4smpMV_Nil, L4smpMV_p1, L4smpMV_p2, L4smpMV_t1, L4smpMV_t2"), "constants stand for the model values: " + tla);
        assertTrue(tla.contains("mv |-> L4smpMV_Nil"), tla);
        assertTrue(tla.contains("/\\ l4smpPos' = IF l4smpPos < Len(L4smpTrace) THEN l4smpPos + 1 ELSE 1"), tla);
        assertTrue(tla.contains("WF_<<"), "a lasso is replayed with fairness: " + tla);
        assertTrue(cfg.contains("CONSTANTS Thread = {t1, t2}\n  Nil = Nil"), cfg);
        assertTrue(cfg.contains("L4smpMV_t1 = t1"), cfg);
        assertTrue(cfg.contains("SPECIFICATION L4smpSpec") && cfg.contains("INVARIANT TypeOK"), cfg);
        assertTrue(!cfg.contains("SYMMETRY") && !cfg.contains("SPECIFICATION Spec"), cfg);
    }

    @Test
    void cfgSectionsAndAssignedConstants() {
        CfgText cfg = CfgText.parse("CONSTANTS N = 3 (* block *) S = {a, b}\nOp <- Impl\\* tail\nINVARIANTS A B\nPROPERTY P");
        assertEquals(java.util.Set.of("N", "S", "Op"), cfg.assignedConstants());
        assertEquals(3, cfg.sections().size());
        assertEquals("INVARIANTS A B", cfg.sections("INVARIANT").get(0).toString());
    }
}
