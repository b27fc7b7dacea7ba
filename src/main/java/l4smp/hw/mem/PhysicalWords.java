package l4smp.hw.mem;

/**
 * Word access to physical memory. {@link PhysicalMemory} itself is the free view (the chips);
 * {@link l4smp.hw.Cpu#physical()} is the view of one CPU, whose every access is charged through
 * its caches. Page-table walks and {@link PageTables} take either.
 */
public interface PhysicalWords {
    int readWord(long pa);

    void writeWord(long pa, int value);
}
