package l4smp.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectTest {
    private static final Path HERE = Path.of("").toAbsolutePath();

    @Test
    void theProjectAroundTheWorkingDirectoryComesFirst(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("nested/deeper"));
        Files.createDirectories(dir.resolve(Project.SPECS));
        assertEquals(dir.toAbsolutePath(), Project.locate(null, dir.resolve("nested/deeper")).root());
    }

    @Test
    void outsideAnyProjectTheOneL4smpWasLoadedFromIsUsed(@TempDir Path dir) {
        Project p = Project.locate(null, dir);
        // the tests run from the project's classes, which lie inside it
        assertEquals(HERE, p.root());
        assertTrue(Files.isRegularFile(p.configDir().resolve("XpIpc/XpIpc.cfg")));
    }

    @Test
    void anExplicitRootWins(@TempDir Path dir) {
        assertEquals(dir.toAbsolutePath(), Project.locate(dir, HERE).root());
    }
}
