package l4smp.hw;

/** The privilege level a CPU runs at: user (CPL 3) or kernel, "supervisor mode" (CPL 0). */
public enum Mode {
    USER, KERNEL
}
