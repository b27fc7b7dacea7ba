package l4smp.hw.mem;

/**
 * The shared physical memory of the machine: {@code frames} page frames of 4 KB, each an array of
 * 1024 32-bit words, allocated when first written (an untouched frame reads as zeros), so that a
 * 64 MB machine like the thesis's (§3.2) costs only the frames a run uses.
 *
 * <p>These methods move data and cost nothing: they are the memory chips. Every access a CPU
 * makes goes through {@link l4smp.hw.Cpu}, which charges it through the caches; setup code and
 * observers (the kernel's boot loader, refinement checkers, tests) may use this class directly.
 */
public final class PhysicalMemory implements PhysicalWords {
    /** §2.2: pages of 4 KB. */
    public static final int FRAME_BYTES = 4096;
    public static final int FRAME_SHIFT = 12;
    public static final int WORDS_PER_FRAME = FRAME_BYTES / 4;
    /** 32-bit physical addresses: at most 2^20 frames. */
    public static final int MAX_FRAMES = 1 << 20;

    private final int[][] frames;

    public PhysicalMemory(int frameCount) {
        if (frameCount < 1 || frameCount > MAX_FRAMES) {
            throw new IllegalArgumentException(
                    "physical memory must have 1 to " + MAX_FRAMES + " frames of 4 KB, not " + frameCount);
        }
        this.frames = new int[frameCount][];
    }

    public int frameCount() {
        return frames.length;
    }

    public long sizeBytes() {
        return (long) frames.length * FRAME_BYTES;
    }

    /** Whether {@code pa} lies in this memory. */
    public boolean contains(long pa) {
        return pa >= 0 && pa < sizeBytes();
    }

    @Override
    public int readWord(long pa) {
        checkWord(pa);
        int[] frame = frames[(int) (pa >>> FRAME_SHIFT)];
        return frame == null ? 0 : frame[wordIndex(pa)];
    }

    @Override
    public void writeWord(long pa, int value) {
        checkWord(pa);
        int index = (int) (pa >>> FRAME_SHIFT);
        int[] frame = frames[index];
        if (frame == null) {
            if (value == 0) {
                return;
            }
            frame = new int[WORDS_PER_FRAME];
            frames[index] = frame;
        }
        frame[wordIndex(pa)] = value;
    }

    /** Little-endian byte {@code pa}, as on the Pentium. */
    public int readByte(long pa) {
        int word = readWord(check(pa) & ~3L);
        return (word >>> (8 * (int) (pa & 3))) & 0xFF;
    }

    public void writeByte(long pa, int value) {
        long wordAddress = check(pa) & ~3L;
        int shift = 8 * (int) (pa & 3);
        int word = readWord(wordAddress);
        writeWord(wordAddress, (word & ~(0xFF << shift)) | ((value & 0xFF) << shift));
    }

    /** Fills frame {@code frame} with zeros. */
    public void zeroFrame(int frame) {
        checkFrame(frame);
        frames[frame] = null;
    }

    /** Copies frame {@code from} onto frame {@code to}. */
    public void copyFrame(int from, int to) {
        checkFrame(from);
        checkFrame(to);
        frames[to] = frames[from] == null ? null : frames[from].clone();
    }

    private static int wordIndex(long pa) {
        return (int) ((pa & (FRAME_BYTES - 1)) >>> 2);
    }

    private void checkWord(long pa) {
        check(pa);
        if ((pa & 3) != 0) {
            throw new IllegalArgumentException(String.format(
                    "word access at 0x%x is not 4-byte aligned", pa));
        }
    }

    private long check(long pa) {
        if (!contains(pa)) {
            throw new IllegalArgumentException(String.format(
                    "physical address 0x%x is outside the %d KB of physical memory", pa, sizeBytes() / 1024));
        }
        return pa;
    }

    private void checkFrame(int frame) {
        if (frame < 0 || frame >= frames.length) {
            throw new IllegalArgumentException(
                    "frame " + frame + " is outside physical memory (frames 0.." + (frames.length - 1) + ")");
        }
    }
}
