package l4smp.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the project's specs and configs are: the nearest directory, from the working directory
 * up, that has {@code spec-tla/} or {@code model-configs/}, else the project l4smp itself was loaded
 * from. Resolves spec names and default cfgs.
 */
public final class Project {
    public static final String SPECS = "spec-tla";
    public static final String CONFIGS = "model-configs";

    private final Path root;

    private Project(Path root) {
        this.root = root;
    }

    /** The project around the working directory, or around {@code explicitRoot} when given. */
    /** A spec or configuration that cannot be found; the detail says where it was looked for. */
    public static final class ProjectException extends RuntimeException {
        private final String detail;

        public ProjectException(String message, String detail) {
            super(message);
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }
    }

    public static Project locate(Path explicitRoot) {
        return locate(explicitRoot, Path.of("").toAbsolutePath());
    }

    static Project locate(Path explicitRoot, Path workingDir) {
        if (explicitRoot != null) return new Project(explicitRoot.toAbsolutePath().normalize());
        Optional<Path> around = enclosingProject(workingDir);
        if (around.isEmpty()) around = installedProject().flatMap(Project::enclosingProject);
        return new Project(around.orElse(workingDir));
    }

    private static Optional<Path> enclosingProject(Path start) {
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve(SPECS)) || Files.isDirectory(d.resolve(CONFIGS))) return Optional.of(d);
        }
        return Optional.empty();
    }

    /**
     * Where l4smp itself was loaded from ({@code target/l4smp.jar} or {@code target/classes}), so that
     * {@code java -jar /path/to/l4smp/target/l4smp.jar} finds the project's specs from any directory.
     */
    private static Optional<Path> installedProject() {
        try {
            var source = Project.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    public Path root() {
        return root;
    }

    public Path specDir() {
        return root.resolve(SPECS);
    }

    public Path configDir() {
        return root.resolve(CONFIGS);
    }

    /**
     * A spec given on the command line: a path to a {@code .tla} file, or a module name found under
     * {@code spec-tla/}.
     */
    public Path resolveSpec(String spec) {
        Path asPath = Path.of(spec.endsWith(".tla") || spec.contains("/") ? spec : spec + ".tla");
        if (Files.isRegularFile(asPath)) return asPath.toAbsolutePath().normalize();
        if (Files.isDirectory(Path.of(spec))) {
            throw new ProjectException(spec + " is a directory, not a spec",
                    "give a .tla file, or a module name found under " + specDir());
        }
        if (spec.endsWith(".tla") || spec.contains("/")) {
            throw new ProjectException("spec file not found: " + spec,
                    "give an existing .tla file, or a module name found under " + specDir());
        }
        Optional<Path> found = findModule(spec);
        if (found.isPresent()) return found.get();
        List<String> known = moduleNames();
        throw new ProjectException("no spec named '" + spec + "'", known.isEmpty()
                ? "there is no " + SPECS + "/ directory in " + root + " or above it: run l4smp inside an l4smp project, "
                        + "point at one with --root DIR, or give the path of a .tla file"
                : "looked for " + spec + ".tla in the working directory and under " + specDir()
                        + "; give a path to a .tla file or one of: " + String.join(", ", known));
    }

    /** The cfg to use for a spec: the one beside it, else its standard cfg under model-configs/. */
    public Path defaultConfig(Path spec) {
        String module = moduleName(spec);
        Path beside = spec.resolveSibling(module + ".cfg");
        if (Files.isRegularFile(beside)) return beside;
        Path standard = configDir().resolve(module).resolve(module + ".cfg");
        if (Files.isRegularFile(standard)) return standard;
        throw new ProjectException("no configuration for " + spec.getFileName(),
                "looked for " + beside + " and " + standard + "; give one with --config FILE");
    }

    public static String moduleName(Path spec) {
        String f = spec.getFileName().toString();
        return f.endsWith(".tla") ? f.substring(0, f.length() - 4) : f;
    }

    /** The configurations under model-configs/, sorted; none if there is no such directory. */
    public List<Path> configs() {
        if (!Files.isDirectory(configDir())) return List.of();
        try (Stream<Path> files = Files.walk(configDir())) {
            return files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Optional<Path> findModule(String name) {
        if (!Files.isDirectory(specDir())) return Optional.empty();
        try (Stream<Path> files = Files.walk(specDir())) {
            return files.filter(p -> p.getFileName().toString().equals(name + ".tla")).findFirst()
                    .map(p -> p.toAbsolutePath().normalize());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private List<String> moduleNames() {
        if (!Files.isDirectory(specDir())) return List.of();
        try (Stream<Path> files = Files.walk(specDir())) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".tla"))
                    .map(f -> f.substring(0, f.length() - 4)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
