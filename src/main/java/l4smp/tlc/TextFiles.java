package l4smp.tlc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Whether an input file is what every reader of l4smp expects, a non-empty UTF-8 text file, and if
 * not, what it is instead. The readers themselves would say "Input length = 1" of a binary file,
 * or nothing at all of an empty module.
 */
public final class TextFiles {
    /** Bytes looked at: enough to tell text from binary (as grep and git do), without reading a trace of gigabytes. */
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final Pattern MODULE_HEADER = Pattern.compile("(?m)^\\s*-{4,}\\s*MODULE\\s+\\w+");

    private TextFiles() {
    }

    /**
     * {@code null} if {@code file} is a readable, non-empty text file (judged by its first 64 KB);
     * else what it is, e.g. "is empty".
     */
    public static String problem(Path file) {
        if (Files.isDirectory(file)) return "is a directory";
        if (!Files.exists(file)) return "does not exist";
        if (!Files.isRegularFile(file)) return "is not a regular file";
        byte[] head;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        if (head.length == 0) return "is empty";
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) return "is not a text file (byte " + i + " is NUL; is it binary?)";
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head);
        // not the end of the input when the file is longer: a character cut at the sniff's end is no error
        CoderResult r = utf8.decode(in, java.nio.CharBuffer.allocate(head.length), head.length < SNIFF_BYTES);
        if (r.isError()) return "is not UTF-8 text (byte " + in.position() + " is not valid UTF-8; is it binary?)";
        return null;
    }

    /**
     * What is wrong with a TLA+ module's file before SANY reads it, or {@code null}: SANY reports an
     * empty file or one without a module header only as an internal lookup failure.
     */
    public static String moduleProblem(Path tla) {
        String p = problem(tla);
        if (p != null) return p;
        try {
            if (!MODULE_HEADER.matcher(Files.readString(tla)).find()) {
                return "has no module header; a TLA+ module starts with ---- MODULE " + Project.moduleName(tla) + " ----";
            }
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
        return null;
    }
}
