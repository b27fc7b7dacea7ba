package l4smp.cli;

import l4smp.mutate.Mutant;
import l4smp.mutate.MutantResult;
import l4smp.mutate.MutationException;
import l4smp.mutate.MutationHtml;
import l4smp.mutate.MutationOperator;
import l4smp.mutate.MutationReport;
import l4smp.mutate.MutationRun;
import l4smp.mutate.SpecModules;
import l4smp.tlc.ConfigHeader;
import l4smp.tlc.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code l4smp mutate SPEC}: mutation testing of a spec's actions against its configurations. */
@Command(name = "mutate", mixinStandardHelpOptions = true,
        description = {"Mutation testing of a TLA+ spec: make small changes to the definitions its next-state "
                + "relation uses (drop a guard, leave a variable unchanged, drop an EXCEPT update, negate a condition, "
                + "exchange \\cup and \\, change a constant or a relation), check each mutant against the spec's "
                + "configurations, and report which mutants no configuration kills.",
                "A mutant is killed when some configuration's outcome differs from the one its header declares; "
                        + "a survivor is equivalent when TLC finds the same initial states and steps as the original's "
                        + "(both ways) in every configuration. Score: killed / (killed + survived + timeout).",
                "Mutants run in scratch copies of the spec's directory; nothing under spec-tla/ is written."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every mutant was killed, shown equivalent, or does not parse",
                "21:some mutant survived or ran past its time limit", " 2:usage or I/O error",
                "20:the unmutated spec does not have the outcome some configuration declares", " 1:internal error"})
final class MutateCommand implements Callable<Integer> {

    @Mixin
    Terminal terminal;

    @Parameters(index = "0", paramLabel = "SPEC", description = "module name under spec-tla/, or a .tla file")
    String spec;

    @Option(names = "--config", paramLabel = "CFG", arity = "1..*",
            description = "configurations to check the mutants against: .cfg files, or names under model-configs/<Spec>/ "
                    + "(default: the spec's configurations that expect holds and are not tagged slow)")
    List<String> configs = new ArrayList<>();

    @Option(names = "--all", description = "with the default configurations: also those tagged slow")
    boolean all;

