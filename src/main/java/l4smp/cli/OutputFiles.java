package l4smp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes output files all-or-nothing: each is written to a temporary file beside its target and
 * moved into place only when every one has been written, so an error never leaves a half-written
 * file behind.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** Fails early, before a long run, if {@code out} cannot be written. */
    public static void checkWritable(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw UserError.usage("cannot write " + out + ": directory " + dir + " does not exist",
                    "create the directory first, or choose another --out path");
        }
        if (!Files.isWritable(dir) || (Files.exists(out) && !Files.isWritable(out)) || Files.isDirectory(out)) {
            throw UserError.usage("cannot write " + out + ": " + (Files.isDirectory(out) ? "it is a directory" : "permission denied"),
                    "choose another --out path");
        }
    }

    public static void write(Map<Path, String> files) {
        List<Path[]> staged = new ArrayList<>();
        try {
            for (Map.Entry<Path, String> f : files.entrySet()) {
                Path target = f.getKey().toAbsolutePath();
                checkWritable(target);
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
                staged.add(new Path[]{tmp, target});
                Files.writeString(tmp, f.getValue(), StandardCharsets.UTF_8);
            }
            for (Path[] s : staged) move(s[0], s[1]);
        } catch (IOException e) {
            for (Path[] s : staged) {
                try {
                    Files.deleteIfExists(s[0]);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
            throw UserError.usage("cannot write " + files.keySet() + ": " + e.getMessage(), "choose another --out path");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
