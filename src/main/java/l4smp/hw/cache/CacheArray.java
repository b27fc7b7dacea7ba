package l4smp.hw.cache;

import java.util.Arrays;

/**
 * The tag store of one set-associative cache: which lines it holds, each with a MESI state, and
 * least-recently-used replacement within a set. It holds no data: data lives in
 * {@link l4smp.hw.mem.PhysicalMemory}, which the sequential simulation keeps coherent for free;
 * caches exist only to decide what an access costs.
 */
final class CacheArray {
    private static final int EMPTY = -1;

    private final int sets;
    private final int ways;
    private final int setMask;
    /** Line number (physical address >>> 5) held in each slot, or EMPTY. Slot = set * ways + way. */
    private final int[] lines;
    private final Mesi[] states;
    /** Use stamp of each slot; the smallest in a set is the least recently used. */
    private final long[] lastUse;
    /** When the last write to the line in each slot completes, in millicycles (see CacheHierarchy). */
    private final long[] readyAt;
    private long useClock;

    CacheArray(CacheGeometry geometry) {
        this.sets = geometry.sets();
        this.ways = geometry.ways();
        this.setMask = sets - 1;
        this.lines = new int[sets * ways];
        this.states = new Mesi[sets * ways];
        this.lastUse = new long[sets * ways];
        this.readyAt = new long[sets * ways];
        Arrays.fill(lines, EMPTY);
        Arrays.fill(states, Mesi.INVALID);
    }

    /** The slot holding {@code line}, or -1. */
    int find(int line) {
        int base = (line & setMask) * ways;
        for (int slot = base; slot < base + ways; slot++) {
            if (lines[slot] == line) {
                return slot;
            }
        }
        return -1;
    }

    Mesi state(int slot) {
        return states[slot];
    }

    int line(int slot) {
        return lines[slot];
    }

    void setState(int slot, Mesi state) {
        states[slot] = state;
    }

    long readyAt(int slot) {
        return readyAt[slot];
    }

    void setReadyAt(int slot, long time) {
        readyAt[slot] = time;
    }

    void touch(int slot) {
        lastUse[slot] = ++useClock;
    }

    /** The slot {@code line} would be filled into: an empty one of its set, else the LRU one. */
    int victim(int line) {
        int base = (line & setMask) * ways;
        int victim = base;
        for (int slot = base; slot < base + ways; slot++) {
            if (lines[slot] == EMPTY) {
                return slot;
            }
            if (lastUse[slot] < lastUse[victim]) {
                victim = slot;
            }
        }
        return victim;
    }

    boolean isEmpty(int slot) {
        return lines[slot] == EMPTY;
    }

    /** Puts {@code line} into {@code slot} (from {@link #victim}) as most recently used. */
    void fill(int slot, int line, Mesi state) {
        lines[slot] = line;
        states[slot] = state;
        readyAt[slot] = 0;
        touch(slot);
    }

    void remove(int line) {
        int slot = find(line);
        if (slot >= 0) {
            clear(slot);
        }
    }

    void clear(int slot) {
        lines[slot] = EMPTY;
        states[slot] = Mesi.INVALID;
        lastUse[slot] = 0;
    }

    /** How many slots hold a modified line. */
    int countModified() {
        int count = 0;
        for (Mesi state : states) {
            count += state == Mesi.MODIFIED ? 1 : 0;
        }
        return count;
    }

    void clearAll() {
        Arrays.fill(lines, EMPTY);
        Arrays.fill(states, Mesi.INVALID);
        Arrays.fill(lastUse, 0);
    }
}
