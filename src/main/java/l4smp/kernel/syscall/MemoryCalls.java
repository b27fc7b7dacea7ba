package l4smp.kernel.syscall;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import l4smp.hw.Reg;
import l4smp.hw.mem.PhysicalWords;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.Fpage;
import l4smp.kernel.mm.MappingDatabase;
import l4smp.kernel.mm.MappingNode;
import l4smp.kernel.mm.TlbInvalidation;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;
import l4smp.kernel.xcpu.TlbShootdown;

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
        List<TlbShootdown.Page> changed = new ArrayList<>();
        if (fpage.isValid()) {
            AddressSpace space = t.task().space();
            PhysicalWords memory = kernel.physical(local);
            TlbInvalidation here = new TlbInvalidation(local);
            MappingDatabase.Invalidation invalidation = (s, va) -> {
                here.pageChanged(s, va);
                changed.add(new TlbShootdown.Page(s, va));
            };
            long end = Math.min(fpage.end(), AddressSpace.USER_LIMIT);
            kernel.mappingLock().holding(local.cpu(), () -> {
                for (MappingNode node : space.nodesIn(fpage.base(), end)) {
                    int n = kernel.mappings().unmap(memory, space, node.va(), (mask & FLUSH) != 0,
                            (mask & ALL_SPACES) != 0, invalidation);
                    kernel.charge(local, PathCosts.MAP_PAGE * n);
                }
            });
        }
        Set<Long> spaces = new HashSet<>();
        changed.forEach(p -> spaces.add(p.space().directory()));
        int cpus = changed.isEmpty() ? 0 : kernel.xcpu().loading(local, spaces);
        if (cpus != 0) {
            // §3.1.1: no other CPU may go on using a translation unmapped here; wait until each has dropped it
            kernel.xcpu().operations().call(local, t, cpus, new TlbShootdown(changed,
                    (cpu, caller) -> kernel.threadSwitch().exitToUser(cpu, caller)));
            return;
        }
        kernel.threadSwitch().exitToUser(local, t);
    }
}