    @Option(names = "--bug-configs", description = "with the default configurations: also those that expect a violation "
            + "or deadlock (a mutant that loses the bug is killed)")
    boolean bugConfigs;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "2",
            description = "mutants checked at the same time, each in its own TLC JVM (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.Time.class,
            description = "limit per configuration and mutant (default: 5 times the original's time, at least 60s)")
    Duration timeout;

    @Option(names = "--operators", paramLabel = "OP", split = ",",
            description = "only these operators: drop-conjunct, negate-guard, guard-true, keep-variable, drop-except, "
                    + "swap-set-op, change-constant, change-relation")
    List<String> operators = new ArrayList<>();

    @Option(names = "--definitions", paramLabel = "NAME", split = ",", description = "only mutants of these definitions")
    List<String> definitions = new ArrayList<>();

    @Option(names = "--mutants", paramLabel = "ID", split = ",", description = "only these mutants, e.g. M007,M012")
    List<String> ids = new ArrayList<>();

    @Option(names = "--next", paramLabel = "NAME", defaultValue = "Next",
            description = "the next-state relation whose definitions are mutated (default: ${DEFAULT-VALUE})")
    String next;

    @Option(names = "--list", description = "list the mutants and exit")
    boolean list;

    @Option(names = "--no-equivalence", description = "do not check survivors for equivalence")
    boolean noEquivalence;

    @Option(names = "--json", description = "print the report as JSON on stdout (the progress rows go to stderr)")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "write the report, survivors in their source context, as HTML")
    Path html;

    @Option(names = "--root", paramLabel = "DIR", description = "the project directory (default: the one around the working directory, else the one l4smp runs from)")
    Path root;

    @Override
    public Integer call() throws IOException {
        if (jobs < 1) throw UserError.usage("--jobs must be at least 1, not " + jobs, "give --jobs 1 or more");
        if (html != null) OutputFiles.checkWritable(html);
        Project project = Project.locate(root);
        try {
            SpecModules modules = SpecModules.load(project.resolveSpec(spec));
            List<Mutant> mutants = select(modules.mutants(next));
            if (list) return list(mutants);
            List<Path> cfgs = configs(project, modules.name());
            if (!json) intro(modules, mutants, cfgs);
            MutationRun run = new MutationRun(modules, mutants, cfgs, List.of(project.specDir()),
                    new MutationRun.Options(jobs, timeout, !noEquivalence, next));
            MutationReport report = run.run(this::progress);
            finish(report, modules.text());
            return report.unkilled().isEmpty() ? ExitCodes.OK : ExitCodes.MUTANTS_SURVIVED;
        } catch (MutationException e) {
            throw new UserError(e.kind() == MutationException.Cause.BASELINE ? ExitCodes.UNEXPECTED : ExitCodes.USAGE,
                    e.getMessage(), e.detail());
        }
    }

    private List<Mutant> select(List<Mutant> all) {
        Set<MutationOperator> ops = new java.util.HashSet<>();
        for (String o : operators) {
            try {
                ops.add(MutationOperator.ofLabel(o));
            } catch (IllegalArgumentException e) {
                throw UserError.usage(e.getMessage(), "give one of the operators listed by --help");
            }
        }
        List<Mutant> out = all.stream()
                .filter(m -> ops.isEmpty() || ops.contains(m.operator()))
                .filter(m -> definitions.isEmpty() || definitions.contains(m.definition()))
                .filter(m -> ids.isEmpty() || ids.contains(m.id())).toList();
        if (out.isEmpty()) throw UserError.usage("no mutants to check", "relax --operators, --definitions or --mutants");
        return out;
    }

    private int list(List<Mutant> mutants) {
        for (Mutant m : mutants) {
            terminal.out().printf("%-5s %-28s %-15s %s%n", m.id(), m.definition() + ":" + m.line(), m.operator().label(),
                    m.change());
        }
        terminal.out().printf("%d mutants%n", mutants.size());
        return ExitCodes.OK;
    }

    /** The cfgs named with --config, else the spec's own: those that expect holds (or all with --bug-configs), not slow. */
    private List<Path> configs(Project project, String specName) throws IOException {
        Path dir = project.configDir().resolve(specName);
        List<Path> out = new ArrayList<>();
        for (String c : configs) {
            Path asPath = Path.of(c);
            Path named = dir.resolve(c.endsWith(".cfg") ? c : c + ".cfg");
            if (Files.isRegularFile(asPath)) out.add(asPath.toAbsolutePath().normalize());
            else if (Files.isRegularFile(named)) out.add(named);
            else throw UserError.usage("configuration not found: " + c, "give a .cfg file or a name under " + dir);
        }
        if (!configs.isEmpty()) return out;
        for (Path cfg : project.configs()) {
            if (!cfg.getParent().equals(dir)) continue;
            ConfigHeader h = ConfigHeader.read(cfg);
            if (h.expect() == null || (!all && h.tags().contains("slow"))) continue;
            if (bugConfigs || h.expect().kind() == ConfigHeader.Expectation.Kind.HOLDS) out.add(cfg);
        }
        if (out.isEmpty()) {
            throw UserError.usage("no configurations for " + specName + " under " + dir,
                    "give them with --config, or use --all / --bug-configs");
        }
        return out;
    }

    private void intro(SpecModules modules, List<Mutant> mutants, List<Path> cfgs) {
        terminal.out().printf("mutating %s: %d mutants, checked against %s, %d at a time%n", modules.name(),
                mutants.size(), cfgs.stream().map(p -> p.getFileName().toString()).toList(), jobs);
        terminal.out().flush();
    }

    /** One row per mutant as it is decided: on stdout, or on stderr when stdout carries the JSON. */
    private void progress(MutantResult r) {
        java.io.PrintWriter to = json ? terminal.err() : terminal.out();
        to.println(MutationReport.row(r));
        to.flush();
    }

    private void finish(MutationReport report, String moduleText) {
        if (json) terminal.out().println(report.json().toPrettyString());
        else terminal.out().printf("%n%s%n", report.summary());
        if (html != null) OutputFiles.write(Map.of(html, MutationHtml.render(report, moduleText)));
    }
}
