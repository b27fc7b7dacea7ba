package l4smp.tlc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One TLC run: a spec, its configuration and how to run it.
 *
 * @param spec          the root module's {@code .tla} file
 * @param config        the {@code .cfg} file
 * @param workers       TLC worker threads; 0 means one per available core
 * @param checkDeadlock {@code null} to follow the cfg ({@code CHECK_DEADLOCK}, on by default),
 *                      otherwise force deadlock checking on or off
 * @param simulation    {@code null} for exhaustive model checking, otherwise random simulation
 * @param seed          seed of TLC's random choices (simulation), or {@code null} for a random one
 * @param timeout       stop the run after this long, or {@code null} for no limit
 * @param libraryPath   extra directories searched for modules the spec EXTENDS or INSTANCEs
 *                      (after the spec's own directory)
 */
public record CheckRequest(Path spec, Path config, int workers, Boolean checkDeadlock, Simulation simulation,
                           Long seed, Duration timeout, List<Path> libraryPath) {

    /** Random simulation: {@code traces} behaviours of at most {@code depth} states each. */
    public record Simulation(int depth, long traces) {
    }

    public CheckRequest {
        spec = spec.toAbsolutePath().normalize();
        config = config.toAbsolutePath().normalize();
        libraryPath = libraryPath == null ? List.of() : List.copyOf(libraryPath);
        if (workers < 0) throw new IllegalArgumentException("workers must be >= 0 (0 = auto), not " + workers);
    }

    /** Exhaustive model checking with TLC's defaults (one worker per core, deadlock as the cfg says). */
    public static CheckRequest of(Path spec, Path config) {
        return new CheckRequest(spec, config, 0, null, null, null, null, List.of());
    }

    public CheckRequest withWorkers(int n) {
        return new CheckRequest(spec, config, n, checkDeadlock, simulation, seed, timeout, libraryPath);
    }

    public CheckRequest withDeadlock(Boolean check) {
        return new CheckRequest(spec, config, workers, check, simulation, seed, timeout, libraryPath);
    }

    public CheckRequest withSimulation(Simulation s) {
        return new CheckRequest(spec, config, workers, checkDeadlock, s, seed, timeout, libraryPath);
    }

    public CheckRequest withSeed(Long s) {
        return new CheckRequest(spec, config, workers, checkDeadlock, simulation, s, timeout, libraryPath);
    }

    public CheckRequest withTimeout(Duration t) {
        return new CheckRequest(spec, config, workers, checkDeadlock, simulation, seed, t, libraryPath);
    }

    /** The module name: the spec's file name without {@code .tla}. */
    public String moduleName() {
        return Project.moduleName(spec);
    }
}
