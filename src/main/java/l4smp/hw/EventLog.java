package l4smp.hw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What happened at which cycle on which CPU, for determinism tests and for reading a run.
 *
 * <p>Cheap when off: every call site passes primitives, and {@link #record} returns after one
 * bit test when the kind is not selected, so an unselected kind costs no allocation. Besides the
 * entries (kept only if asked for), the log folds everything it records into a 64-bit
 * {@link #digest()}, enough to compare two long runs without keeping them.
 */
public final class EventLog {
    private final long mask;
    private final boolean keep;
    private final List<LoggedEvent> events = new ArrayList<>();
    private long digest = 0xcbf29ce484222325L;
    private long count;

    private EventLog(Set<EventKind> kinds, boolean keep) {
        long bits = 0;
        for (EventKind kind : kinds) {
            bits |= 1L << kind.ordinal();
        }
        this.mask = bits;
        this.keep = keep;
    }

    /** A log that records nothing. */
    public static EventLog off() {
        return new EventLog(EnumSet.noneOf(EventKind.class), false);
    }

    /** Keeps every event of {@code kinds}. */
    public static EventLog keeping(Set<EventKind> kinds) {
        return new EventLog(kinds.isEmpty() ? EnumSet.noneOf(EventKind.class) : EnumSet.copyOf(kinds), true);
    }

    /** Keeps every kind except {@link EventKind#MEMORY_ACCESS}. */
    public static EventLog keepingAll() {
        return keeping(EnumSet.complementOf(EnumSet.of(EventKind.MEMORY_ACCESS)));
    }

    /** Folds events of {@code kinds} into the digest without keeping them. */
    public static EventLog digesting(Set<EventKind> kinds) {
        return new EventLog(kinds.isEmpty() ? EnumSet.noneOf(EventKind.class) : EnumSet.copyOf(kinds), false);
    }

    /** Whether events of {@code kind} are recorded. */
    public boolean isOn(EventKind kind) {
        return (mask & (1L << kind.ordinal())) != 0;
    }

    public void record(EventKind kind, int cpu, long time, long a, long b) {
        if ((mask & (1L << kind.ordinal())) == 0) {
            return;
        }
        count++;
        digest = mix(mix(mix(mix(mix(digest, time), cpu), kind.ordinal()), a), b);
        if (keep) {
            events.add(new LoggedEvent(time, cpu, kind, a, b));
        }
    }

    private static long mix(long hash, long value) {
        long h = hash;
        for (int shift = 0; shift < 64; shift += 8) {
            h ^= (value >>> shift) & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The events kept so far, oldest first. */
    public List<LoggedEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** How many events were recorded (kept or only digested). */
    public long count() {
        return count;
    }

    /** A hash of every recorded event in order: equal logs have equal digests. */
    public long digest() {
        return digest;
    }
}
