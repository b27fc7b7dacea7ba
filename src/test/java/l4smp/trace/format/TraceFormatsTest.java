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
        assertTrue(html.contains("<td class=\"var changed\"><mark>-43</mark></td>"), html);
        assertTrue(html.contains("<td class=\"action\">Send(t = t1)   [XpIpc:10]</td>"), html);
        assertTrue(html.contains("quote \\&quot; backslash"), "strings are escaped");
        assertTrue(!html.contains("<link") && !html.contains("src=\"http"), "no external resources");
    }

    /** Before: the whole cell of a 16-entry function was highlighted when one entry changed. */
    @Test
    void htmlMarksTheChangedKeysInsideAValueNotTheWholeValue() {
        l4smp.trace.TlaValue before = l4smp.trace.TlaValue.fun(Map.of(l4smp.trace.TlaValue.model("t1"), l4smp.trace.TlaValue.str("a"),
                l4smp.trace.TlaValue.model("t2"), l4smp.trace.TlaValue.str("b")));
        l4smp.trace.TlaValue after = l4smp.trace.TlaValue.fun(Map.of(l4smp.trace.TlaValue.model("t1"), l4smp.trace.TlaValue.str("a"),
                l4smp.trace.TlaValue.model("t2"), l4smp.trace.TlaValue.str("c")));
        assertEquals("(t1 :&gt; &quot;a&quot; @@ <mark class=\"key\">t2 :&gt; <mark>&quot;c&quot;</mark></mark>)",
                HtmlValues.diff(after, before));
        assertEquals("{1, <mark class=\"key added\">2</mark>} <span class=\"removed\">(1 removed)</span>",
                HtmlValues.diff(l4smp.trace.TlaValue.set(l4smp.trace.TlaValue.of(1), l4smp.trace.TlaValue.of(2)),
                        l4smp.trace.TlaValue.set(l4smp.trace.TlaValue.of(1), l4smp.trace.TlaValue.of(3))));
        assertEquals("ipc.send+<wbr>ipc.receive", HtmlValues.breakable("ipc.send+ipc.receive"), "labels wrap at +");
    }

    /** Functions over one domain become a table per state: a row per entity, a column per variable, changed rows marked. */
    @Test
    void htmlHasAPerEntityViewForFunctionsOverOneDomain() {
        String html = HtmlFormat.write(HtmlBrowserTest.kernelSizedTrace());
        assertTrue(html.contains("<body class=\"view-entities\">"), "the per-entity view is the default");
        assertTrue(html.contains("<th class=\"var\">variable0</th><th class=\"var\">variable1</th>"), "a column per variable");
        assertTrue(html.contains("<tr class=\"changed\"><th>task1_<wbr>thread_<wbr>with_<wbr>a_<wbr>long_<wbr>name</th>"),
                "the entity state 1 changed is a marked row");
        assertTrue(html.contains("<tr><th>task5_<wbr>thread"), "an entity no step changed is a plain row");
        assertTrue(html.contains("<table class=\"states\">"), "the states x variables view is kept as an option");
        assertTrue(HtmlFormat.write(trace).contains("<body class=\"view-table\">"), "no entity view without functions over one domain");
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
