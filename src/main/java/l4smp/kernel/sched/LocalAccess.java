package l4smp.kernel.sched;

import l4smp.hw.mem.Access;

/**
 * An access to a CPU's local kernel data (ready lists, wakeup queue), charged to the CPU that owns
 * the data: the one that took the data's processor number at boot (§8.8.1).
 */
@FunctionalInterface
interface LocalAccess {
    void touch(long pa, Access access);
}
