package l4smp.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes output files the way a user expects of a Unix tool, and all-or-nothing where that is
 * possible.
 *
 * <ul>
 *   <li>A regular file, or a path where nothing is yet, is written to a temporary file beside it
 *   and moved into place only when every file of the output has been written, so an error never
 *   leaves a half-written file. A new file gets the process umask's permissions, an existing one
 *   keeps its mode.</li>
 *   <li>A symbolic link is followed: its target is written, the link stays.</li>
 *   <li>A character device ({@code /dev/stdout}, {@code /dev/null}) or a FIFO is written into
 *   directly; replacing it by a regular file would destroy it.</li>
 *   <li>Anything else (a directory, a block device, a socket) is refused with the reason.</li>
 * </ul>
 * {@code -} means standard output; the commands write it themselves ({@link #isStdout}).
 */
public final class OutputFiles {
    /** {@code st_mode} file-type bits (stat(2)), read through the JDK's "unix" attribute view. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;
    /** More links than this in a chain is a loop (Linux's limit is 40 as well). */
    private static final int MAX_LINKS = 40;

    private OutputFiles() {
    }

    /** What is at an output path once symbolic links are followed. */
    enum Kind {
        /** nothing yet: a regular file will be created */
        ABSENT,
        /** a regular file: replaced atomically, its mode kept */
        REGULAR,
        /** a character device or a FIFO: written into */
        STREAM
    }

    /** Where output for {@code path} really goes: the end of its symbolic links, and what is there. */
    record Target(Path given, Path path, Kind kind) {
    }

    /** {@code --out -}: standard output. */
    public static boolean isStdout(Path out) {
        return out != null && out.toString().equals("-");
    }

    /** Fails early, before a long run, if {@code out} cannot be written, saying why. */
    public static void checkWritable(Path out) {
        if (isStdout(out)) return;
        Target t = target(out);
        Path dir = t.path().getParent();
        switch (t.kind()) {
            case STREAM -> {
                if (!Files.isWritable(t.path())) throw cannot(out, "permission denied", "choose another --out path");
            }
            case REGULAR -> {
                if (!Files.isWritable(t.path())) throw cannot(out, "permission denied", "choose another --out path");
                probe(out, dir);
            }
            case ABSENT -> probe(out, dir);
        }
    }

    /** Writes every file or none of the regular ones (streams are written last, after the files are in place). */
    public static void write(Map<Path, String> files) {
        Map<Target, String> targets = new LinkedHashMap<>();
        files.forEach((p, text) -> targets.put(target(p), text));
        List<Path[]> staged = new ArrayList<>();
        try {
            for (Map.Entry<Target, String> f : targets.entrySet()) {
                if (f.getKey().kind() != Kind.STREAM) staged.add(new Path[]{stage(f.getKey(), f.getValue()), f.getKey().path()});
            }
        } catch (IOException e) {
            staged.forEach(s -> deleteQuietly(s[0]));
            throw cannot(firstOf(files), reason(e), "choose another --out path");
        }
        for (Path[] s : staged) {
            try {
                move(s[0], s[1]);
            } catch (IOException e) {
                staged.forEach(x -> deleteQuietly(x[0]));
                throw cannot(s[1], reason(e), "choose another --out path");
            }
        }
        for (Map.Entry<Target, String> f : targets.entrySet()) {
            if (f.getKey().kind() != Kind.STREAM) continue;
            try (OutputStream o = Files.newOutputStream(f.getKey().path(), StandardOpenOption.WRITE)) {
                o.write(f.getValue().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw cannot(f.getKey().given(), reason(e), null);
            }
        }
    }

    /** Creates {@code dir} (and its parents) for output, or says why it cannot be. */
    public static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw cannot(dir, Files.exists(dir) && !Files.isDirectory(dir) ? "it exists and is not a directory" : reason(e),
                    "choose another directory");
        } catch (IOException e) {
            throw cannot(dir, reason(e), "choose another directory");
        }
        if (!Files.isWritable(dir)) throw cannot(dir, "permission denied", "choose another directory");
    }

    /** Follows {@code out}'s symbolic links and says what is at the end; refuses what cannot be written. */
    static Target target(Path out) {
        Path p = out.toAbsolutePath();
        try {
            for (int links = 0; Files.isSymbolicLink(p); links++) {
                if (links == MAX_LINKS) throw cannot(out, "too many levels of symbolic links", null);
                p = p.getParent().resolve(Files.readSymbolicLink(p));
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Path dir = p.getParent();
                if (dir == null || !Files.isDirectory(dir)) {
                    throw cannot(out, "directory " + dir + " does not exist", "create the directory first, or choose another path");
                }
                return new Target(out, p, Kind.ABSENT);
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) throw cannot(out, "it is a directory", "give a file name");
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return new Target(out, p, Kind.REGULAR);
            int type = fileType(p);
            if (type == S_IFCHR || type == S_IFIFO) return new Target(out, p, Kind.STREAM);
            String what = type == S_IFBLK ? "a block device" : type == S_IFSOCK ? "a socket" : "a special file";
            throw cannot(out, "it is " + what,
                    "l4smp writes regular files, character devices such as /dev/stdout, and FIFOs; choose another path");
        } catch (IOException e) {
            throw cannot(out, reason(e), null);
        }
    }

    private static int fileType(Path p) throws IOException {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & S_IFMT;
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return 0;
        }
    }

    /** Creates and removes a file in {@code dir}: the only sure test that the directory takes new files. */
    private static void probe(Path out, Path dir) {
        Path tmp = null;
        try {
            tmp = createBeside(dir, out.getFileName().toString());
        } catch (IOException e) {
            throw cannot(out, "cannot create files in " + dir + " (" + reason(e) + ")", "choose another path");
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    /** The text written to a new file beside the target, with the target's mode if it has one. */
    private static Path stage(Target t, String text) throws IOException {
        Path tmp = createBeside(t.path().getParent(), t.path().getFileName().toString());
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
            if (t.kind() == Kind.REGULAR) keepMode(t.path(), tmp);
            return tmp;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * A new, empty file: created without explicit permissions, so the process umask applies, as it
     * does for any Unix tool's output (Files.createTempFile would force 0600).
     */
    private static Path createBeside(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // try another name
            }
        }
    }

    private static void keepMode(Path from, Path to) throws IOException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(from);
            Files.setPosixFilePermissions(to, mode);
        } catch (UnsupportedOperationException notPosix) {
            // nothing to keep
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray temporary file is the least of the problems here
        }
    }

    /** The operating system's reason, without Java's exception class names. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static Path firstOf(Map<Path, String> files) {
        return files.keySet().iterator().next();
    }

    private static UserError cannot(Path out, String why, String hint) {
        return UserError.usage("cannot write " + out + ": " + why, hint);
    }
}
