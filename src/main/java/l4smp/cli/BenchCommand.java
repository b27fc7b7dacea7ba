package l4smp.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code l4smp bench}: benchmarks that measure l4smp against the thesis and measure l4smp itself.
 * A new benchmark is one more class in {@code subcommands}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks: hw (the simulated Pentium against the thesis's measurements), "
                + "refine (the trace checker's speed), kernel (the simulated cycles of short IPC on one CPU and across two), "
                + "ipc (simulated IPCs per host CPU second), conform (kernel steps per CPU second checked against the "
                + "specs and unchecked), migration (the simulated cycles of a thread migration on each CPU and of the "
                + "moved thread's refetch).", "Run 'l4smp bench NAME --help' for details."},
        subcommands = {
            BenchHwCommand.class,
            BenchRefineCommand.class,
            BenchKernelCommand.class,
            BenchIpcCommand.class,
            BenchConformCommand.class,
            BenchMigrationCommand.class,
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand: say which there are. */
    @Override
    public Integer call() {
        throw UserError.usage("which benchmark? name one of " + spec.subcommands().keySet(), "see 'l4smp bench --help'");
    }
}
