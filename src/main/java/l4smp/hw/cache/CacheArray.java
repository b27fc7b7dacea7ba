package l4smp.hw.cache;

import java.util.Arrays;

/**
 * The tag store of one set-associative cache: which lines it holds, each with a MESI state, and
 * least-recently-used replacement within a set. It holds no data: data lives in
 * {@link l4smp.hw.mem.PhysicalMemory}, which the sequential simulation keeps coherent for free;
 * caches exist only to decide what an access costs.
 *
 * <p>Each slot is two {@code long}s: the use stamp in the upper 32 bits and the line number and
 * MESI state in the lower 32 (line << 2 | state), then when the last write to the line completes.
 * A set's ways lie side by side, so looking a line up, stamping it as used, choosing a victim and
 * timing a write touch one run of 64 bytes for a 4-way set: the simulator is bound by the host's
 * cache misses on these arrays, one per access rather than one per array.
 */
final class CacheArray {
    /** The lower word of an empty slot: no line number (at most 2^27 - 1) shifted left by 2 gives it. */
    private static final long EMPTY = 0xFFFF_FFFFL;
    private static final long LOW = 0xFFFF_FFFFL;
    private static final Mesi[] STATES = Mesi.values();
    /** Stamps are 32 bits; when the clock reaches this, every set's stamps are renumbered in order. */
    private static final long MAX_STAMP = 0xFFFF_FFFFL;

    private final int sets;
    private final int ways;
    private final int setMask;
    /**
     * Slot = set * ways + way; at 2 * slot: stamp << 32 | line << 2 | MESI ordinal, or EMPTY
     * (stamp 0); at 2 * slot + 1: when the last write to the line completes, in millicycles (see
     * CacheHierarchy).
     */
    private final long[] slots;
    private long useClock;

    CacheArray(CacheGeometry geometry) {
        this.sets = geometry.sets();
        this.ways = geometry.ways();
        this.setMask = sets - 1;
        this.slots = new long[2 * sets * ways];
        clearAll();
    }

    /** The slot holding {@code line}, or -1. */
    int find(int line) {
        int base = (line & setMask) * ways;
        for (int slot = base; slot < base + ways; slot++) {
            if ((int) slots[2 * slot] >>> 2 == line) {
                return slot;
            }
        }
        return -1;
    }

    Mesi state(int slot) {
        long word = slots[2 * slot];
        return (word & LOW) == EMPTY ? Mesi.INVALID : STATES[(int) word & 3];
    }

    int line(int slot) {
        return (int) slots[2 * slot] >>> 2;
    }

    void setState(int slot, Mesi state) {
        slots[2 * slot] = (slots[2 * slot] & ~3L) | state.ordinal();
    }

    long readyAt(int slot) {
        return slots[2 * slot + 1];
    }

    void setReadyAt(int slot, long time) {
        slots[2 * slot + 1] = time;
    }

    void touch(int slot) {
        if (useClock == MAX_STAMP) {
            renumber();
        }
        slots[2 * slot] = (++useClock << 32) | (slots[2 * slot] & LOW);
    }

    /** The slot {@code line} would be filled into: an empty one of its set, else the LRU one. */
    int victim(int line) {
        int base = (line & setMask) * ways;
        int victim = base;
        for (int slot = base; slot < base + ways; slot++) {
            if ((slots[2 * slot] & LOW) == EMPTY) {
                return slot;
            }
            if (slots[2 * slot] >>> 32 < slots[2 * victim] >>> 32) {
                victim = slot;
            }
        }
        return victim;
    }

    boolean isEmpty(int slot) {
        return (slots[2 * slot] & LOW) == EMPTY;
    }

    /** Puts {@code line} into {@code slot} (from {@link #victim}) as most recently used. */
    void fill(int slot, int line, Mesi state) {
        slots[2 * slot] = ((long) line << 2) | state.ordinal();
        slots[2 * slot + 1] = 0;
        touch(slot);
    }

    void remove(int line) {
        int slot = find(line);
        if (slot >= 0) {
            clear(slot);
        }
    }

    void clear(int slot) {
        slots[2 * slot] = EMPTY;
    }

    /** How many slots hold a modified line. */
    int countModified() {
        int count = 0;
        for (int slot = 0; slot < sets * ways; slot++) {
            count += state(slot) == Mesi.MODIFIED ? 1 : 0;
        }
        return count;
    }

    void clearAll() {
        for (int slot = 0; slot < sets * ways; slot++) {
            slots[2 * slot] = EMPTY;
        }
    }

    /** Moves the use clock on, so that a test sees the stamps renumbered without 4 billion uses. */
    void advanceClockForTest(long to) {
        useClock = to;
    }

    /**
     * Renumbers the stamps of each set 1..ways in their order, keeping which way is least recently
     * used, so that the 32-bit stamps never overflow (once per 4 billion uses of this cache).
     */
    private void renumber() {
        Integer[] order = new Integer[ways];
        for (int base = 0; base < sets * ways; base += ways) {
            for (int way = 0; way < ways; way++) {
                order[way] = base + way;
            }
            Arrays.sort(order, (a, b) -> Long.compare(slots[2 * a] >>> 32, slots[2 * b] >>> 32));
            int rank = 0;
            for (int slot : order) {
                if (!isEmpty(slot)) {
                    slots[2 * slot] = ((long) ++rank << 32) | (slots[2 * slot] & LOW);
                }
            }
        }
        useClock = ways;
    }
}
