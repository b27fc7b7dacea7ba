package l4smp.tlc.engine;

import tlc2.tool.ITool;
import tlc2.tool.Simulator;

/** The simulator keeps its tool private; the trace assembler needs it to name actions. */
final class SimulatorAccess {
    private SimulatorAccess() {
    }

    static ITool tool(Simulator simulator) {
        try {
            java.lang.reflect.Field f = Simulator.class.getDeclaredField("tool");
            f.setAccessible(true);
            return (ITool) f.get(simulator);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
