package l4smp.tlc;

import l4smp.trace.Trace;
import l4smp.trace.format.CfgText;
import l4smp.trace.format.TlaTraceModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the temporal property a lasso violates. TLC checks all PROPERTIES of a cfg together and
 * reports only that "temporal properties were violated"; this replays the lasso (as a TLA+ trace
 * module, see {@link TlaTraceModule}) against each property alone and keeps the ones it violates.
 */
final class PropertyBlame {
    private static final String MODULE = "L4smpBlame";

    private PropertyBlame() {
    }

    static CheckResult narrow(TlcDriver driver, CheckRequest request, CheckResult result) {
        Trace trace = result.trace();
        if (result.outcome() != Outcome.PROPERTY_VIOLATED || result.violated() != null
                || result.candidates().size() < 2 || trace == null || !trace.isLasso()) {
            return result;
        }
        Path dir = null;
        try {
            dir = TempDirs.create("blame");
            CfgText cfg = CfgText.parse(Files.readString(request.config()));
            List<String> violated = new ArrayList<>();
            for (String property : result.candidates()) {
                if (violates(driver, request, trace, cfg, property, dir)) violated.add(property);
            }
            if (violated.isEmpty()) return result;
            return new CheckResult(result.outcome(), violated.get(0), violated.size() > 1 ? violated : List.of(),
                    result.statistics(), trace, result.problems(), result.warnings(),
                    "temporal property " + String.join(" and ", violated) + " is violated");
        } catch (IOException | IllegalArgumentException e) {
            return result; // keep TLC's answer: one of the candidates
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    private static boolean violates(TlcDriver driver, CheckRequest request, Trace trace, CfgText cfg, String property,
                                    Path dir) throws IOException {
        StringBuilder only = new StringBuilder();
        cfg.sections("CONSTANT").forEach(s -> only.append(s).append('\n'));
        only.append("PROPERTY ").append(property).append("\nCHECK_DEADLOCK FALSE\n");
        TlaTraceModule.Files files = TlaTraceModule.write(trace, MODULE, only.toString());
        Path tla = dir.resolve(MODULE + ".tla");
        Path cfgFile = dir.resolve(MODULE + ".cfg");
        Files.writeString(tla, files.tla());
        Files.writeString(cfgFile, files.cfg());
        List<Path> lib = new ArrayList<>();
        lib.add(request.spec().getParent());
        lib.addAll(request.libraryPath());
        CheckResult r = driver.checkOnce(new CheckRequest(tla, cfgFile, 1, false, null, null, request.timeout(), lib), p -> { });
        return r.outcome() == Outcome.PROPERTY_VIOLATED;
    }


}
