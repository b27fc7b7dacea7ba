package l4smp.kernel.observe;

/**
 * Told after every atomic kernel step, with a read-only view of kernel state as the step left it.
 * This is the kernel's whole observation interface (DESIGN.md): trace recorders and refinement
 * checkers build on it; the kernel knows nothing of them. The view is live: copy what must outlast
 * the call.
 */
@FunctionalInterface
public interface StepListener {
    void afterStep(KernelStep step, KernelView view);
}
