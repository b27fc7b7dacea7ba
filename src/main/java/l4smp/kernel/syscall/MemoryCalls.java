package l4smp.kernel.syscall;

import l4smp.hw.Reg;
import l4smp.hw.mem.PhysicalWords;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.Fpage;
import l4smp.kernel.mm.MappingNode;
import l4smp.kernel.mm.TlbInvalidation;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * fpage_unmap (§2.2.2: "A mapping can be revoked or weakened with the system call fpage unmap.
 * Weakening a mapping means that the page is not removed, but that the access rights are changed
 * to read only"). EAX is the fpage; ECX the map mask: bit 1 set flushes (removes) the mappings,
 * clear weakens them to read-only; bit 31 set includes the caller's own mappings, clear touches
 * only the spaces that received the pages from the caller, directly or indirectly. Unmapping is
 * asynchronous: it needs no agreement of the mappees.
 */
final class MemoryCalls {
    static final int FLUSH = 2;
    static final int ALL_SPACES = 0x8000_0000;

    private final Kernel kernel;

    MemoryCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    void fpageUnmap(ProcessorData local, Tcb t) {
        kernel.step().segment(PathSegment.FPAGE_UNMAP);
        kernel.charge(local, PathCosts.SMALL_SYSCALL);
        Fpage fpage = Fpage.decode(t.register(Reg.EAX));
        int mask = t.register(Reg.ECX);
        if (fpage.isValid()) {
            AddressSpace space = t.task().space();
            PhysicalWords memory = kernel.physical(local);
            TlbInvalidation invalidation = new TlbInvalidation(local);
            long end = Math.min(fpage.end(), AddressSpace.USER_LIMIT);
            for (MappingNode node : space.nodesIn(fpage.base(), end)) {
                int changed = kernel.mappings().unmap(memory, space, node.va(), (mask & FLUSH) != 0,
                        (mask & ALL_SPACES) != 0, invalidation);
                kernel.charge(local, PathCosts.MAP_PAGE * changed);
            }
        }
        kernel.threadSwitch().exitToUser(local, t);
    }
}
