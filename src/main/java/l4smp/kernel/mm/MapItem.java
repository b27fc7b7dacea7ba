package l4smp.kernel.mm;

import l4smp.hw.mem.PhysicalWords;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.sched.ProcessorData;

/**
 * Maps or grants one fpage of a message into the receiver's receive window (§2.2.1, §8.3.2
 * "Mapping pages: Mapping a page means to copy the page table entries from the source address
 * space's page tables to the destination one's [...] Granting works like mapping except that the
 * translations to the granted pages are deleted in the senders address space and the node in the
 * mapping database is moved").
 *
 * <p>Where the fpage lands is the Version X rule: an fpage no larger than the window goes to the
 * window's base plus the send base (the "hot spot") modulo the window size, aligned to the fpage
 * size; of a larger fpage only the window-sized part around the hot spot is sent, to the window's
 * base. Every page must be the mapper's: "since only present pages can be mapped, a missing page
 * table entry of the sender [...] results in an abort of the IPC" (the map-failed codes).
 */
public final class MapItem {
    /** What became of the item. */
    public enum Result {
        /** The receiver gave no receive window: the item arrives as two plain words. */
        NOT_ACCEPTED,
        MAPPED,
        /** An invalid fpage, a page the mapper does not own, a destination outside user space, no memory. */
        FAILED
    }

    /** Larger fpages are refused: no address space owns 256 MB of this machine's memory page by page. */
    private static final long MAX_PAGES = 1 << 16;

    private final Kernel kernel;
    private final ProcessorData local;

    public MapItem(Kernel kernel, ProcessorData local) {
        this.kernel = kernel;
        this.local = local;
    }

    public Result map(AddressSpace from, int sendBase, int fpageWord, AddressSpace to, int windowWord) {
        Fpage window = Fpage.decode(windowWord);
        if (!window.isValid()) {
            return Result.NOT_ACCEPTED;
        }
        Fpage fpage = Fpage.decode(fpageWord);
        if (!fpage.isValid()) {
            return Result.FAILED;
        }
        long hotSpot = sendBase & 0xFFFFFFFFL;
        long size;
        long source;
        long destination;
        if (fpage.log2Size() <= window.log2Size()) {
            size = fpage.size();
            source = fpage.base();
            destination = window.base() + ((hotSpot & (window.size() - 1)) & ~(fpage.size() - 1));
        } else {
            size = window.size();
            source = fpage.base() + ((hotSpot & (fpage.size() - 1)) & ~(window.size() - 1));
            destination = window.base();
        }
        long pages = size >>> Fpage.PAGE_BITS;
        if (pages > MAX_PAGES || source + size > AddressSpace.USER_LIMIT || destination + size > AddressSpace.USER_LIMIT) {
            return Result.FAILED;
        }
        return kernel.mappingLock().holding(local.cpu(), () -> mapPages(from, source, to, destination, size, fpage));
    }

    private Result mapPages(AddressSpace from, long source, AddressSpace to, long destination, long size, Fpage fpage) {
        PhysicalWords memory = kernel.physical(local);
        for (long offset = 0; offset < size; offset += 1L << Fpage.PAGE_BITS) {
            if (kernel.mappings().lookup(memory, from, source + offset) == null) {
                return Result.FAILED;
            }
        }
        TlbInvalidation invalidation = new TlbInvalidation(local);
        for (long offset = 0; offset < size; offset += 1L << Fpage.PAGE_BITS) {
            kernel.charge(local, PathCosts.MAP_PAGE);
            MappingDatabase.Outcome outcome = kernel.mappings().map(memory, from, source + offset, to, destination + offset,
                    fpage.writable(), fpage.grant(), invalidation);
            if (outcome != MappingDatabase.Outcome.OK) {
                return Result.FAILED;
            }
        }
        return Result.MAPPED;
    }
}
