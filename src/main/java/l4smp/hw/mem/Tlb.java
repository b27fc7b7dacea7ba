package l4smp.hw.mem;

import java.util.Arrays;

/**
 * One CPU's Translation Lookaside Buffer (§3.1.1): a cache of virtual-to-physical translations
 * with their access rights, untagged (no address-space id), replaced least recently used.
 *
 * <p>Nothing keeps it consistent with the page tables in memory: a changed PDE or PTE is seen only
 * after {@link #invalidatePage} (invlpg) or {@link #flushNonGlobal} (a CR3 load) on this very CPU
 * ("Both instructions work only processor local", §3.1.1). Until then the stale translation is
 * used, which is what makes TLB shootdowns necessary.
 *
 * <p>A lookup returns a handle: a slot index, 4 MB slots numbered after the 4 KB ones.
 */
public final class Tlb {
    private static final int EMPTY = -1;
    private static final int WRITABLE = 1;
    private static final int USER = 2;
    private static final int DIRTY = 4;
    private static final int GLOBAL = 8;

    private final int smallSets;
    private final int smallWays;
    private final int largeSets;
    private final int largeWays;
    private final int largeBase;
    /** Virtual page number (va >>> 12, or va >>> 22 for 4 MB slots), or EMPTY. */
    private final int[] tags;
    /** Physical address >>> 12 of the page's first byte. */
    private final int[] frames;
    private final byte[] flags;
    private final long[] lastUse;
    private long useClock;
    private long hits;
    private long misses;

    public Tlb(TlbGeometry geometry) {
        this.smallSets = geometry.smallSets();
        this.smallWays = geometry.smallWays();
        this.largeSets = geometry.largeSets();
        this.largeWays = geometry.largeWays();
        this.largeBase = smallSets * smallWays;
        int slots = largeBase + largeSets * largeWays;
        this.tags = new int[slots];
        this.frames = new int[slots];
        this.flags = new byte[slots];
        this.lastUse = new long[slots];
        Arrays.fill(tags, EMPTY);
    }

    /** The handle of the translation for {@code va}, or -1 (a TLB miss). */
    public int lookup(long va) {
        int handle = find(va);
        if (handle < 0) {
            misses++;
        } else {
            hits++;
            lastUse[handle] = ++useClock;
        }
        return handle;
    }

    private int find(long va) {
        int vpn = (int) (va >>> 12);
        int base = (vpn & (smallSets - 1)) * smallWays;
        for (int slot = base; slot < base + smallWays; slot++) {
            if (tags[slot] == vpn) {
                return slot;
            }
        }
        int largeVpn = (int) (va >>> 22);
        base = largeBase + (largeVpn & (largeSets - 1)) * largeWays;
        for (int slot = base; slot < base + largeWays; slot++) {
            if (tags[slot] == largeVpn) {
                return slot;
            }
        }
        return -1;
    }

    /** Whether a translation for {@code va} is cached (no statistics, no LRU update). */
    public boolean contains(long va) {
        return find(va) >= 0;
    }

    /** The physical address {@code va} translates to through {@code handle}. */
    public long physical(int handle, long va) {
        long frame = (frames[handle] & 0xFFFFFL) << 12;
        return handle < largeBase ? frame | (va & 0xFFF) : frame | (va & (Pte.LARGE_PAGE_BYTES - 1));
    }

    public boolean writable(int handle) {
        return (flags[handle] & WRITABLE) != 0;
    }

    public boolean user(int handle) {
        return (flags[handle] & USER) != 0;
    }

    /** Whether the PTE's dirty bit was set when the translation was loaded or since. */
    public boolean dirty(int handle) {
        return (flags[handle] & DIRTY) != 0;
    }

    /**
     * Caches a translation of {@code va} to {@code pageAddress} (the physical address of the
     * page's first byte) with the effective rights of the walk, replacing the LRU entry of its set.
     */
    public void insert(long va, long pageAddress, boolean large, boolean writable, boolean user,
                       boolean dirty, boolean global) {
        invalidatePage(va);
        insertAbsent(va, pageAddress, large, writable, user, dirty, global);
    }

    /** {@link #insert} when the TLB holds no translation of {@code va} (the MMU's walk after a miss). */
    void insertAbsent(long va, long pageAddress, boolean large, boolean writable, boolean user,
                      boolean dirty, boolean global) {
        int slot;
        int tag;
        if (large) {
            tag = (int) (va >>> 22);
            slot = victim(largeBase + (tag & (largeSets - 1)) * largeWays, largeWays);
        } else {
            tag = (int) (va >>> 12);
            slot = victim((tag & (smallSets - 1)) * smallWays, smallWays);
        }
        tags[slot] = tag;
        frames[slot] = (int) (pageAddress >>> 12);
        flags[slot] = (byte) ((writable ? WRITABLE : 0) | (user ? USER : 0) | (dirty ? DIRTY : 0)
                | (global ? GLOBAL : 0));
        lastUse[slot] = ++useClock;
    }

    private int victim(int base, int ways) {
        int victim = base;
        for (int slot = base; slot < base + ways; slot++) {
            if (tags[slot] == EMPTY) {
                return slot;
            }
            if (lastUse[slot] < lastUse[victim]) {
                victim = slot;
            }
        }
        return victim;
    }

    /** invlpg: drops every translation of {@code va}'s page, 4 KB or 4 MB, global or not. */
    public void invalidatePage(long va) {
        for (int handle = find(va); handle >= 0; handle = find(va)) {
            tags[handle] = EMPTY;
        }
    }

    /** The flush a CR3 load implies: every translation except global ones. */
    public void flushNonGlobal() {
        for (int slot = 0; slot < tags.length; slot++) {
            if ((flags[slot] & GLOBAL) == 0) {
                tags[slot] = EMPTY;
            }
        }
    }

    /** Every translation, global ones too (toggling CR4.PGE). */
    public void flushAll() {
        Arrays.fill(tags, EMPTY);
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
