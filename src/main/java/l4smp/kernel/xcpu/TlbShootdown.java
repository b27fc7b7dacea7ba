package l4smp.kernel.xcpu;

import java.util.List;
import l4smp.kernel.mm.AddressSpace;
import l4smp.kernel.mm.TlbInvalidation;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * A TLB shootdown (§3.1.1: a changed page-table entry is seen "only after invlpg or a CR3 load on
 * that very CPU"): the CPUs that may hold a stale translation invalidate it, each on itself, and the
 * thread that changed the page tables goes on only when all have (its {@code then}).
 */
public final class TlbShootdown implements XpOperation {
    /** A page of an address space whose translation changed. */
    public record Page(AddressSpace space, long va) {
    }

    /** What the caller does once every CPU has invalidated. */
    @FunctionalInterface
    public interface Then {
        void resume(ProcessorData local, Tcb caller);
    }

    private final List<Page> pages;
    private final Then then;

    /** Invalidates {@code pages}; an empty list flushes the whole TLB (but global pages). */
    public TlbShootdown(List<Page> pages, Then then) {
        this.pages = List.copyOf(pages);
        this.then = then;
    }

    @Override
    public void perform(ProcessorData local, Parts parts) {
        if (pages.isEmpty()) {
            local.cpu().loadCr3(local.cpu().cr3());
            return;
        }
        TlbInvalidation invalidation = new TlbInvalidation(local);
        for (Page p : pages) {
            invalidation.pageChanged(p.space(), p.va());
        }
    }

    @Override
    public void complete(ProcessorData local, Tcb caller) {
        then.resume(local, caller);
    }
}
