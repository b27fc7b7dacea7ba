package l4smp.tlc.engine;

import l4smp.tlc.SpecProblem;
import tla2sany.drivers.SANY;
import tla2sany.modanalyzer.SpecObj;
import tla2sany.semantic.Errors;
import tlc2.tool.ITool;
import util.FilenameToStream;
import util.ToolIO;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SANY's errors and warnings with their locations. TLC reports a parse failure only as text, so
 * on failure the spec is parsed once more with SANY directly and its error lists are read.
 */
final class SanyProblems {
    /** SANY's locations: "line 5, col 14 to line 5, col 14 of module M". */
    private static final Pattern SEMANTIC_LOCATION =
            Pattern.compile("line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)");
    /** The parser's syntax errors: "Encountered "+" at line 4, column 18 ...". */
    private static final Pattern SYNTAX_LOCATION = Pattern.compile("at line (\\d+), column (\\d+)");
    private static final Pattern SYNTAX_MODULE = Pattern.compile("(?:module|Module) (\\w+)");

    private SanyProblems() {
    }

    static List<SpecProblem> of(Path spec, FilenameToStream resolver) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        PrintStream savedOut = ToolIO.out;
        ToolIO.out = out;
        SpecObj specObj = new SpecObj(spec.toString(), resolver);
        try {
            SANY.frontEndMain(specObj, spec.toString(), out);
        } catch (Exception | Error parseFailure) {
            // the error lists and the printed text below say what went wrong
        } finally {
            ToolIO.out = savedOut;
        }
        List<SpecProblem> problems = new ArrayList<>();
        problems.addAll(syntaxErrors(text.toString(StandardCharsets.UTF_8), spec));
        for (Errors errors : List.of(specObj.getInitErrors(), specObj.getParseErrors(), specObj.getSemanticErrors())) {
            for (String e : concat(errors.getAborts(), errors.getErrors())) {
                if (e.contains("Could not parse module") && !problems.isEmpty()) continue; // already detailed above
                problems.add(semantic(e, spec));
            }
        }
        return problems;
    }

    static List<String> warnings(ITool tool) {
        try {
            if (!(tool instanceof tlc2.tool.impl.Tool s)) return List.of();
            SpecObj spec = s.getSpecProcessor().getSpecObj();
            if (spec == null) return List.of();
            List<String> out = new ArrayList<>();
            // SANY puts a conflict between extended modules' definitions in the global context's list
            for (Errors errors : List.of(spec.getSemanticErrors(), spec.getGlobalContextErrors())) {
                for (String w : errors.getWarnings()) out.add(w.replace("\n\n", ": ").replace("\n", " ").trim());
            }
            return out;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static List<SpecProblem> syntaxErrors(String printed, Path spec) {
        List<SpecProblem> out = new ArrayList<>();
        int at = printed.indexOf("***Parse Error***");
        while (at >= 0) {
            int end = printed.indexOf("***Parse Error***", at + 1);
            String block = printed.substring(at + "***Parse Error***".length(), end < 0 ? printed.length() : end).trim();
            Matcher loc = SYNTAX_LOCATION.matcher(block);
            Matcher mod = SYNTAX_MODULE.matcher(printed.substring(0, at));
            String module = null;
            while (mod.find()) module = mod.group(1); // the module being parsed when the error occurred
            String message = firstParagraph(block);
            if (loc.find()) {
                out.add(new SpecProblem(fileOf(module, spec), module, Integer.parseInt(loc.group(1)),
                        Integer.parseInt(loc.group(2)), message));
            } else {
                out.add(new SpecProblem(spec.toString(), module, 0, 0, message));
            }
            at = end;
        }
        return out;
    }

    private static SpecProblem semantic(String error, Path spec) {
        Matcher m = SEMANTIC_LOCATION.matcher(error);
        String message = error.contains("\n\n") ? error.substring(error.indexOf("\n\n") + 2).trim() : error.trim();
        if (m.find()) {
            String module = m.group(3);
            return new SpecProblem(fileOf(module, spec), module, Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)), message);
        }
        return new SpecProblem(spec.toString(), null, 0, 0, message);
    }

    /** A module's file: next to the root spec (the common case); the root spec itself when unknown. */
    private static String fileOf(String module, Path spec) {
        if (module == null) return spec.toString();
        Path sibling = spec.resolveSibling(module + ".tla");
        return sibling.toFile().exists() ? sibling.toString() : spec.toString();
    }

    private static String firstParagraph(String block) {
        String[] paras = block.split("\\n\\s*\\n");
        return paras[0].replaceAll("\\s+", " ").trim();
    }

    private static List<String> concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(Arrays.asList(a));
        all.addAll(Arrays.asList(b));
        return all;
    }
}
