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
                SimulateCommand.class, ReplayCommand.class, MutateCommand.class,
                WorkerCommand.class, FpSetCommand.class,
                BenchCommand.class,
                PbtCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:the model holds / the run succeeded / every outcome was as expected",
                " 1:internal error (a bug in l4smp, or TLC failed for a reason not in the spec), or out of memory",
                " 2:usage or I/O error: unknown option, bad value, missing file, unwritable --out",
                "10:an invariant is violated",
                "11:an action or temporal property is violated",
                "12:deadlock",
                "13:an ASSUME is false, or evaluating the spec failed (e.g. a recursion that never ends)",
                "14:the TLA+ module does not parse or fails semantic checks (SANY)",
                "15:the .cfg is malformed or names something the spec lacks",
                "16:stopped at --timeout before finishing (no violation found until then)",
                "20:suite: some configuration's outcome differs from its expectation",
                "21:mutate: some mutant of the spec survived",
                "30:refine: the trace is not a behaviour of the spec",
                "31:replay: the kernel did not reproduce the counterexample",
                "32:replay: the counterexample is one replay cannot drive (no kernel switch, an action it does not map)",
                "40:pbt: a property failed",
                "41:pbt: a property gave up (too many discarded inputs)",
                "50:bench hw: a simulated figure is outside 0.95-1.05 of the thesis's",
                "60:check --distributed: too few workers joined within --worker-timeout, or all left",
                "61:worker, fpset: the server cannot be reached, or was lost mid-run",
                "130:stopped by SIGINT (Ctrl-C); the TLC worker and temporary files are gone",
                "143:stopped by SIGTERM; likewise",
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
        int exit = execute(cl, args);
        cl.getOut().flush();
        cl.getErr().flush();
        return exit;
    }

    /**
     * Runs {@code args} on {@code cl}; running out of memory is reported in one line saying how to
     * give more (picocli handles exceptions, but an {@link Error} passes through it).
     */
    static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            long maxMb = Runtime.getRuntime().maxMemory() >> 20;
            return report(cl.getErr(), "out of memory: the Java heap (at most " + maxMb + " MB) is full",
                    "give Java more, e.g. java -Xmx" + Math.max(2, 4 * maxMb / 1024) + "g -jar l4smp.jar ...",
                    ExitCodes.INTERNAL);
        }
    }

    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /** Gives {@code cl} (the tool, or a command alone, as tests use it) l4smp's error handling. */
    public static CommandLine configure(CommandLine cl) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(Main::badUsage);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A bad option or value: one line saying what, picocli's suggestions for a misspelt option,
     * and where the help is; not the whole usage text, which would bury the one line that matters.
     */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("l4smp: error: " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            java.util.List<String> near = u.getSuggestions();
            if (!near.isEmpty()) err.println("  did you mean: " + String.join(", ", near) + "?");
        }
        err.println("  see '" + cl.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** User errors get one line saying what and where, then detail; anything else is an internal error. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof l4smp.tlc.Project.ProjectException p) e = UserError.usage(p.getMessage(), p.detail());
        if (e instanceof UserError u) return report(err, u.getMessage(), u.detail(), u.exitCode());
        err.println("l4smp: internal error: " + e);
        if (System.getenv("L4SMP_DEBUG") != null) e.printStackTrace(err);
        else err.println("  (set L4SMP_DEBUG=1 to see the stack trace, and please report it)");
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /** The one error format of every command: {@code l4smp: error: WHAT}, then the detail indented. */
    static int report(PrintWriter err, String what, String detail, int exitCode) {
        err.println("l4smp: error: " + what);
        if (detail != null) err.println("  " + detail.replace("\n", "\n  "));
        err.flush();
        return exitCode;
    }
}
