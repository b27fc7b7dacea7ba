package l4smp.kernel.irq;

import l4smp.hw.Cpu;
import l4smp.kernel.Kernel;
import l4smp.kernel.PathCosts;
import l4smp.kernel.observe.PathSegment;
import l4smp.kernel.sched.ProcessorData;
import l4smp.kernel.thread.Tcb;

/**
 * Lazy FPU switching (§2.4: "The Intel x86 hardware allows the FPU to be secured from accesses
 * through others. Any access to a secured FPU raises a fault. L4 catches this fault and if the
 * same thread has caused the fault, no registers have to be saved. Only when a different thread
 * accesses the FPU, the registers are saved to the old thread's TCB and restored from the new
 * one's"). A thread switch sets CR0.TS unless the next thread owns the FPU; the first FPU
 * instruction of another thread traps here. The FPU state is saved in the owner's TCB.
 */
public final class LazyFpu {
    private final Kernel kernel;
    private long switches;
    private long saves;

    public LazyFpu(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Device not available: {@code t} touched the FPU with TS set. */
    public void deviceNotAvailable(ProcessorData local, Tcb t) {
        kernel.step().segment(PathSegment.FPU_SWITCH);
        kernel.charge(local, PathCosts.FPU_SWITCH);
        Cpu cpu = local.cpu();
        cpu.clts();
        Tcb owner = local.fpuOwner();
        if (owner != t) {
            switches++;
            if (owner != null) {
                cpu.fsave(owner.fpuSaveArea());
                saves++;
            }
            if (t.fpuUsed()) {
                cpu.frstor(t.fpuSaveArea());
            }
            local.fpuOwner(t);
            t.fpuUsed(true);
        }
        kernel.threadSwitch().exitToUser(local, t);
    }

    /** {@code t} dies: its FPU state is dropped and the FPU reinitialised, so no one else sees it. */
    public void forget(ProcessorData local, Tcb t) {
        saveAndDrop(local, t);
    }

    /**
     * §8.7.1: "since the FPUs are processor local and since we are migrating a thread which might have
     * accessed the FPU before, the floating point registers have to be saved and the FPU be released
     * before migration". The migrant's state goes to its TCB, where its new CPU's first
     * device-not-available trap restores it from.
     *
     * @return whether {@code t} owned this CPU's FPU
     */
    public boolean release(ProcessorData local, Tcb t) {
        if (!saveAndDrop(local, t)) {
            return false;
        }
        saves++;
        return true;
    }

    /** fsave of {@code t}'s state into its TCB and the FPU left to no one, if {@code t} owns it. */
    private static boolean saveAndDrop(ProcessorData local, Tcb t) {
        if (local.fpuOwner() != t) {
            return false;
        }
        Cpu cpu = local.cpu();
        cpu.clts();
        cpu.fsave(t.fpuSaveArea());
        cpu.setTaskSwitched();
        local.fpuOwner(null);
        return true;
    }

    /** Device-not-available traps that changed the FPU's owner. */
    public long switches() {
        return switches;
    }

    /** FPU states saved (fsave) for an owner another thread displaced. */
    public long saves() {
        return saves;
    }
}
