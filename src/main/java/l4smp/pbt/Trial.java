package l4smp.pbt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a property body may say about the one input it is checking: that the input is outside the
 * property's precondition ({@link #assume}), which classes it falls in ({@link #classify},
 * {@link #collect}), and notes to print should it turn out to be the counterexample.
 */
public final class Trial {
    private final Set<String> labels = new LinkedHashSet<>();
    private final List<String> notes = new ArrayList<>();
    private String failsAs;

    /** Discards the input unless {@code condition} holds: it is not one the property is about. */
    public void assume(boolean condition) {
        assume(condition, "an assumption does not hold");
    }

    /** Discards the input unless {@code condition} holds, saying {@code why} in the discard. */
    public void assume(boolean condition, String why) {
        if (!condition) {
            throw new Discard(why);
        }
    }

    /** Counts the input under {@code label} when {@code condition} holds. */
    public void classify(boolean condition, String label) {
        if (condition) {
            labels.add(label);
        }
    }

    /** Counts the input under the label {@code String.valueOf(value)}. */
    public void collect(Object value) {
        labels.add(String.valueOf(value));
    }

    /** Adds a line printed with the counterexample, if this input becomes it. */
    public void note(String line) {
        notes.add(line);
    }

    /**
     * Names how this input fails, should the property return false: a spec and the action it
     * rejected, say. Shrinking then keeps to inputs that fail under the same name, so it does not
     * slip from the bug it found to another one the same property also reports as false.
     */
    public void failsAs(String name) {
        failsAs = name;
    }

    /** The name {@link #failsAs} gave this input's failure, or null. */
    public String failureName() {
        return failsAs;
    }

    /** The labels given to this input, each once, in the order first given. */
    public Set<String> labels() {
        return Collections.unmodifiableSet(labels);
    }

    /** The notes given to this input, in order. */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }
}
