package l4smp.kernel;

/**
 * Instruction costs of the kernel's paths, in cycles, charged on top of the memory accesses the
 * paths make (TCB lines, ready lists, page tables: priced by the cache model) and of kernel entry
 * and exit (§3.3.1, charged by the machine). The thesis gives no instruction counts for these
 * paths; the numbers are <em>assumed</em>, sized like the few dozen instructions of each path in
 * a Hazelnut-style kernel, and listed in docs/kernel.md.
 */
public final class PathCosts {
    /**
     * An application processor's startup routine up to the kernel proper: real to protected mode
     * with the bootstrap processor's GDT and IDT, paging on (§8.2).
     */
    public static final long STARTUP_ROUTINE = 200;
    /** A processor's local tables and its dispatcher thread, before it meets the others at the boot barrier (§8.2). */
    public static final long LOCAL_INIT = 100;
    /** The pause loop between two reads of a boot-barrier word. */
    public static final long BARRIER_POLL = 50;
    /** Decoding a system call's registers. */
    public static final long SYSCALL_ENTRY = 15;
    /** The checks of the send path (validate the target, test its state). */
    public static final long SEND_PATH = 30;
    /** The checks of the receive path. */
    public static final long RECEIVE_PATH = 30;
    /** A thread switch: stack pointer, CR3 test, TS bit. */
    public static final long THREAD_SWITCH = 25;
    /** The dispatcher's selection loop, beyond its memory accesses. */
    public static final long DISPATCH = 20;
    /** A timer tick's bookkeeping. */
    public static final long TIMER_TICK = 30;
    /** Mapping, granting or unmapping one page: the mapping-database work beyond the PTE accesses. */
    public static final long MAP_PAGE = 40;
    /** Setting up the temporary mapping of one destination area, or one string's copy loop. */
    public static final long COPY_SETUP = 50;
    /** A system call other than IPC (lthread_ex_regs, thread_schedule, thread_switch, id_nearest). */
    public static final long SMALL_SYSCALL = 40;
    /** task_new beyond the page-directory setup. */
    public static final long TASK_NEW = 200;
    /** The lazy FPU switch beyond fsave and frstor. */
    public static final long FPU_SWITCH = 20;

    private PathCosts() {
    }
}
