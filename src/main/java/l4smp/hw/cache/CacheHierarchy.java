package l4smp.hw.cache;

import java.util.function.ToLongFunction;

/**
 * The L1 and L2 caches of every CPU, kept coherent by the bus-snooping MESI protocol of §3.1.2,
 * as a cost model: {@link #access} updates which lines each CPU holds and in which state, and
 * returns what the access costs by the measurements of Tables 1 and 2.
 *
 * <p>The MESI state of a line belongs to a CPU's cache hierarchy as a whole and is kept with the
 * line in L2; L2 includes L1 (evicting a line from L2 evicts it from L1). A snoop looks the line
 * up in every other CPU's L2, as the bus does. Write-backs of evicted modified lines are counted
 * but not charged: the thesis does not measure them and the write buffer hides them from the
 * accessing instruction.
 *
 * <p>A written line is not available to other CPUs before the write completes. The machine runs
 * a step atomically at the time it starts, so a step's store is in memory at once; but each line
 * remembers when its last write completes ({@code now} of the write plus its cost), and a CPU
 * whose access must snoop that line from the writer's cache waits until then. Without this, under
 * the earliest-clock-first scheduler a CPU polling a flag would see another CPU's store up to the
 * store's own latency early (§3.3.1's IPI round trip would lose the 50 cycles of "modify a shared
 * line on B").
 */
public final class CacheHierarchy {
    private final CacheArray[] l1;
    private final CacheArray[] l2;
    private final long[] costOf = new long[AccessOutcome.values().length];
    private final long[] outcomeCounts = new long[AccessOutcome.values().length];
    private long writebacks;
    private long waits;
    private AccessOutcome lastOutcome;
    /** Set by a snoop: the latest completion time of a write to the line in another cache. */
    private long snoopedReadyAt;
    /** The slot in L2 of the line the current access filled or hit. */
    private int accessedSlot;

    /**
     * @param costs what an access with each outcome costs, in millicycles
     *              ({@code CostModel::of} for the thesis's machine)
     */
    public CacheHierarchy(int cpus, CacheGeometry l1Geometry, CacheGeometry l2Geometry,
                          ToLongFunction<AccessOutcome> costs) {
        if (l1Geometry.capacityBytes() > l2Geometry.capacityBytes()) {
            throw new IllegalArgumentException("L2 must be at least as large as L1: it includes it");
        }
        this.l1 = new CacheArray[cpus];
        this.l2 = new CacheArray[cpus];
        for (int cpu = 0; cpu < cpus; cpu++) {
            l1[cpu] = new CacheArray(l1Geometry);
            l2[cpu] = new CacheArray(l2Geometry);
        }
        for (AccessOutcome outcome : AccessOutcome.values()) {
            costOf[outcome.ordinal()] = costs.applyAsLong(outcome);
        }
    }

    /**
     * One read or write of physical address {@code pa} by {@code cpu} whose clock shows
     * {@code now}; returns its cost in millicycles, including any wait for another CPU's write
     * to the line to complete.
     */
    public long access(int cpu, long pa, boolean write, long now) {
        int line = (int) (pa >>> CacheGeometry.LINE_SHIFT);
        snoopedReadyAt = 0;
        AccessOutcome outcome = write ? write(cpu, line) : read(cpu, line);
        lastOutcome = outcome;
        outcomeCounts[outcome.ordinal()]++;
        long wait = Math.max(0, snoopedReadyAt - now);
        if (wait > 0) {
            waits++;
        }
        long cost = wait + costOf[outcome.ordinal()];
        if (write) {
            l2[cpu].setReadyAt(accessedSlot, now + cost);
        }
        return cost;
    }

    // §3.1.2: "When reading, the line is filled and becomes exclusive unmodified (E). [...] When a
    // second processor P2 reads a line that is in exclusive unmodified (E) state in P1's caches
    // [...] both processors will change the state to shared unmodified (S) [...] When reading
    // [...] a line that is modified in the other processor's caches [...] the processor holding
    // the line (P1) writes it through to memory [...] both cachelines are in shared state."
    private AccessOutcome read(int cpu, int line) {
        int slot = l2[cpu].find(line);
        if (slot >= 0) {
            l2[cpu].touch(slot);
            accessedSlot = slot;
            return hitL1OrFill(cpu, line) ? AccessOutcome.L1_HIT : AccessOutcome.L2_HIT;
        }
        Mesi elsewhere = snoopRead(cpu, line);
        fill(cpu, line, elsewhere == Mesi.INVALID ? Mesi.EXCLUSIVE : Mesi.SHARED);
        return switch (elsewhere) {
            case INVALID -> AccessOutcome.MEMORY;
            case MODIFIED -> AccessOutcome.M_TO_S;
            default -> AccessOutcome.E_TO_S;
        };
    }

