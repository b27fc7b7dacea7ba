package l4smp.kernel.mm;

import l4smp.hw.Cpu;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * Keeps this CPU's TLB consistent with the page tables the mapping database changed (§3.1.1: a
 * changed PTE is seen "only after invlpg or a CR3 load on that very CPU"): a page of the loaded
 * address space is invalidated, and so is its alias in the communication area if the running
 * thread's temporary mapping covers it.
 *
 * <p>Other CPUs' TLBs are not touched here: fpage_unmap and task deletion shoot them down with a
 * cross-processor operation ({@code xcpu.TlbShootdown}) that runs this on each of them.
 */
public final class TlbInvalidation implements MappingDatabase.Invalidation {
    private final ProcessorData local;

    public TlbInvalidation(ProcessorData local) {
        this.local = local;
    }

    @Override
    public void pageChanged(AddressSpace space, long va) {
        Cpu cpu = local.cpu();
        if (cpu.cr3() == space.directory()) {
            cpu.invlpg(va);
        }
        Tcb running = local.current();
        if (running != null && running.commWindow() >= 0 && va >= running.commWindow()
                && va < running.commWindow() + AddressSpace.COMM_AREA_SIZE) {
            cpu.invlpg(AddressSpace.commArea(local.id()) + (va - running.commWindow()));
        }
    }
}
