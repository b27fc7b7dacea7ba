package l4smp.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import l4smp.pbt.Property;
import l4smp.pbt.PropertyRegistry;
import l4smp.pbt.PropertyResult;
import l4smp.pbt.PropertyRunner;
import l4smp.pbt.RunConfig;
import l4smp.pbt.Seeds;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code l4smp pbt}: lists the project's registered properties or runs them, printing per
 * property its tries, discards and time, and for a failure the shrunk input and the seed that
 * reproduces it.
 */
@Command(name = "pbt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the project's registered properties (all of them unless PROPERTY names some) and prints, "
                    + "per property, its tries, discards and time; for a failure the shrunk input, the failure "
                    + "and the seed that reproduces it.",
            "Every property starts from the same run seed, so `--seed S NAME` repeats what a full run did for NAME."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every selected property held",
            "1:internal error: a property could not be created (the message says which)",
            "2:usage: unknown option or property name, bad value",
            "40:a property failed; its shrunk input and seed are printed",
            "41:a property gave up: too many inputs were discarded by assumptions or filters"})
public final class PbtCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--list", description = "List the registered properties with what each claims, and exit.")
    private boolean list;

    @Option(names = "--seed", paramLabel = "S", converter = SeedConverter.class,
            description = "Run seed, as printed (0x and hex digits) or decimal; default: a fresh seed, printed.")
    private Long seed;

    private Integer tries;

    @Option(names = "--time", paramLabel = "T", converter = DurationConverter.class,
            description = "Time budget per property, such as 500ms, 30s, 2m or PT30S (default: 1m). "
                    + "It is checked between inputs; shrinking has its own budget.")
    private Duration time;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "pbt-failures",
            description = "Where to write a failing input that can be replayed outside the harness (a kernel run: its "
                    + "scenario and schedule), in a directory named after the property and seed (default: ${DEFAULT-VALUE}).")
    private java.nio.file.Path outDir;

    /** The specs every coverage report lists (issue 12 item 6). */
    private static final java.util.Set<String> FOUR_SPECS = java.util.Set.of("XpIpc", "ProxyWakeup", "UhligRace",
            "MigrationBarriers");

    @Option(names = "--coverage", description = "After the properties, print what the conformance runs covered: per spec "
            + "(XpIpc, ProxyWakeup, UhligRace from conform.specs; MigrationBarriers, and XpMigration once reached, from "
            + "conform.migration) how often each action and variant of its enabling condition was taken, the kernel path "
            + "segments, and what was never reached (an action the kernel cannot take is listed with why).")
    private boolean coverage;

    @Option(names = "--coverage-json", paramLabel = "FILE", description = "Write that coverage as JSON to FILE.")
    private java.nio.file.Path coverageJson;

    @Option(names = "--stats", description = "Also print the labels each property gave its inputs, with counts.")
    private boolean stats;

    @Option(names = "--json", description = "Print the results as JSON on stdout (with the labels' counts).")
    private boolean json;

    @Parameters(paramLabel = "PROPERTY", arity = "0..*", description = "Names of the properties to run (see --list).")
    private List<String> names = new ArrayList<>();

    private final Supplier<PropertyRegistry> registry;

    public PbtCommand() {
        this(PropertyRegistry::discover);
    }

    /** A command running the properties of the registry {@code registry} supplies (tests give their own). */
    public PbtCommand(Supplier<PropertyRegistry> registry) {
        this.registry = registry;
    }

    @Option(names = "--tries", paramLabel = "N",
            description = "Inputs to check per property (default: each property's own, usually 100).")
    private void setTries(int tries) {
        if (tries < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tries must be at least 1, got " + tries);
        }
        this.tries = tries;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PropertyRegistry.Entry> selected;
        try {
            PropertyRegistry properties = registry.get();
            if (list) {
                printList(out, properties);
                return ExitCodes.OK;
            }
            selected = properties.select(names);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage(), "'l4smp pbt --list' lists the properties");
        } catch (IllegalStateException e) {
            throw new UserError(ExitCodes.INTERNAL, e.getMessage(), null);
        }
        return runAll(selected, config(), out, err);
    }

    /** Writes the shrunk input's files if it can be replayed outside the harness, and says where and how. */
    private void writeReproduction(PrintWriter out, PrintWriter err, String property, l4smp.pbt.Counterexample c) {
        if (!(c.shrunkValue() instanceof l4smp.pbt.Reproducible r)) {
            return;
        }
        java.nio.file.Path dir = outDir.resolve(property + "-" + Seeds.format(c.seed()));
        try {
            java.util.Map<String, String> written = r.reproduction();
            java.util.Map<java.nio.file.Path, String> files = new java.util.LinkedHashMap<>();
            written.forEach((name, text) -> files.put(dir.resolve(name), text));
            java.nio.file.Files.createDirectories(dir);
            OutputFiles.write(files);
            out.println("  written:        " + dir + " (" + String.join(", ", written.keySet()) + ")");
            out.println("  replay:         " + r.replayCommand(dir));
        } catch (java.io.IOException | RuntimeException e) {
            err.println("l4smp pbt: could not write the failing input to " + dir + ": " + e.getMessage());
        }
    }

    private RunConfig config() {
        RunConfig config = RunConfig.defaults().withSeed(seed != null ? seed : Seeds.fresh());
        if (tries != null) {
            config = config.withTries(tries);
        }
        return time != null ? config.withTimeBudget(time) : config;
    }

    private int runAll(List<PropertyRegistry.Entry> selected, RunConfig config, PrintWriter out, PrintWriter err) {
        String runSeed = Seeds.format(config.seed().getAsLong());
        if (!json) out.printf("seed %s (repeat this run with --seed %s)%n", runSeed, runSeed);
        com.fasterxml.jackson.databind.node.ArrayNode rows = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        boolean failed = false;
        boolean gaveUp = false;
        boolean broken = false;
        PropertyRunner runner = new PropertyRunner();
        for (PropertyRegistry.Entry entry : selected) {
            Property<?> property;
            try {
                property = entry.create();
            } catch (RuntimeException e) {
                err.printf("l4smp: error: property %s could not be created: %s%n", entry.name(), e);
                broken = true;
                continue;
            }
            PropertyResult result = runner.run(property, config);
            if (json) {
                rows.add(toJson(result));
            } else {
                out.print(result.report("l4smp pbt --seed {seed} " + entry.name()));
                result.counterexample().ifPresent(c -> writeReproduction(out, err, entry.name(), c));
                if (stats) {
                    out.print(result.statistics().render());
                }
                out.flush();
            }
            failed |= result.status() == PropertyResult.Status.FAILED;
            gaveUp |= result.status() == PropertyResult.Status.GAVE_UP;
        }
        if (coverage || coverageJson != null) {
            l4smp.refine.Coverage c = l4smp.pbt.conform.ConformanceProperties.coverage();
            // the four specs of issue 12 always (a spec no run reached lists every action as never reached);
            // XpMigration when some run reached it
            java.util.List<String> specs = l4smp.refine.Abstractions.all().stream()
                    .filter(s -> FOUR_SPECS.contains(s) || l4smp.refine.SpecActions.of(s).stream()
                            .anyMatch(a -> c.count(s, a.name()) > 0)).toList();
            if (coverage && !json) {
                out.print("coverage of the conformance runs (" + l4smp.pbt.conform.ConformanceProperties.SPECS + ", "
                        + l4smp.pbt.conform.ConformanceProperties.MIGRATION + "):\n"
                        + c.render(specs));
            }
            if (coverageJson != null) {
                OutputFiles.write(java.util.Map.of(coverageJson, c.json(specs)));
                if (!json) {
                    out.println("coverage: " + coverageJson);
                }
            }
            out.flush();
        }
        int exit = broken ? ExitCodes.INTERNAL : failed ? ExitCodes.PROPERTY_FAILED : gaveUp ? ExitCodes.PROPERTY_GAVE_UP : ExitCodes.OK;
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode root = rows.objectNode();
            root.put("seed", runSeed).put("exitCode", exit).set("properties", rows);
            out.println(root.toPrettyString());
            out.flush();
        }
        return exit;
    }

    /** One property's result: status, counts, time, the labels' counts, and the counterexample with its seed. */
    private static com.fasterxml.jackson.databind.node.ObjectNode toJson(PropertyResult r) {
        com.fasterxml.jackson.databind.node.ObjectNode o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("name", r.name()).put("status", r.status().name().toLowerCase(java.util.Locale.ROOT))
                .put("stop", r.stop().name().toLowerCase(java.util.Locale.ROOT)).put("tries", r.tries())
                .put("discards", r.discards()).put("millis", r.elapsed().toMillis());
        com.fasterxml.jackson.databind.node.ObjectNode labels = o.putObject("labels");
        r.statistics().labels().forEach(l -> labels.put(l, r.statistics().count(l)));
        r.counterexample().ifPresent(c -> o.putObject("counterexample").put("shrunk", String.valueOf(c.shrunk()))
                .put("failure", c.failure().message()).put("original", String.valueOf(c.original()))
                .put("shrinkSteps", c.shrinkSteps()).put("seed", Seeds.format(c.seed())));
        return o;
    }

    private static void printList(PrintWriter out, PropertyRegistry properties) {
        int width = properties.all().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (PropertyRegistry.Entry entry : properties.all()) {
            out.printf("%-" + width + "s  %s%n", entry.name(), entry.description());
        }
        if (properties.all().isEmpty()) {
            out.println("(no properties registered)");
        }
    }

    /** Reads {@code --seed} as {@link Seeds#parse} does. */
    static final class SeedConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Seeds.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --time} as {@link RunConfig#parseDuration} does. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = RunConfig.parseDuration(value);
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException("the time budget must be positive, got '" + value + "'");
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
