package l4smp.refine;

import java.util.List;
import java.util.Locale;

/**
 * The specs a kernel run can be checked against, each with its abstraction function: as a whole
 * over a recorded run ({@link #of}), and, where the abstraction has that form, step by step while
 * the kernel runs ({@link #stepwise}, used by {@link ConformanceMonitor}; a spec without it is
 * checked over the recorded run instead). A new spec is registered in {@link #specs} and
 * {@link #of}; {@link #stepwise} and {@link #scope} are optional.
 */
public final class Abstractions {
    /** XpIpc's MaxOps is rounded up to a multiple of this in step-wise checking, so that runs share a cfg. */
    static final int OPS_QUANTUM = 8;
    /** XpIpc's Thread set is padded to a multiple of this in step-wise checking, for the same reason. */
    static final int THREAD_QUANTUM = 4;

    private Abstractions() {
    }

    /** The specs a kernel run is checked against step by step, also while it runs ({@link #stepwise}). */
    public static List<String> specs() {
        return List.of(XpIpcAbstraction.MODULE, ProxyWakeupAbstraction.MODULE, UhligRaceAbstraction.MODULE);
    }

    /** Every spec {@link #of} knows: those of {@link #specs}, and MigrationBarriers and XpMigration, for whole recorded runs. */
    public static List<String> all() {
        return List.of(XpIpcAbstraction.MODULE, ProxyWakeupAbstraction.MODULE, UhligRaceAbstraction.MODULE,
                MigrationBarriersAbstraction.MODULE, XpMigrationAbstraction.MODULE);
    }

    /**
     * The abstraction of {@code run} for {@code spec} (case does not matter).
     *
     * @throws IllegalArgumentException naming the specs there are, if {@code spec} is none of them
     */
    public static KernelRefinement.Abstraction of(String spec, KernelRun run) {
        return switch (spec.toLowerCase(Locale.ROOT)) {
            case "xpipc" -> new XpIpcAbstraction(run);
            case "proxywakeup" -> new ProxyWakeupAbstraction(run);
            case "uhligrace" -> new UhligRaceAbstraction(run);
            case "migrationbarriers" -> new MigrationBarriersAbstraction(run);
            case "xpmigration" -> new XpMigrationAbstraction(run);
            default -> throw unknown(spec);
        };
    }

    /** The step-by-step abstraction of the run {@code survey} describes, or null if {@code spec} has none. */
    public static StepAbstraction stepwise(String spec, RunSurvey survey) {
        return switch (spec.toLowerCase(Locale.ROOT)) {
            case "xpipc" -> new XpIpcAbstraction(survey, OPS_QUANTUM, THREAD_QUANTUM);
            case "proxywakeup" -> new ProxyWakeupAbstraction(survey);
            case "uhligrace" -> new UhligRaceAbstraction(survey);
            default -> null;
        };
    }

    /** Which part of a run {@code spec} describes, or null: all of it. */
    static SpecScope scope(String spec) {
        return switch (spec.toLowerCase(Locale.ROOT)) {
            case "xpipc" -> XpIpcAbstraction.scope();
            case "proxywakeup" -> ProxyWakeupAbstraction.scope();
            case "uhligrace" -> UhligRaceAbstraction.scope();
            default -> null;
        };
    }

    /** The registered spec's own spelling of {@code spec}. */
    public static String canonical(String spec) {
        for (String s : all()) {
            if (s.equalsIgnoreCase(spec)) {
                return s;
            }
        }
        throw unknown(spec);
    }

    private static IllegalArgumentException unknown(String spec) {
        return new IllegalArgumentException("no abstraction of kernel runs for spec '" + spec + "'; there are "
                + String.join(", ", all()));
    }
}
