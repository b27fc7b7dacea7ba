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
        description = "Run one of the benchmarks below.",
        subcommands = {
            BenchHwCommand.class,
            BenchRefineCommand.class,
            BenchKernelCommand.class,
            BenchIpcCommand.class,
            BenchMigrationCommand.class,
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand: say which there are. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing benchmark: name one of " + spec.subcommands().keySet());
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
