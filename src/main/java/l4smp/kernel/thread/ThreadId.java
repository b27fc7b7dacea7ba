package l4smp.kernel.thread;

/**
 * An L4 Version X.0 thread id: one 32-bit word, {@code chief:8 task:8 lthread:6 version:10} from
 * the most significant bit down (§8.3.2: "Thread ids in L4 are basically composed in two fields,
 * a number defining the thread itself and a version number to allow to make the ID unique in
 * time. [...] In Version X this thread number is composed of a number defining the task, plus a
 * thread number within that task. A thread id of 0 means this thread is not present.").
 *
 * <p>The thread number (task and lthread, bits 10..23) sits exactly where a 1 KB TCB's offset in
 * the TCB area does, so the TCB is found by masking alone (slides, "Avoid Table Lookups":
 * {@code TCB = TCB_area + (thread_no & TCB_size_mask)}); see {@link TcbArea}.
 *
 * <p>Ids 1..{@value #MAX_IRQS} (task 0, lthread 0, version irq + 1) name the per-IRQ hardware
 * threads of §2.4, as in L4 X.0 ({@code l4_make_taskid_from_irq}: raw = irq + 1). The chief field
 * is kept zero: clans and chiefs are not modelled.
 */
public record ThreadId(int raw) implements Comparable<ThreadId> {
    public static final int VERSION_BITS = 10;
    public static final int LTHREAD_BITS = 6;
    public static final int TASK_BITS = 8;
    public static final int VERSION_MASK = (1 << VERSION_BITS) - 1;
    public static final int LTHREADS_PER_TASK = 1 << LTHREAD_BITS;
    public static final int TASKS = 1 << TASK_BITS;
    /** Bits 10..23: task and lthread, the thread number that indexes the TCB area. */
    public static final int THREAD_NUMBER_MASK = ((1 << (LTHREAD_BITS + TASK_BITS)) - 1) << VERSION_BITS;
    /** IRQ lines with a hardware thread (the IO-APIC's 24 inputs). */
    public static final int MAX_IRQS = 24;

    public static final ThreadId NIL = new ThreadId(0);
    /** L4_INVALID_ID: "no change" in lthread_ex_regs, the error result of id_nearest. */
    public static final ThreadId INVALID = new ThreadId(-1);

    public static ThreadId of(int task, int lthread, int version) {
        if (task < 0 || task >= TASKS || lthread < 0 || lthread >= LTHREADS_PER_TASK
                || version < 0 || version > VERSION_MASK) {
            throw new IllegalArgumentException("thread id fields out of range: task " + task + " (0.." + (TASKS - 1)
                    + "), lthread " + lthread + " (0.." + (LTHREADS_PER_TASK - 1) + "), version " + version
                    + " (0.." + VERSION_MASK + ")");
        }
        return new ThreadId((task << (VERSION_BITS + LTHREAD_BITS)) | (lthread << VERSION_BITS) | version);
    }

    /** The hardware thread of IRQ {@code irq} (§2.4). */
    public static ThreadId ofIrq(int irq) {
        if (irq < 0 || irq >= MAX_IRQS) {
            throw new IllegalArgumentException("IRQ " + irq + " is not in 0.." + (MAX_IRQS - 1));
        }
        return new ThreadId(irq + 1);
    }

    public int version() {
        return raw & VERSION_MASK;
    }

    public int lthread() {
        return (raw >>> VERSION_BITS) & (LTHREADS_PER_TASK - 1);
    }

    public int task() {
        return (raw >>> (VERSION_BITS + LTHREAD_BITS)) & (TASKS - 1);
    }

    public int chief() {
        return raw >>> 24;
    }

    /** Task and lthread: which TCB this id names (equal for ids that differ in the version only). */
    public int threadNumber() {
        return (raw & THREAD_NUMBER_MASK) >>> VERSION_BITS;
    }

    public boolean isNil() {
        return raw == 0;
    }

    public boolean isInvalid() {
        return raw == -1;
    }

    /** Whether this is the id of an IRQ's hardware thread. */
    public boolean isInterrupt() {
        return raw >= 1 && raw <= MAX_IRQS;
    }

    public int irq() {
        if (!isInterrupt()) {
            throw new IllegalStateException(this + " is not an interrupt id");
        }
        return raw - 1;
    }

    /** The same task with another lthread, keeping the version. */
    public ThreadId withLthread(int lthread) {
        return of(task(), lthread, version());
    }

    // Written out: the record's generated equals goes through an invokedynamic bootstrap that the
    // JIT does not always reduce to one compare, and ids are compared on every IPC path.
    @Override
    public boolean equals(Object other) {
        return other instanceof ThreadId id && id.raw == raw;
    }

    @Override
    public int hashCode() {
        return raw;
    }

    @Override
    public int compareTo(ThreadId other) {
        return Integer.compareUnsigned(raw, other.raw);
    }

    /** {@code nil}, {@code irq3}, {@code 4.1} or {@code 4.1v2}: task.lthread, with the version if not 0. */
    @Override
    public String toString() {
        if (isNil()) {
            return "nil";
        }
        if (isInvalid()) {
            return "invalid";
        }
        if (isInterrupt()) {
            return "irq" + irq();
        }
        String text = task() + "." + lthread();
        return version() == 0 ? text : text + "v" + version();
    }
}
