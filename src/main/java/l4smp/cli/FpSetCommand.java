package l4smp.cli;

import l4smp.tlc.JoinRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code l4smp fpset HOST[:PORT]}: store a share of the fingerprints for {@code check --distributed --fpsets N}. */
@Command(name = "fpset", mixinStandardHelpOptions = true,
        description = {"Join a distributed model check started with '--fpsets N' as one of its N fingerprint-set servers: "
                + "it stores a share of the fingerprints of the states seen, so that the set can outgrow one machine's memory.",
                DistributedOptions.SECURITY + " The fingerprint server listens on --callback-port."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the server ended the run and released this fingerprint server", " 2:usage error",
                "61:the server cannot be reached, or was lost mid-run", " 1:internal error"})
final class FpSetCommand implements Callable<Integer> {
    @Mixin
    Terminal terminal;

    @Mixin
    JoinOptions join;

    @Option(names = {"-q", "--quiet"}, description = "print only the last line")
    boolean quiet;

    @Override
    public Integer call() {
        return JoinOptions.join(join.request(JoinRequest.Role.FPSET, 0), terminal, quiet, "fingerprints stored");
    }
}
