package l4smp.tlc.engine;

import l4smp.tlc.CheckRequest;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;
import tlc2.TLCGlobals;
import tlc2.tool.ITool;
import tlc2.tool.Simulator;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.liveness.ILiveCheck;
import tlc2.tool.liveness.ILiveChecker;
import tlc2.util.RandomGenerator;
import tlc2.util.SetOfStates;
import tlc2.util.statistics.IBucketStatistics;
import util.FilenameToStream;
import util.ToolIO;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the behaviours TLC's simulator generates. TLC hands every finished behaviour to its
 * liveness checker ({@code ILiveCheck.checkTrace}); a checker of our own, put in place of TLC's,
 * records them instead of checking them.
 */
final class Behaviours {
    private Behaviours() {
    }

    static List<Trace> generate(CheckRequest request, FilenameToStream resolver) throws Exception {
        String dir = request.spec().getParent().toString() + File.separator;
        ToolIO.setUserDir(dir);
        TLCGlobals.setNumWorkers(1);
        tlc2.util.FP64.Init(0);
        long seed = request.seed() != null ? request.seed() : new java.util.Random().nextLong();
        RandomGenerator rng = new RandomGenerator();
        rng.setSeed(seed, 0);
        String spec = request.spec().toString().replaceFirst("\\.tla$", "");
        String cfg = request.spec().getParent().relativize(request.config()).toString().replaceFirst("\\.cfg$", "");
        Simulator simulator = new Simulator(spec, cfg, null, false, request.simulation().depth(),
                request.simulation().traces(), rng, seed, resolver, 1);
        TLCGlobals.simulator = simulator;
        ITool tool = SimulatorAccess.tool(simulator);
        Recording recording = new Recording(tool);
        replaceLiveCheck(simulator, recording);
        simulator.simulate();
        Map<String, String> meta = SpecShape.of(tool, request.spec(), request.config());
        return recording.traces().stream().map(t -> t.withMeta(meta)).toList();
    }

    /** The simulator and each of its workers keep the checker in a final field. */
    private static void replaceLiveCheck(Simulator simulator, ILiveCheck replacement) throws ReflectiveOperationException {
        set(simulator, Simulator.class, "liveCheck", replacement);
        Field workers = Simulator.class.getDeclaredField("workers");
        workers.setAccessible(true);
        for (Object worker : (List<?>) workers.get(simulator)) set(worker, worker.getClass(), "liveCheck", replacement);
    }

    private static void set(Object target, Class<?> type, String name, Object value) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** An {@link ILiveCheck} that keeps each finished behaviour as a {@link Trace} and checks nothing. */
    private static final class Recording implements ILiveCheck {
        private final ITool tool;
        private final List<String> variables = TraceAssembler.variableNames();
        private final List<Trace> traces = Collections.synchronizedList(new ArrayList<>());

        Recording(ITool tool) {
            this.tool = tool;
        }

        List<Trace> traces() {
            return new ArrayList<>(traces);
        }

        @Override
        public void checkTrace(ITool t, StateVec trace) {
            List<TraceState> states = new ArrayList<>();
            for (int i = 0; i < trace.size(); i++) {
                TLCState s = trace.elementAt(i);
                Map<String, l4smp.trace.TlaValue> values = new LinkedHashMap<>();
                for (String v : variables) values.put(v, Values.toTla(s.lookup(v)));
                states.add(new TraceState(values, i == 0 ? null : TraceAssembler.stepLabel(tool, trace.elementAt(i - 1), s, "")));
            }
            if (!states.isEmpty()) traces.add(Trace.of(variables, states));
        }

        // Everything else TLC's simulator may call on its liveness checker: nothing to do.
        @Override public void addInitState(ITool t, TLCState state, long fp) { }
        @Override public void addNextState(ITool t, TLCState s0, long fp0, SetOfStates next) { }
        @Override public boolean doLiveCheck() { return false; }
        @Override public int check(ITool t, boolean force) { return 0; }
        @Override public int finalCheck(ITool t) { return 0; }
        @Override public String getMetaDir() { return null; }
        @Override public IBucketStatistics getOutDegreeStatistics() { return null; }
        @Override public ILiveChecker getChecker(int idx) { return null; }
        @Override public int getNumChecker() { return 0; }
        @Override public void close() throws IOException { }
        @Override public void reset() { }
        @Override public void beginChkpt() { }
        @Override public void commitChkpt() { }
        @Override public void recover() { }
        @Override public IBucketStatistics calculateInDegreeDiskGraphs(IBucketStatistics s) { return s; }
        @Override public IBucketStatistics calculateOutDegreeDiskGraphs(IBucketStatistics s) { return s; }
    }
}
