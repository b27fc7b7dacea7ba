package l4smp.tlc;

import java.nio.file.Path;

/** The small specs under src/test/resources/specs, each with a cfg of the same name. */
public final class TestSpecs {
    public static final Path DIR = Path.of("src/test/resources/specs").toAbsolutePath();

    private TestSpecs() {
    }

    public static Path spec(String name) {
        return DIR.resolve(name + ".tla");
    }

    public static Path cfg(String name) {
        return DIR.resolve(name + ".cfg");
    }

    public static CheckRequest request(String name) {
        return CheckRequest.of(spec(name), cfg(name)).withWorkers(1);
    }

    public static CheckResult check(String name) {
        return TlcDriver.shared().check(request(name));
    }
}
