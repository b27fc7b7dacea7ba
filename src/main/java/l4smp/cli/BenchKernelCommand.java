package l4smp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import l4smp.workload.bench.KernelBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code l4smp bench kernel}: what a local and a cross-CPU IPC cost in simulated cycles, and where they go. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = {
            "Measure short IPC on the simulated Pentium III SMP: a send and a call with its reply, between threads on one "
                    + "CPU and on two. Each runs in a loop n and 2n times on a fresh machine; the difference over n is one "
                    + "operation in the steady state.",
            "Per operation: the CPU cycles executed on all CPUs, the simulated time it takes (latency), the IPIs it sends, "
                    + "and where the cycles go: kernel entries and exits, IPIs (ICR writes and EOIs), cache lines moved between "
                    + "CPUs (MESI), other memory accesses, and the rest (instructions). The last column is the ratio to the "
                    + "same operation on one CPU. Simulated cycles: no host timing, so the figures repeat exactly."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:measured", " 2:usage error"})
public final class BenchKernelCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the rows as JSON.")
    private boolean json;

    @Option(names = "-n", paramLabel = "N", defaultValue = "200", description = "Operations per loop (default: ${DEFAULT-VALUE}).")
    private int n;

    @Override
    public Integer call() throws Exception {
        if (n < 10 || n > 100_000) {
            throw new ParameterException(spec.commandLine(), "-n must be between 10 and 100000, not " + n);
        }
        List<KernelBench.Row> rows = KernelBench.run(n);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(rows));
        } else {
            table(rows, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The local row an XP row is set against: the one of the same kind. */
    private static KernelBench.Row local(List<KernelBench.Row> rows, KernelBench.Row row) {
        String kind = row.name().replace("cross-CPU ", "").replace("local ", "");
        return rows.stream().filter(r -> r.name().equals("local " + kind)).findFirst().orElse(row);
    }

    private static void table(List<KernelBench.Row> rows, PrintWriter out) {
        out.println("Short IPC on the simulated Pentium III SMP, 450 MHz: simulated cycles per operation");
        out.printf(Locale.ROOT, "%-36s %9s %9s %5s %10s %8s %10s %8s %8s %8s%n", "operation", "cycles", "latency", "IPIs",
                "entry/exit", "IPI", "cache xfer", "memory", "instr", "vs local");
        for (KernelBench.Row r : rows) {
            var b = r.breakdown();
            out.printf(Locale.ROOT, "%-36s %9.0f %9.0f %5.2f %10.0f %8.0f %10.0f %8.0f %8.0f %7.2fx%n", r.name(), r.cycles(),
                    r.latency(), r.ipis(), b.get(KernelBench.Part.ENTRY_EXIT), b.get(KernelBench.Part.IPI),
                    b.get(KernelBench.Part.CACHE_TRANSFER), b.get(KernelBench.Part.MEMORY), b.get(KernelBench.Part.INSTRUCTIONS),
                    r.cycles() / local(rows, r).cycles());
        }
    }

    private static String json(List<KernelBench.Row> rows) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (KernelBench.Row r : rows) {
            ObjectNode o = array.addObject();
            o.put("operation", r.name());
            o.put("cycles", r.cycles());
            o.put("latency", r.latency());
            o.put("ipis", r.ipis());
            ObjectNode b = o.putObject("breakdown");
            r.breakdown().forEach((k, v) -> b.put(k.name().toLowerCase(Locale.ROOT), v));
            o.put("ratioToLocal", r.cycles() / local(rows, r).cycles());
        }
        return mapper.writeValueAsString(array);
    }
}
