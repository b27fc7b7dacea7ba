package l4smp.tlc.engine;

import util.FilenameToStream;
import util.SimpleFilenameToStream;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * Finds modules like TLC's own resolver does (the spec's directory, then the library path), but
 * serves TLA+'s standard modules from a private copy. TLC's resolver extracts them from its jar
 * into java.io.tmpdir, shared by every JVM on the machine, truncating and deleting the files other
 * JVMs may be reading; a private copy per l4smp process cannot clash.
 */
final class PrivateStandardModules implements FilenameToStream {
    static final Set<String> STANDARD = Set.of("Bags", "FiniteSets", "Integers", "Naturals", "RealTime", "Reals",
            "Sequences", "TLC", "Toolbox", "Randomization");

    private final SimpleFilenameToStream delegate;
    private final Path copies;

    PrivateStandardModules(String[] searchPath, Path scratch) {
        this.delegate = new SimpleFilenameToStream(searchPath);
        this.copies = scratch.resolve("standard-modules");
    }

    @Override
    public File resolve(String name, boolean isModule) {
        String module = isModule && name.endsWith(".tla") ? name.substring(0, name.length() - 4) : name;
        if (isModule && STANDARD.contains(module)) {
            File copy = copyOf(module);
            if (copy != null) return copy;
        }
        return delegate.resolve(name, isModule);
    }

    @Override
    public String getFullPath() {
        return delegate.getFullPath();
    }

    @Override
    public boolean isStandardModule(String moduleName) {
        return STANDARD.contains(moduleName) || delegate.isStandardModule(moduleName);
    }

    private synchronized File copyOf(String module) {
        Path file = copies.resolve(module + ".tla");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(copies);
                try (InputStream in = SimpleFilenameToStream.class.getClassLoader()
                        .getResourceAsStream("tla2sany/StandardModules/" + module + ".tla")) {
                    if (in == null) return null;
                    Path tmp = Files.createTempFile(copies, module, ".part");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            return new TLAFile(file.toString(), true, this);
        } catch (IOException e) {
            return null;
        }
    }
}
