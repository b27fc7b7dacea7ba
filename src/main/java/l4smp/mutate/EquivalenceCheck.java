package l4smp.mutate;

import l4smp.tlc.CheckResult;
import l4smp.tlc.Outcome;
import l4smp.trace.format.CfgText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Decides whether a surviving mutant is equivalent to the original within each configuration's
 * bounds. TLC checks, in both directions, that one spec's initial states satisfy the other's
 * {@code Init} and that every step it takes from a reachable state is a step of the other's next-
 * state relation (the property {@code [][Other!Next]_vars}, with {@code Other} an INSTANCE of the
 * other module). If both hold, induction over the steps shows that both specs reach the same
 * states with the same transitions: the mutant is equivalent there. Each direction is one TLC run
 * with the configuration's constants, symmetry and view, and without its invariants and
 * properties.
 */
final class EquivalenceCheck {
    static final String CHECKER = "L4smpEquivalence";
    static final String OTHER = "L4smpOtherSide";

    /** Where to write modules and how to run TLC on them: a worker's scratch directory. */
    interface Scratch {
        Path dir();

        void write(String fileName, String text);

        CheckResult check(String module, Path cfg, Duration timeout);
    }

    /**
     * @param equivalent whether both directions hold in every configuration
     * @param detail     how it was decided, or where the mutant differs
     */
    record Finding(boolean equivalent, String detail) {
    }

    private final Scratch scratch;
    private final SpecModules spec;
    private final String next;

    EquivalenceCheck(Scratch scratch, SpecModules spec, String next) {
        this.scratch = scratch;
        this.spec = spec;
        this.next = next;
    }

    Finding check(String mutantText, List<MutationRun.Config> configs, Function<MutationRun.Config, Duration> limit) {
        ModuleText mutant = ModuleText.parse(mutantText);
        String specFile = spec.file().getFileName().toString();
        try {
            for (MutationRun.Config c : configs) {
                Path cfg = writeConfig(c);
                scratch.write(CHECKER + ".tla", checker(c.module()));
                // the original explores, every step must be one of the mutant's
                scratch.write(specFile, spec.text());
                scratch.write(OTHER + ".tla", mutant.renamed(OTHER));
                CheckResult forward = scratch.check(CHECKER, cfg, limit.apply(c));
                if (forward.outcome() != Outcome.HOLDS) {
                    return differs(c, forward, "a step of the original is not a step of the mutant");
                }
                // the mutant explores, every step must be one of the original's
                scratch.write(specFile, mutantText);
                scratch.write(OTHER + ".tla", spec.module().renamed(OTHER));
                CheckResult backward = scratch.check(CHECKER, cfg, limit.apply(c));
                if (backward.outcome() != Outcome.HOLDS) {
                    return differs(c, backward, "a step of the mutant is not a step of the original");
                }
            }
            return new Finding(true, "same initial states and steps as the original in " + configs.size()
                    + " configuration" + (configs.size() == 1 ? "" : "s") + " (checked both ways by TLC)");
        } finally {
            scratch.write(specFile, mutantText);
        }
    }

    private static Finding differs(MutationRun.Config c, CheckResult r, String what) {
        if (r.outcome() == Outcome.TIMEOUT) return new Finding(false, "equivalence undecided in " + c.name() + ": timeout");
        if (r.outcome() != Outcome.PROPERTY_VIOLATED) {
            return new Finding(false, "equivalence undecided in " + c.name() + ": " + oneLine(r));
        }
        String which = "L4smpSameInit".equals(r.violated()) ? "the initial states differ" : what;
        return new Finding(false, "not equivalent (" + which + " in " + c.name() + ", after "
                + (r.trace() == null ? "?" : r.trace().size()) + " states)");
    }

    private String checker(String module) {
        return "---- MODULE " + CHECKER + " ----\n"
                + "EXTENDS " + module + "\n"
                + "L4smpOther == INSTANCE " + OTHER + "\n"
                + "L4smpSameInit == L4smpOther!Init\n"
                + "L4smpSameNext == [][L4smpOther!" + next + "]_vars\n"
                + "====\n";
    }

    /** The configuration's constants, spec, symmetry and view; the two equivalence properties instead of its own. */
    private Path writeConfig(MutationRun.Config c) {
        try {
            CfgText cfg = CfgText.parse(c.text());
            StringBuilder sb = new StringBuilder();
            for (CfgText.Section s : cfg.sections()) {
                String k = s.keyword();
                if (k.startsWith("INVARIANT") || k.startsWith("PROPERT") || k.equals("CHECK_DEADLOCK")) continue;
                sb.append(s).append('\n');
            }
            sb.append("PROPERTIES L4smpSameInit L4smpSameNext\nCHECK_DEADLOCK FALSE\n");
            Path out = scratch.dir().resolve(CHECKER + "-" + c.name() + ".cfg");
            Files.writeString(out, sb.toString());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the equivalence cfg for " + c.name(), e);
        }
    }

    /** One line about a result that is neither a violation nor a pass. */
    private static String oneLine(CheckResult r) {
        String msg = r.message() == null ? "" : r.message().lines().findFirst().orElse("");
        return r.outcome().label() + (msg.isEmpty() ? "" : " (" + msg + ")");
    }
}
