package l4smp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code l4smp}: the command-line tool. Each subcommand returns one of {@link ExitCodes}. */
@Command(name = "l4smp", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
                "Executable, model-checked specification of the L4 SMP microkernel mechanisms "
                        + "(M. Voelp, 2002): TLA+ specs checked with TLC, a Java kernel on a simulated "
                        + "Pentium SMP, and trace refinement between the two."},
        subcommands = {CheckCommand.class, SuiteCommand.class, ExportCommand.class, RefineCommand.class, BehavioursCommand.class,
                SimulateCommand.class, MutateCommand.class,
                WorkerCommand.class, FpSetCommand.class,
                BenchCommand.class,
                PbtCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:the model holds / the run succeeded / every outcome was as expected",
                " 1:internal error (a bug in l4smp, or TLC failed for a reason not in the spec)",
                " 2:usage or I/O error: unknown option, missing file, unwritable --out",
                "10:an invariant is violated",
                "11:an action or temporal property is violated",
                "12:deadlock",
                "13:an ASSUME is false, or evaluating the spec failed",
                "14:the TLA+ module does not parse or fails semantic checks (SANY)",
                "15:the .cfg is malformed or names something the spec lacks",
                "16:stopped at --timeout before finishing (no violation found until then)",
                "20:suite: some configuration's outcome differs from its expectation",
                "21:mutate: some mutant of the spec survived",
                "30:refine: the trace is not a behaviour of the spec",
                "40:pbt: a property failed",
                "41:pbt: a property gave up (too many discarded inputs)",
                "50:bench hw: a simulated figure is outside 0.95-1.05 of the thesis's",
                "60:check --distributed: too few workers joined within --worker-timeout, or all left",
                "61:worker, fpset: the server cannot be reached, or was lost mid-run",
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        int exit = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return exit;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(Main::handle);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** User errors get one line saying what and where, then detail; anything else is an internal error. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof l4smp.tlc.Project.ProjectException p) e = UserError.usage(p.getMessage(), p.detail());
        if (e instanceof UserError u) {
            err.println("l4smp: error: " + u.getMessage());
            if (u.detail() != null) err.println("  " + u.detail().replace("\n", "\n  "));
            err.flush();
            return u.exitCode();
        }
        err.println("l4smp: internal error: " + e);
        if (System.getenv("L4SMP_DEBUG") != null) e.printStackTrace(err);
        else err.println("  (set L4SMP_DEBUG=1 to see the stack trace, and please report it)");
        err.flush();
        return ExitCodes.INTERNAL;
    }
}
