package l4smp.hw;

/**
 * Exception 7, "device not available": an FPU instruction while CR0.TS is set. The kernel sets TS
 * on a thread switch and saves the previous owner's FPU state only when the new thread raises
 * this, which is lazy FPU switching. Like {@link l4smp.hw.mem.PageFault} it carries no stack trace.
 */
public final class DeviceNotAvailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int cpu;

    public DeviceNotAvailable(int cpu) {
        super(null, null, false, false);
        this.cpu = cpu;
    }

    public int cpu() {
        return cpu;
    }

    @Override
    public String getMessage() {
        return "cpu" + cpu + ": FPU instruction with CR0.TS set (device not available)";
    }
}
