package l4smp.cli;

import l4smp.tlc.Project;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A picocli mixin for the commands that take a spec: {@code [--config CFG] [--lib DIR]...
 * [--root DIR]}; the command names the spec itself (a parameter or {@code --spec}), resolved as
 * {@link Project} says.
 */
final class SpecArguments {
    @Option(names = {"-c", "--config"}, paramLabel = "CFG",
            description = "the cfg (default: the one beside the spec, else model-configs/<Spec>/<Spec>.cfg)")
    Path config;

    @Option(names = "--lib", paramLabel = "DIR", description = "more directories to search for EXTENDed modules")
    List<Path> lib = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", description = "the project directory (default: the one around the working directory, else the one l4smp runs from)")
    Path root;

    Project project() {
        return Project.locate(root);
    }

    Path specFile(String spec) {
        return project().resolveSpec(spec);
    }

    Path configFile(Path specFile) {
        if (config == null) return project().defaultConfig(specFile);
        if (!Files.isRegularFile(config)) throw UserError.usage("configuration file not found: " + config, "check the path");
        return config.toAbsolutePath().normalize();
    }

    /**
     * The spec and cfg to check: SPEC with its cfg, except that a cfg whose header names another
     * module ({@code \* spec: MCXpIpc}, a model-checking wrapper) is checked against that module.
     */
    Path[] specAndConfig(String spec) {
        Path specFile = specFile(spec);
        Path cfg = configFile(specFile);
        try {
            String declared = l4smp.tlc.ConfigHeader.read(cfg).spec();
            if (declared != null && !declared.equals(Project.moduleName(specFile))) specFile = project().resolveSpec(declared);
        } catch (java.io.IOException e) {
            throw UserError.usage("cannot read " + cfg + ": " + e.getMessage(), null);
        }
        return new Path[]{specFile, cfg};
    }

    /** --lib directories, then the project's spec-tla/ (so exported trace modules find the specs they extend). */
    List<Path> libraryPath() {
        List<Path> path = new ArrayList<>();
        for (Path d : lib) {
            if (!Files.isDirectory(d)) throw UserError.usage("--lib " + d + " is not a directory", "give a directory of .tla modules");
            path.add(d.toAbsolutePath());
        }
        if (Files.isDirectory(project().specDir())) path.add(project().specDir());
        return path;
    }
}
