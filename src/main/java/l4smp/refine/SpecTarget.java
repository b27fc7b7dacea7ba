package l4smp.refine;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.ConfigHeader;
import l4smp.tlc.Project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A spec with one of its configurations, as the trace properties and benchmarks use them: the
 * project's configurations that declare {@code expect: holds} (so that every behaviour TLC
 * simulates satisfies the invariants) and are not tagged {@code slow}.
 */
public record SpecTarget(String name, Path spec, Path config) {

    public static List<SpecTarget> discover(Project project) {
        List<SpecTarget> out = new ArrayList<>();
        for (Path cfg : project.configs()) {
            try {
                ConfigHeader h = ConfigHeader.read(cfg);
                if (h.expect() == null || h.expect().kind() != ConfigHeader.Expectation.Kind.HOLDS || h.tags().contains("slow")) continue;
                String module = h.module(cfg);
                String label = module + "/" + cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
                out.add(new SpecTarget(label, project.resolveSpec(module), cfg));
            } catch (IOException | Project.ProjectException unusable) {
                // a cfg that cannot be read or whose spec is missing is the suite's business
            }
        }
        return out;
    }

    public CheckRequest request(List<Path> libraryPath) {
        return new CheckRequest(spec, config, 1, null, null, null, null, libraryPath);
    }

    @Override
    public String toString() {
        return name;
    }
}
