package l4smp.pbt;

import java.util.Map;

/**
 * An input that can be written down as files which reproduce it outside the harness (a scenario
 * and its schedule, for a kernel run): {@code l4smp pbt} writes them for a failing input's shrunk
 * form and prints where, and the command that replays them.
 */
public interface Reproducible {
    /** The files to write, by name (no directories), with their contents. */
    Map<String, String> reproduction();

    /** The command that replays the files once written into {@code dir}. */
    String replayCommand(java.nio.file.Path dir);
}
