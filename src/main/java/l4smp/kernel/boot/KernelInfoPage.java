package l4smp.kernel.boot;

import l4smp.hw.Cpu;
import l4smp.hw.Machine;
import l4smp.hw.mem.PhysicalMemory;
import l4smp.kernel.ipc.TimeoutWord;

/**
 * The kernel info page: a kernel frame mapped read-only into every address space at
 * {@link l4smp.kernel.mm.AddressSpace#KERNEL_INFO_PAGE}, where user programs read what the kernel
 * publishes. Fields (word offsets): 0x00 the magic "L4µK", 0x04 the API version (0x84, Version X.0),
 * 0x10 the physical memory size in KB, 0xA0 the clock in µs since boot (updated by the boot CPU's
 * timer tick), and (§7.1) "the highest available processor number (k processors are numbered 1 ..
 * k, 0 means invalid) in the 8-bit word at relative address 0xB8": the machine's CPUs, lowered at
 * boot if some do not reply (§8.2, {@link SmpBoot}).
 */
public final class KernelInfoPage {
    public static final int MAGIC = 0x4B75344C;
    public static final int OFFSET_MAGIC = 0x00;
    public static final int OFFSET_VERSION = 0x04;
    public static final int OFFSET_MEMORY_KB = 0x10;
    public static final int OFFSET_CLOCK = 0xA0;
    public static final int OFFSET_PROCESSORS = 0xB8;
    public static final int VERSION_X0 = 0x84;

    private final long address;

    public KernelInfoPage(int frame, Machine machine) {
        this.address = (long) frame << PhysicalMemory.FRAME_SHIFT;
        PhysicalMemory memory = machine.memory();
        memory.writeWord(address + OFFSET_MAGIC, MAGIC);
        memory.writeWord(address + OFFSET_VERSION, VERSION_X0);
        memory.writeWord(address + OFFSET_MEMORY_KB, (int) (memory.sizeBytes() / 1024));
        memory.writeWord(address + OFFSET_PROCESSORS, machine.cpuCount() & 0xFF);
    }

    /** Physical address of the page. */
    public long address() {
        return address;
    }

    /**
     * The bootstrap processor lowers the number of processors to {@code count} (a charged store):
     * processors that did not reply at boot are masked out (§8.2).
     */
    public void processors(Cpu cpu, int count) {
        cpu.storePhysical(address + OFFSET_PROCESSORS, count & 0xFF);
    }

    /** The boot CPU's tick writes the clock (µs since boot), a charged store. */
    public void tick(Cpu cpu) {
        cpu.storePhysical(address + OFFSET_CLOCK, (int) (cpu.rdtsc() / TimeoutWord.CYCLES_PER_MICROSECOND));
    }
}