    // §3.1.2: "Writing to an exclusive or invalid line would change the state to exclusive
    // modified. In the latter case the contents of the line is loaded [...] When writing to a
    // shared line or a line not in the local caches [...] any processor, that holds this line
    // (P1), snoops the write and invalidates it before the write is performed."
    private AccessOutcome write(int cpu, int line) {
        int slot = l2[cpu].find(line);
        if (slot >= 0) {
            Mesi mine = l2[cpu].state(slot);
            l2[cpu].touch(slot);
            l2[cpu].setState(slot, Mesi.MODIFIED);
            accessedSlot = slot;
            boolean l1Hit = hitL1OrFill(cpu, line);
            if (mine == Mesi.SHARED) {
                invalidateElsewhere(cpu, line);
                return AccessOutcome.S_TO_M;
            }
            return l1Hit ? AccessOutcome.L1_HIT : AccessOutcome.L2_HIT;
        }
        Mesi elsewhere = invalidateElsewhere(cpu, line);
        fill(cpu, line, Mesi.MODIFIED);
        return switch (elsewhere) {
            case INVALID -> AccessOutcome.MEMORY;
            case MODIFIED -> AccessOutcome.M_TO_M;
            default -> AccessOutcome.E_TO_M;
        };
    }

    /** Whether {@code line} was in L1; if not, it is filled there (it is in L2). */
    private boolean hitL1OrFill(int cpu, int line) {
        CacheArray cache = l1[cpu];
        int slot = cache.find(line);
        if (slot >= 0) {
            cache.touch(slot);
            return true;
        }
        cache.fill(cache.victim(line), line, Mesi.SHARED);
        return false;
    }

    /** Every other holder of {@code line} goes to S (writing back if M); returns the strongest state seen. */
    private Mesi snoopRead(int cpu, int line) {
        Mesi strongest = Mesi.INVALID;
        for (int other = 0; other < l2.length; other++) {
            int slot = other == cpu ? -1 : l2[other].find(line);
            if (slot >= 0) {
                strongest = stronger(strongest, snooped(other, slot));
                l2[other].setState(slot, Mesi.SHARED);
            }
        }
        return strongest;
    }

    /** Every other holder of {@code line} drops it (writing back if M); returns the strongest state seen. */
    private Mesi invalidateElsewhere(int cpu, int line) {
        Mesi strongest = Mesi.INVALID;
        for (int other = 0; other < l2.length; other++) {
            int slot = other == cpu ? -1 : l2[other].find(line);
            if (slot >= 0) {
                strongest = stronger(strongest, snooped(other, slot));
                l2[other].clear(slot);
                l1[other].remove(line);
            }
        }
        return strongest;
    }

    /** The state of another CPU's copy in {@code slot}; a modified copy is written back and may make us wait. */
    private Mesi snooped(int other, int slot) {
        Mesi state = l2[other].state(slot);
        if (state == Mesi.MODIFIED) {
            writebacks++;
            snoopedReadyAt = Math.max(snoopedReadyAt, l2[other].readyAt(slot));
        }
        return state;
    }

    private static Mesi stronger(Mesi a, Mesi b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    /** Fills {@code line} into L2 and L1 of {@code cpu}, evicting LRU lines (from L1 too: inclusion). */
    private void fill(int cpu, int line, Mesi state) {
        CacheArray cache = l2[cpu];
        int slot = cache.victim(line);
        if (!cache.isEmpty(slot)) {
            if (cache.state(slot) == Mesi.MODIFIED) {
                writebacks++;
            }
            l1[cpu].remove(cache.line(slot));
        }
        cache.fill(slot, line, state);
        accessedSlot = slot;
        CacheArray first = l1[cpu];
        first.fill(first.victim(line), line, Mesi.SHARED);
    }

    /** The MESI state of the line holding {@code pa} in {@code cpu}'s caches. */
    public Mesi state(int cpu, long pa) {
        int line = (int) (pa >>> CacheGeometry.LINE_SHIFT);
        int slot = l2[cpu].find(line);
        return slot < 0 ? Mesi.INVALID : l2[cpu].state(slot);
    }

    /** Whether {@code cpu}'s L1 holds the line of {@code pa}. */
    public boolean inL1(int cpu, long pa) {
        return l1[cpu].find((int) (pa >>> CacheGeometry.LINE_SHIFT)) >= 0;
    }

    /** wbinvd: writes back and invalidates all of {@code cpu}'s caches (a setup and test aid; free). */
    public void writeBackAndInvalidate(int cpu) {
        writebacks += l2[cpu].countModified();
        l1[cpu].clearAll();
        l2[cpu].clearAll();
    }

    /** The outcome of the most recent access, for tests that check which Table 2 row happened. */
    public AccessOutcome lastOutcome() {
        return lastOutcome;
    }

    public long count(AccessOutcome outcome) {
        return outcomeCounts[outcome.ordinal()];
    }

    public long accesses() {
        long sum = 0;
        for (long count : outcomeCounts) {
            sum += count;
        }
        return sum;
    }

    public long writebacks() {
        return writebacks;
    }

    /** Accesses that waited for another CPU's write to the line to complete. */
    public long waits() {
        return waits;
    }

    /** What an access with {@code outcome} costs, in millicycles, without waiting. */
    public long cost(AccessOutcome outcome) {
        return costOf[outcome.ordinal()];
    }
}
