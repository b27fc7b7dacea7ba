package l4smp.refine;

import java.util.List;
import java.util.Locale;

/** The specs a kernel run can be checked against, each with its abstraction function. */
public final class Abstractions {
    private Abstractions() {
    }

    /** The spec names {@link #of} knows. */
    public static List<String> specs() {
        return List.of(XpIpcAbstraction.MODULE, ProxyWakeupAbstraction.MODULE, MigrationBarriersAbstraction.MODULE);
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
            case "migrationbarriers" -> new MigrationBarriersAbstraction(run);
            default -> throw new IllegalArgumentException("no abstraction of kernel runs for spec '" + spec + "'; there are "
                    + String.join(", ", specs()));
        };
    }
}
