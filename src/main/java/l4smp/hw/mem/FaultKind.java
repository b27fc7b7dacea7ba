package l4smp.hw.mem;

/** Why a translation failed (§2.2.2: a page fault "carries the faulting address and access type"). */
public enum FaultKind {
    /** The PDE or PTE has no present bit: nothing is mapped there. */
    NOT_PRESENT,
    /** A user-mode access to a page whose PDE or PTE lacks the user bit. */
    SUPERVISOR_ONLY,
    /** A write to a page whose PDE or PTE lacks the writable bit. */
    READ_ONLY
}
