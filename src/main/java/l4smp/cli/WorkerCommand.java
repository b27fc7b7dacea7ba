package l4smp.cli;

import l4smp.tlc.JoinRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code l4smp worker HOST[:PORT]}: expand states for a server started with {@code check --distributed}. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Join a distributed model check ('l4smp check SPEC --distributed') as a worker: the server sends "
                + "the spec, the cfg and states to expand, until it has explored them all. Start one per machine.",
                DistributedOptions.SECURITY + " The worker listens on --callback-port for the server's calls."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the server ended the run and released this worker", " 2:usage error",
                "61:the server cannot be reached, or was lost mid-run", " 1:internal error"})
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    Terminal terminal;

    @Mixin
    JoinOptions join;

    @Option(names = "--threads", paramLabel = "N|auto", defaultValue = "auto", converter = Converters.Workers.class,
            description = "worker threads (default: ${DEFAULT-VALUE}, one per core)")
    int threads;

    @Option(names = {"-q", "--quiet"}, description = "print only the last line")
    boolean quiet;

    @Override
    public Integer call() {
        int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return JoinOptions.join(join.request(JoinRequest.Role.WORKER, n), terminal, quiet, "states expanded");
    }
}
