package l4smp.refine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.Project;
import l4smp.tlc.TempDirs;
import l4smp.tlc.TlcDriver;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.format.CfgText;

/**
 * The values a bug configuration gives a spec's constants that no state of its counterexample
 * shows (ProxyWakeup's {@code Home}, {@code Prog} and {@code Pool}: the cfg substitutes them by
 * definitions of the MC module). TLC evaluates them: a module that EXTENDS the cfg's MC module
 * and adds to the spec's {@code Init} one variable set to the record of the constants is
 * simulated for two states with the cfg's own CONSTANT sections, in the TLC worker JVM (TLC's
 * simulator writes no behaviour of one state).
 */
final class SpecConstants {
    private static final String MODULE = "ReplayConstants";
    private static final String VARIABLE = "replayConstants";

    private SpecConstants() {
    }

    /**
     * The values of {@code names} (constants or operators of {@code mcModule}) under the constant
     * assignments of {@code cfgText}.
     *
     * @throws ReplayException UNSUPPORTED if TLC cannot evaluate them
     */
    static Map<String, TlaValue> evaluate(Project project, String mcModule, String cfgText, List<String> names)
            throws ReplayException {
        Path dir = null;
        try {
            dir = TempDirs.create("replay");
            List<String> fields = new ArrayList<>();
            names.forEach(n -> fields.add(n + " |-> " + n));
            Files.writeString(dir.resolve(MODULE + ".tla"), "---- MODULE " + MODULE + " ----\n"
                    + "EXTENDS " + mcModule + "\n"
                    + "VARIABLE " + VARIABLE + "\n"
                    + "ReplayInit == Init /\\ " + VARIABLE + " = [" + String.join(", ", fields) + "]\n"
                    + "ReplayNext == UNCHANGED <<vars, " + VARIABLE + ">>\n"
                    + "====\n");
            StringBuilder cfg = new StringBuilder();
            for (CfgText.Section s : CfgText.parse(cfgText).sections("CONSTANT")) {
                cfg.append(s.keyword()).append('\n').append(s.body()).append('\n');
            }
            cfg.append("INIT ReplayInit\nNEXT ReplayNext\n");
            Path cfgFile = dir.resolve(MODULE + ".cfg");
            Files.writeString(cfgFile, cfg.toString());
            CheckRequest request = new CheckRequest(dir.resolve(MODULE + ".tla"), cfgFile, 1, false,
                    new CheckRequest.Simulation(2, 1), 1L, null, List.of(project.specDir()));
            List<Trace> behaviours;
            try {
                behaviours = TlcDriver.shared().behaviours(request);
            } catch (IllegalStateException e) {
                throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "TLC cannot evaluate " + String.join(", ", names)
                        + " of " + mcModule + " under the trace's cfg: " + e.getMessage(), null);
            }
            if (behaviours.isEmpty() || !(behaviours.get(0).state(0).get(VARIABLE) instanceof TlaValue.Rec rec)) {
                throw new ReplayException(ReplayException.Kind.UNSUPPORTED, "TLC did not evaluate " + String.join(", ", names)
                        + " of " + mcModule + ": " + (behaviours.isEmpty() ? "no behaviour" : behaviours.get(0).state(0)), null);
            }
            return new LinkedHashMap<>(rec.fields());
        } catch (IOException e) {
            throw new ReplayException(ReplayException.Kind.INPUT, "cannot write the scratch module that evaluates the "
                    + "cfg's constants: " + e.getMessage(), null);
        } finally {
            TempDirs.deleteTree(dir);
        }
    }
}
