package l4smp.hw.bench;

import l4smp.hw.Cpu;
import l4smp.hw.Cycles;

/**
 * Two readings of a CPU's clock around a measured stretch, as the thesis's experiments take them
 * with rdtsc. Readings are at full (millicycle) resolution; the thesis subtracted its own
 * measuring overhead, so reading costs nothing here.
 */
final class Stopwatch {
    private long start = -1;
    private long end = -1;

    void start(Cpu cpu) {
        start = cpu.millicycles();
    }

    void stop(Cpu cpu) {
        end = cpu.millicycles();
    }

    /** Cycles between the readings. */
    double cycles() {
        if (start < 0 || end < start) {
            throw new IllegalStateException("the experiment did not take both readings");
        }
        return Cycles.toCycles(end - start);
    }
}
