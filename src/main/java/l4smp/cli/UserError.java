package l4smp.cli;

/**
 * A mistake in the user's input (a missing file, a bad value): printed as one line saying what
 * and where, then detail and how to fix it, and mapped to an exit code. Never a stack trace.
 */
public final class UserError extends RuntimeException {
    private final int exitCode;
    private final String detail;

    public UserError(int exitCode, String message, String detail) {
        super(message);
        this.exitCode = exitCode;
        this.detail = detail;
    }

    public static UserError usage(String message, String detail) {
        return new UserError(ExitCodes.USAGE, message, detail);
    }

    public int exitCode() {
        return exitCode;
    }

    public String detail() {
        return detail;
    }
}
