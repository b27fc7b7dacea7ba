package l4smp.specs;

import l4smp.tlc.CheckRequest;
import l4smp.tlc.CheckResult;
import l4smp.tlc.ConfigHeader;
import l4smp.tlc.Project;
import l4smp.tlc.TlcDriver;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every configuration under model-configs/ has the outcome its header declares (what
 * {@code l4smp suite} checks); the ones tagged slow run with {@code -Pslow}.
 */
class ModelConfigsTest {
    static final Project PROJECT = Project.locate(null);

    @TestFactory
    List<DynamicTest> everyConfigurationHasItsDeclaredOutcome() throws IOException {
        return tests(false);
    }

    @Tag("slow")
    @TestFactory
    List<DynamicTest> everySlowConfigurationHasItsDeclaredOutcome() throws IOException {
        return tests(true);
    }

    private static List<DynamicTest> tests(boolean slow) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path cfg : PROJECT.configs()) {
            ConfigHeader h = ConfigHeader.read(cfg);
            if (h.tags().contains("slow") != slow) continue;
            tests.add(DynamicTest.dynamicTest(PROJECT.configDir().relativize(cfg).toString(), () -> {
                assertEquals(List.of(), h.errors(), "the header declares an outcome");
                CheckResult r = check(cfg);
                assertTrue(h.expect().matches(r), () -> "expected " + h.expect() + ", got " + ConfigHeader.actual(r) + ": " + r.message());
                assertTrue(r.statistics().distinct() > 0);
                assertEquals(List.of(), r.warnings(), "SANY warns about the spec");
            }));
        }
        assertTrue(slow || !tests.isEmpty(), "there are configurations to check");
        return tests;
    }

    /** Checks a cfg against the module its header names, or its directory's name. */
    static CheckResult check(Path cfg) throws IOException {
        ConfigHeader h = ConfigHeader.read(cfg);
        String module = h.module(cfg);
        return TlcDriver.shared().check(new CheckRequest(PROJECT.resolveSpec(module), cfg, 0, null, null, null, null,
                List.of(PROJECT.specDir())));
    }

    /** One TLC worker thread: with two, TLC now and then returns a counterexample one state longer than the shortest. */
    static CheckResult check(String spec, String config) throws IOException {
        Path cfg = PROJECT.configDir().resolve(spec).resolve(config + ".cfg");
        ConfigHeader h = ConfigHeader.read(cfg);
        return TlcDriver.shared().check(new CheckRequest(PROJECT.resolveSpec(h.module(cfg)), cfg, 1,
                null, null, null, null, List.of(PROJECT.specDir())));
    }
}
