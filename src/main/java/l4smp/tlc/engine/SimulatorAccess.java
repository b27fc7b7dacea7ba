package l4smp.tlc.engine;

import tlc2.tool.ITool;
import tlc2.tool.Simulator;

/** The simulator keeps its tool and counters private; the trace assembler and the statistics need them. */
final class SimulatorAccess {
    private SimulatorAccess() {
    }

    static ITool tool(Simulator simulator) {
        return (ITool) field(simulator, "tool");
    }

    /** States and behaviours generated so far; this TLC reports neither at the end of a simulation. */
    static long[] statesAndTraces(Simulator simulator) {
        Object states = field(simulator, "numOfGenStates");
        Object traces = field(simulator, "numOfGenTraces");
        return new long[]{states instanceof java.util.concurrent.atomic.LongAdder a ? a.sum() : 0,
                traces instanceof java.util.concurrent.atomic.LongAdder b ? b.sum() : 0};
    }

    private static Object field(Simulator simulator, String name) {
        try {
            java.lang.reflect.Field f = Simulator.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(simulator);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
