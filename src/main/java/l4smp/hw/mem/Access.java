package l4smp.hw.mem;

/** Whether a memory access reads or writes; page faults report it (§2.2.2). */
public enum Access {
    READ, WRITE;

    public boolean isWrite() {
        return this == WRITE;
    }
}
