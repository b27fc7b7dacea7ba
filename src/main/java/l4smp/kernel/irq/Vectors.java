package l4smp.kernel.irq;

import l4smp.hw.IoApic;

/**
 * The interrupt and trap vectors the kernel uses. System calls are software interrupts
 * ({@code int 0x30} .. {@code int 0x36}, as in L4 Version X on x86); device interrupts come from the
 * IO-APIC on vectors from {@link #IRQ_BASE}; each CPU's local timer ticks on {@link #TIMER}.
 */
public final class Vectors {
    public static final int IPC = 0x30;
    public static final int ID_NEAREST = 0x31;
    public static final int FPAGE_UNMAP = 0x32;
    public static final int THREAD_SWITCH = 0x33;
    public static final int THREAD_SCHEDULE = 0x34;
    public static final int LTHREAD_EX_REGS = 0x35;
    public static final int TASK_NEW = 0x36;

    /** IO-APIC input i arrives as vector IRQ_BASE + i. */
    public static final int IRQ_BASE = 0x40;
    public static final int TIMER = 0xF0;
    /**
     * The IPI that triggers cross-processor operations (§8.3.4). Below the timer's priority class;
     * above every device's, so that a proxy's activation is not held up by device handlers.
     */
    public static final int XCPU = 0xE0;

    private Vectors() {
    }

    public static boolean isIrq(int vector) {
        return vector >= IRQ_BASE && vector < IRQ_BASE + IoApic.INPUTS;
    }

    public static int irq(int vector) {
        return vector - IRQ_BASE;
    }
}
