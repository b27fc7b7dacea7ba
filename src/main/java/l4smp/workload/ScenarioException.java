package l4smp.workload;

/**
 * A scenario that cannot run: what is wrong and where, as a path into the scenario
 * ({@code tasks[1].threads[0].pager}) and, for a scenario read from a file, its line and column.
 */
public final class ScenarioException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String problem;

    public ScenarioException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** Where in the scenario, e.g. {@code tasks[0].threads[1].priority}; empty for the whole scenario. */
    public String path() {
        return path;
    }

    public String problem() {
        return problem;
    }

    /** The same problem, placed at {@code location} (e.g. "line 12, column 7"). */
    public ScenarioException at(String location) {
        return new ScenarioException(location + (path.isEmpty() ? "" : ", " + path), problem);
    }
}
