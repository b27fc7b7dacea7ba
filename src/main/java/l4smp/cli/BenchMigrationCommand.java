package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import l4smp.workload.bench.MigrationBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code l4smp bench migration}: what moving a thread costs on each CPU, and what the moved thread pays afterwards. */
@Command(name = "migration", mixinStandardHelpOptions = true,
        description = {
            "Measure thread migration on the simulated Pentium III SMP (§8.7.2): n waiting threads moved one after the "
                    + "other from cpu1 to cpu2 by a scheduler on cpu0, against a run without the calls; per migration, "
                    + "the cycles of the caller's CPU (part A: the whole thread_schedule), the source (B) and the "
                    + "destination (C).",
            "Then the refetch (§6.1.1): a thread writes 50 cache lines and reads 50 others, sleeps, and does it again; "
                    + "the second pass moved to another CPU during the sleep, against the same pass on its own CPU. The "
                    + "thesis estimates 4500-7750 cycles. Simulated cycles: the figures repeat exactly."
        })
public final class BenchMigrationCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the figures as JSON.")
    private boolean json;

    @Option(names = "-n", paramLabel = "N", defaultValue = "16", description = "Migrations per run, 1..60 (default: ${DEFAULT-VALUE}).")
    private int n;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || n > 60) {
            throw new ParameterException(spec.commandLine(), "-n must be between 1 and 60 (threads of one task), not " + n);
        }
        MigrationBench.Cost cost = MigrationBench.cost(n);
        MigrationBench.Refetch refetch = MigrationBench.refetch();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode o = mapper.createObjectNode();
            o.put("migrations", n);
            o.put("callerCycles", cost.caller());
            o.put("sourceCycles", cost.source());
            o.put("destinationCycles", cost.destination());
            o.put("refetchCycles", refetch.cycles());
            o.put("dirtyLines", refetch.dirtyLines());
            o.put("cleanLines", refetch.cleanLines());
            o.put("thesisRefetchLow", MigrationBench.THESIS_REFETCH_LOW);
            o.put("thesisRefetchHigh", MigrationBench.THESIS_REFETCH_HIGH);
            out.println(mapper.writeValueAsString(o));
        } else {
            out.printf(Locale.ROOT, "Thread migration on the simulated Pentium III SMP, 450 MHz: simulated cycles (%d migrations)%n", n);
            out.printf(Locale.ROOT, "%-44s %9.0f%n", "caller's CPU (A: thread_schedule)", cost.caller());
            out.printf(Locale.ROOT, "%-44s %9.0f%n", "source CPU (B)", cost.source());
            out.printf(Locale.ROOT, "%-44s %9.0f%n", "destination CPU (C)", cost.destination());
            out.printf(Locale.ROOT, "%-44s %9.0f   (§6.1.1: %d-%d, %.2fx-%.2fx of it)%n",
                    "refetch of " + refetch.dirtyLines() + " dirty + " + refetch.cleanLines() + " clean lines", refetch.cycles(),
                    MigrationBench.THESIS_REFETCH_LOW, MigrationBench.THESIS_REFETCH_HIGH,
                    refetch.cycles() / MigrationBench.THESIS_REFETCH_HIGH, refetch.cycles() / MigrationBench.THESIS_REFETCH_LOW);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
