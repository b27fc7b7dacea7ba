package l4smp.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The private temporary directories l4smp makes for TLC's files, and their removal. */
public final class TempDirs {
    private TempDirs() {
    }

    /**
     * Deletes {@code dir} and everything in it, as far as it can: these are private temporary
     * directories, so a file that cannot be removed is not worth failing a run for.
     */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort, see above
        }
    }
}
