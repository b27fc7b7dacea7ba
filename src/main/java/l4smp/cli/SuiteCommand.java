package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import l4smp.tlc.CheckRequest;
import l4smp.tlc.Project;
import l4smp.tlc.CheckResult;
import l4smp.tlc.ConfigHeader;
import l4smp.tlc.TlcDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code l4smp suite}: checks every cfg under model-configs/ against its spec and compares the
 * outcome with the one its header declares (see {@link ConfigHeader}).
 */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {"Check every configuration under model-configs/<Spec>/ and compare each outcome with the "
                + "one the cfg declares in its header (\\* expect: holds | violation NAME | deadlock).",
                "Configurations tagged `slow` are skipped unless --all is given."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every outcome was as expected", "20:some outcome differed from its expectation",
                " 2:usage or I/O error"})
final class SuiteCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    Terminal terminal;
    /** The table's row format, its columns as wide as the configurations to run need. */
    private String row = "";

    @Parameters(paramLabel = "SPEC", arity = "0..*", description = "only these specs (default: all)")
    List<String> only = new ArrayList<>();

    @Option(names = "--all", description = "also run configurations tagged slow")
    boolean all;

    @Option(names = "--tag", paramLabel = "TAG", description = "only configurations with this tag")
    String tag;

    @Option(names = "--workers", paramLabel = "N|auto", defaultValue = "auto", converter = Converters.Workers.class,
            description = "TLC worker threads per check (default: ${DEFAULT-VALUE}: every core for a cfg tagged standard, "
                    + "the cores shared out among the jobs for the others)")
    int workers;

    @Option(names = "--jobs", paramLabel = "N", description = "configurations checked at once, each in a TLC worker JVM "
            + "of its own; the big ones (tagged standard) start first (default: the number of cores)")
    Integer jobs;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Time.class,
            description = "limit for each configuration, e.g. 5m")
    Duration timeout;

    @Option(names = "--root", paramLabel = "DIR", description = "the project directory (default: the one around the working directory, else the one l4smp runs from)")
    Path root;

    @Option(names = "--json", description = "print the rows as JSON on stdout")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "no progress lines on stderr while a configuration runs")
    boolean quiet;

    record Row(String spec, String config, String expected, String actual, long distinct, long millis, boolean asExpected,
               String note) {
    }

    @Override
    public Integer call() throws IOException {
        if (jobs != null && jobs < 1) throw UserError.usage("--jobs must be 1 or more, not " + jobs, null);
        Project project = Project.locate(root);
        List<Path> configs = configs(project);
        if (!all && configs.stream().allMatch(p -> header(p).tags().contains("slow"))) {
            throw UserError.usage("every selected configuration is tagged slow", "add --all to run them");
        }
        row = rowFormat(project, configs);
        if (!json) terminal.out().printf(row, "spec", "config", "expected", "actual", "distinct", "time", "");
        long start = System.nanoTime();
        List<Path> selected = new ArrayList<>();
        int skipped = 0;
        for (Path cfg : configs) {
            ConfigHeader header = ConfigHeader.read(cfg);
            if (!all && header.tags().contains("slow")) {
                skipped++;
                continue;
            }
            selected.add(cfg);
        }
        List<Row> rows = new SuiteSchedule(jobs == null ? Runtime.getRuntime().availableProcessors() : jobs)
                .run(selected, (cfg, driver) -> run(project, cfg, ConfigHeader.read(cfg), driver), row -> {
                    if (!json) print(row);
                });
        long total = (System.nanoTime() - start) / 1_000_000;
        long surprises = rows.stream().filter(r -> !r.asExpected()).count();
        long sum = rows.stream().mapToLong(Row::millis).sum();
        if (json) printJson(rows, total, sum, skipped);
        else summary(rows.size(), surprises, skipped, total, sum);
        return surprises == 0 ? ExitCodes.OK : ExitCodes.UNEXPECTED;
    }

    private List<Path> configs(Project project) {
        if (!Files.isDirectory(project.configDir())) {
            throw UserError.usage("no " + Project.CONFIGS + "/ directory in " + project.root(),
                    "run l4smp suite inside the project, or give --root DIR");
        }
        List<Path> every = project.configs();
        // A spec is named by its directory (XpIpc) or by the module its cfgs check (MCXpIpc), as the table shows.
        List<Path> cfgs = every.stream().filter(p -> only.isEmpty() || only.contains(p.getParent().getFileName().toString())
                || only.contains(header(p).module(p))).toList();
        if (cfgs.isEmpty()) {
            throw UserError.usage("no .cfg files found under " + project.configDir() + (only.isEmpty() ? "" : " for " + only),
                    "check the spec names; the specs are " + new java.util.TreeSet<>(every.stream()
                            .map(p -> p.getParent().getFileName().toString()).toList()));
        }
        if (tag != null) {
            cfgs = cfgs.stream().filter(p -> header(p).tags().contains(tag)).toList();
            if (cfgs.isEmpty()) {
                java.util.Set<String> tags = new java.util.TreeSet<>();
                every.forEach(p -> tags.addAll(header(p).tags()));
                throw UserError.usage("no configuration" + (only.isEmpty() ? "" : " of " + only) + " has the tag '" + tag + "'",
                        "the tags are " + tags);
            }
        }
        return cfgs;
    }

    private static ConfigHeader header(Path cfg) {
        try {
            return ConfigHeader.read(cfg);
        } catch (IOException e) {
            throw UserError.usage("cannot read " + cfg + ": " + e.getMessage(), null);
        }
    }

    private static String rowFormat(Project project, List<Path> configs) throws IOException {
        int spec = 4;
        int config = 6;
        int outcome = 8;
        for (Path cfg : configs) {
            ConfigHeader h = ConfigHeader.read(cfg);
            spec = Math.max(spec, h.module(cfg).length());
            config = Math.max(config, project.configDir().relativize(cfg).toString().length());
            if (h.expect() != null) outcome = Math.max(outcome, h.expect().toString().length());
        }
        return "%-" + spec + "s  %-" + config + "s  %-" + outcome + "s  %-" + outcome + "s  %10s %7s  %s%n";
    }

    private Row run(Project project, Path cfg, ConfigHeader header, TlcDriver driver) {
        String specName = header.module(cfg);
        String cfgName = project.configDir().relativize(cfg).toString();
        String expected = header.expect() == null ? "?" : header.expect().toString();
        if (!header.errors().isEmpty()) {
            return new Row(specName, cfgName, expected, "-", 0, 0, false, String.join("; ", header.errors()));
        }
        Path spec;
        try {
            spec = project.resolveSpec(specName);
        } catch (Project.ProjectException e) {
            return new Row(specName, cfgName, expected, "-", 0, 0, false, e.getMessage());
        }
        // auto: a big model (tagged standard) gets every core, as it runs alone once the small ones are done;
        // a small one its share of the cores
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = workers != 0 ? workers : header.tags().contains("standard") ? cores : Math.max(1, cores / jobs());
        CheckRequest request = new CheckRequest(spec, cfg, threads, null, null, null, timeout, List.of(project.specDir()));
        CheckResult r;
        // Jobs running at once cannot share one line rewritten in place: each logs lines of its own.
        try (ProgressLine progress = new ProgressLine(terminal.err(), !quiet, "  " + cfgName + ":", jobs() == 1)) {
            r = driver.check(request, progress);
        }
        boolean ok = header.expect().matches(r);
        String note = ok ? "" : r.message() == null ? "" : r.message().lines().findFirst().orElse("");
        return new Row(specName, cfgName, expected, ConfigHeader.actual(r), r.statistics().distinct(),
                r.statistics().wallMillis(), ok, note);
    }

    private void print(Row r) {
        terminal.out().printf(row, r.spec(), r.config(), r.expected(), r.actual(),
                l4smp.tlc.Statistics.known(r.distinct()) ? String.format("%,d", r.distinct()) : "?",
                String.format("%.1fs", r.millis() / 1000.0), r.asExpected() ? "as expected" : "UNEXPECTED " + r.note());
        terminal.out().flush();
    }

    private int jobs() {
        return jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
    }

    private void summary(int n, long surprises, int skipped, long totalMillis, long sumMillis) {
        terminal.out().printf("%n%d configuration%s checked, %s%s; total time %.1f s (wall, %d job%s; the checks' own times add up to %.1f s)%n",
                n, n == 1 ? "" : "s", surprises == 0 ? "all as expected" : surprises + " UNEXPECTED",
                skipped == 0 ? "" : " (" + skipped + " tagged slow skipped; --all runs them)", totalMillis / 1000.0,
                jobs(), jobs() == 1 ? "" : "s", sumMillis / 1000.0);
    }

    private void printJson(List<Row> rows, long totalMillis, long sumMillis, int skipped) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode a = root.putArray("rows");
        for (Row r : rows) {
            a.addObject().put("spec", r.spec()).put("config", r.config()).put("expected", r.expected())
                    .put("actual", r.actual()).put("distinct", r.distinct()).put("millis", r.millis())
                    .put("asExpected", r.asExpected()).put("note", r.note());
        }
        root.put("totalMillis", totalMillis).put("sumMillis", sumMillis).put("jobs", jobs()).put("skipped", skipped)
                .put("unexpected", rows.stream().filter(r -> !r.asExpected()).count());
        terminal.out().println(root.toPrettyString());
    }
}
