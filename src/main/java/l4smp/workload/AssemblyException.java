package l4smp.workload;

/** A mistake in a program's text: which program, which line, what is wrong. */
public final class AssemblyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String program;
    private final int line;

    public AssemblyException(String program, int line, String message) {
        super(program + " line " + line + ": " + message);
        this.program = program;
        this.line = line;
    }

    public String program() {
        return program;
    }

    public int line() {
        return line;
    }
}
