package l4smp.hw;

/**
 * The general registers of one CPU that the layer above uses to pass system-call arguments and
 * short messages (L4 Version X passes them in registers, §8.3.1), plus EIP. The interrupt flag is
 * not here: it is {@link Cpu#interruptsEnabled()}. Reading and writing registers is free.
 */
public final class Registers {
    private final int[] values = new int[Reg.values().length];

    public int get(Reg reg) {
        return values[reg.ordinal()];
    }

    public void set(Reg reg, int value) {
        values[reg.ordinal()] = value;
    }

    /** A copy of every register, indexed by {@link Reg#ordinal()}: what a context switch saves. */
    public int[] save() {
        return values.clone();
    }

    /** Restores registers saved by {@link #save()}. */
    public void restore(int[] saved) {
        if (saved.length != values.length) {
            throw new IllegalArgumentException("a saved register set has " + values.length
                    + " registers, not " + saved.length);
        }
        System.arraycopy(saved, 0, values, 0, values.length);
    }
}
