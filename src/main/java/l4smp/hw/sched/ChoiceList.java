package l4smp.hw.sched;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The scheduler choices of a run, step by step: a CPU number, or {@link Scheduler#EVENT}. With
 * the same configuration and software, replaying them ({@link ReplayScheduler}) repeats the run
 * cycle for cycle.
 *
 * <p>Saved as text: a header line {@code l4smp-choices 1}, then the choices separated by white
 * space, a CPU number or {@code e} for an event; {@code #} starts a comment. For example:
 * <pre>
 * l4smp-choices 1
 * # two CPUs, the IPI arrives at step 3
 * 0 1 e 1 0
 * </pre>
 */
public final class ChoiceList {
    static final String HEADER = "l4smp-choices 1";
    private static final int PER_LINE = 32;
    private static final int MAX_CPU = 14;

    private final int[] choices;

    private ChoiceList(int[] choices) {
        this.choices = choices;
    }

    /** The list {@code choices} (each a CPU number 0..14 or {@link Scheduler#EVENT}). */
    public static ChoiceList of(int... choices) {
        for (int i = 0; i < choices.length; i++) {
            if (choices[i] < Scheduler.EVENT || choices[i] > MAX_CPU) {
                throw new IllegalArgumentException("choice " + i + " is " + choices[i]
                        + ": a choice is a CPU number 0.." + MAX_CPU + " or -1 (event)");
            }
        }
        return new ChoiceList(choices.clone());
    }

    public int size() {
        return choices.length;
    }

    public int get(int step) {
        return choices[step];
    }

    /** The first {@code steps} choices. */
    public ChoiceList prefix(int steps) {
        return new ChoiceList(Arrays.copyOf(choices, Math.min(steps, choices.length)));
    }

    public int[] toArray() {
        return choices.clone();
    }

    /** The text form described above. */
    public String toText() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < choices.length; i++) {
            text.append(choices[i] == Scheduler.EVENT ? "e" : Integer.toString(choices[i]));
            text.append((i + 1) % PER_LINE == 0 || i + 1 == choices.length ? "\n" : " ");
        }
        return text.toString();
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toText(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a list written by {@link #write}.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming the line and token, if it is not a choice list
     */
    public static ChoiceList read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses the text form; {@code source} names it in messages. */
    public static ChoiceList parse(String text, String source) {
        String[] lines = text.split("\n", -1);
        int[] parsed = new int[16];
        int count = 0;
        boolean headerSeen = false;
        for (int lineNo = 1; lineNo <= lines.length; lineNo++) {
            String line = lines[lineNo - 1];
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            if (!headerSeen) {
                if (!content.equals(HEADER)) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": expected the header '"
                            + HEADER + "', found '" + content + "'; is this a choice list saved by l4smp?");
                }
                headerSeen = true;
                continue;
            }
            String[] tokens = content.split("\\s+");
            for (int t = 0; t < tokens.length; t++) {
                if (count == parsed.length) {
                    parsed = Arrays.copyOf(parsed, count * 2);
                }
                parsed[count++] = token(tokens[t], source, lineNo, t + 1);
            }
        }
        if (!headerSeen) {
            throw new IllegalArgumentException(source + ": empty; a choice list starts with '" + HEADER + "'");
        }
        return new ChoiceList(Arrays.copyOf(parsed, count));
    }

    private static int token(String token, String source, int line, int index) {
        if (token.equals("e")) {
            return Scheduler.EVENT;
        }
        try {
            int cpu = Integer.parseInt(token);
            if (cpu >= 0 && cpu <= MAX_CPU) {
                return cpu;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(source + ":" + line + ": token " + index + " is '" + token
                + "'; a choice is a CPU number 0.." + MAX_CPU + " or 'e' for the next hardware event");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChoiceList list && Arrays.equals(choices, list.choices);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(choices);
    }

    @Override
    public String toString() {
        return "ChoiceList" + Arrays.toString(choices);
    }
}
