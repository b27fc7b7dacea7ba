package l4smp.kernel.thread;

/**
 * Where a thread resumes when its CPU next runs it: the explicit kernel continuation that takes
 * the place of a kernel stack. A thread blocked inside the kernel keeps no host thread; its TCB
 * records the point in the path it will go on from (one of these) plus its saved IPC state.
 */
public enum Resume {
    /** In user mode at the saved EIP (or returning there with iret). */
    USER,
    /** It trapped into the kernel ({@code int 0x30..0x36}); the system call runs next. */
    SYSCALL,
    /** A user-mode page fault; it is to be turned into an IPC to the pager (§2.2.2). */
    PAGE_FAULT,
    /** An FPU instruction found CR0.TS set; lazy FPU switching runs next (§2.4). */
    FPU_FAULT,
    /** Polling in the send path after {@code switchTo(B)}: woken by the receiver or by its timeout. */
    SEND_BLOCKED,
    /** In the receive path after {@code switchTo(A)}: woken by the sender, an interrupt, or its timeout. */
    RECEIVE_BLOCKED,
    /** The active sender copying a long message, interrupts enabled (§8.3.2 transmit path). */
    LONG_COPY,
    /**
     * A receiver switched to by its sender to redo a page fault of the sender's copy in the
     * receiver's own context (§8.3.2: "switch to receiver context [...] redo page fault").
     */
    RECEIVER_FAULT,
    /**
     * A cross-processor sender after {@code switchTo(Anyone)} (§8.3.5): it runs again when the
     * reply mailbox of {@code wakeup_sender} reached its list, at {@code XP_RETURN} (§8.4.1).
     */
    XP_RETURN,
    /** A proxy thread between operations: it takes the first mailbox of its list, or sleeps (§8.4). */
    PROXY,
    /**
     * A proxy polling for its receiver after {@code switchTo(B)} in {@code xp_send_path}: the
     * receiver activated it (locked_running) and it transmits (§8.3.5).
     */
    PROXY_ACTIVATED,
    /** A proxy copying a remote sender's long message in the sender's space, interrupts enabled (§8.4.2). */
    PROXY_COPY,
    /** A thread that asked other CPUs to perform an operation, every part of it done (§8.3.4). */
    XP_OP_RETURN,
    /** A CPU's operation proxy between operations: it performs the first of its list, or sleeps. */
    OPERATIONS,
    /**
     * A scheduling server inside thread_schedule migrating another thread (part A of §8.7.2): it
     * spins, interrupts enabled, for the migration locks and at the barriers (=1) and (=2); each
     * step is one try. It is not preempted meanwhile (its kernel stack holds part A).
     */
    MIGRATION,
    /**
     * A sender whose send a migration moved (its receiver left for another CPU while it polled):
     * it begins its send path again, on the uniprocessor or the cross-processor branch (§8.5).
     */
    SEND_RESTART,
    /** Never runs again (dead). */
    NOWHERE
}
