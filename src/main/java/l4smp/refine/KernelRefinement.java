package l4smp.refine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import l4smp.tlc.Project;
import l4smp.tlc.TempDirs;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.Trace;
import l4smp.trace.format.CfgText;

/**
 * A kernel run checked against a spec: its abstraction as a trace, the trace-checking
 * configuration made from the run (CPUs, threads, IPC counts: no model bound caps the run), and
 * the verdict of the {@link TraceChecker}. The invariants are those of the spec's standard
 * configuration ({@code model-configs/<Spec>/<Spec>.cfg}) but its witnesses ({@code Debug*}).
 *
 * @param trace    the run as a behaviour of the spec
 * @param module   the module to check it against: the spec, or one made for the run that extends it
 * @param config   the configuration's text
 * @param verdict  whether the trace is a behaviour of the spec
 */
public record KernelRefinement(Trace trace, String module, String moduleText, String config, TraceVerdict verdict) {

    /** The abstraction of one spec: the run's trace, and its cfg (and module, if the constants need one). */
    public interface Abstraction {
        String spec();

        Trace trace();

        /**
         * A module extending the spec that defines the run's constants, or null if the cfg can give
         * them. Call after {@link #trace()}, which reads the run.
         */
        String module(String name);

        String config(List<String> invariants, String moduleName);

        /**
         * The kernel step (1-based; 0: the initial state) whose abstraction is the trace's state
         * {@code state}. One state per kernel step unless an abstraction says otherwise (one that
         * maps a kernel step to several spec steps, or to none). Call after {@link #trace()}.
         */
        default int kernelStep(int state) {
            return state;
        }
    }

    /** Abstracts {@code run} for {@code abstraction}'s spec and checks it, in a scratch directory removed afterwards. */
    public static KernelRefinement check(Project project, Abstraction abstraction) throws SpecLoadException {
        List<String> invariants = standardInvariants(project, abstraction.spec());
        Trace trace = abstraction.trace();
        String name = abstraction.spec() + "KernelRun";
        String moduleText = abstraction.module(name);
        String config = abstraction.config(invariants, name);
        try (TraceChecker checker = load(project, abstraction.spec(), name, moduleText, config)) {
            return new KernelRefinement(trace, moduleText == null ? abstraction.spec() : name, moduleText, config,
                    checker.check(trace));
        }
    }

    /**
     * A checker of {@code spec} with the trace-checking cfg {@code config} made from a run and, if
     * not null, the module {@code moduleText} named {@code name} that defines the run's constants;
     * the two files live in a scratch directory only while the spec is parsed.
     */
    static TraceChecker load(Project project, String spec, String name, String moduleText, String config)
            throws SpecLoadException {
        return load(project, spec, name, moduleText, config, null);
    }

    /** As {@link #load}, in the class loader of {@code inPlaceOf} (a checker of the same spec, closed by it) if not null. */
    static TraceChecker load(Project project, String spec, String name, String moduleText, String config,
                             TraceChecker inPlaceOf) throws SpecLoadException {
        Path dir = null;
        try {
            dir = TempDirs.create("refine");
            Path checked = project.resolveSpec(spec);
            if (moduleText != null) {
                checked = dir.resolve(name + ".tla");
                Files.writeString(checked, moduleText);
            }
            Path cfg = dir.resolve(name + ".cfg");
            Files.writeString(cfg, config);
            return inPlaceOf == null ? TraceChecker.load(checked, cfg, List.of(project.specDir()))
                    : inPlaceOf.reload(checked, cfg, List.of(project.specDir()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    /** The invariants of {@code model-configs/<Spec>/<Spec>.cfg}, without its Debug witnesses. */
    static List<String> standardInvariants(Project project, String spec) {
        Path cfg = project.configDir().resolve(spec).resolve(spec + ".cfg");
        List<String> names = new ArrayList<>();
        try {
            for (CfgText.Section s : CfgText.parse(Files.readString(cfg)).sections("INVARIANT")) {
                for (String name : s.body().trim().split("\\s+")) {
                    if (!name.isEmpty() && !name.startsWith("Debug")) {
                        names.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new Project.ProjectException("cannot read " + cfg + ", the standard configuration of " + spec
                    + " (" + e.getMessage() + ")", "run l4smp inside an l4smp project, or point at one with --root DIR");
        }
        return names;
    }
}
