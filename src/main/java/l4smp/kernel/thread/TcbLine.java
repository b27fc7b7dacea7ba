package l4smp.kernel.thread;

/**
 * The cache lines of a TCB, laid out as the thesis's Table 3 (§8.6) for 32-byte lines: three
 * processor-local lines, one global read-only line, one global line written cross-processor.
 * Kernel paths charge an access to a TCB field as an access to its line, so that the cache model
 * prices exactly the lines the thesis arranged the fields into.
 */
public enum TcbLine {
    /** ipc buffer[3], ipc timeout, ready prev/next, thread state, stack: the short-IPC line. */
    IPC(0),
    /** wakeup prev/next, resources, comm area 1/2, send queue, send prev/next. */
    QUEUES(32),
    /** priority, timeslice, remaining timeslice, pager. */
    SCHEDULING(64),
    /** Group 3, read-only: myself, cpu, present prev/next. */
    GLOBAL_READ_ONLY(96),
    /** Group 2, written cross-processor: partner, proxy, xp cc, first/last mailbox. */
    GLOBAL_MODIFIED(128);

    /** Offset of the line in the TCB. */
    public final int offset;

    TcbLine(int offset) {
        this.offset = offset;
    }

    /** Where the FPU state is saved by fsave (108 bytes, after the five lines). */
    public static final int FPU_SAVE_AREA = 512;
}
