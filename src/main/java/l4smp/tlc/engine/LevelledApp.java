package l4smp.tlc.engine;

import tlc2.tool.IStateFunctor;
import tlc2.tool.TLCState;
import tlc2.tool.TLCStateInfo;
import tlc2.tool.WorkerException;
import tlc2.tool.distributed.DistApp;
import tlc2.tool.distributed.TLCApp;

/**
 * TLC's application of the spec on a worker ({@link TLCApp}), with two things it misses:
 * <ul>
 *   <li>It leaves every successor at the initial level: TLC's worker never records a state's
 *   predecessor, as its local checker does. The server then takes the state before a violation
 *   for an initial state and prints a two-state trace from the middle of the behaviour. Setting
 *   the predecessor gives each state its level, and the server prints the whole trace.</li>
 *   <li>It takes deadlock checking from the server only; a local run also turns it off when the
 *   cfg says {@code CHECK_DEADLOCK FALSE}, and so does this.</li>
 * </ul>
 * Everything else is TLC's own: {@code app} is built not to check deadlock itself.
 */
final class LevelledApp extends DistApp {
    private final TLCApp app;
    private final boolean checkDeadlock;

    LevelledApp(TLCApp app, boolean checkDeadlock) {
        this.app = app;
        this.checkDeadlock = checkDeadlock;
    }

    @Override
    public TLCState[] getNextStates(TLCState s) throws WorkerException {
        TLCState[] next = app.getNextStates(s);
        if (next.length == 0 && checkDeadlock) throw new WorkerException("Error: deadlock reached.", s, null, false);
        for (TLCState n : next) n.setPredecessor(s);
        return next;
    }

    @Override
    public Boolean getCheckDeadlock() {
        return checkDeadlock;
    }

    @Override
    public Boolean getPreprocess() {
        return app.getPreprocess();
    }

    @Override
    public String getFileName() {
        return app.getFileName();
    }

    @Override
    public String getMetadir() {
        return app.getMetadir();
    }

    @Override
    public boolean canRecover() {
        return app.canRecover();
    }

    @Override
    public void getInitStates(IStateFunctor functor) {
        app.getInitStates(functor);
    }

    @Override
    public void checkState(TLCState s1, TLCState s2) throws WorkerException {
        app.checkState(s1, s2);
    }

    @Override
    public boolean isInModel(TLCState s) {
        return app.isInModel(s);
    }

    @Override
    public boolean isInActions(TLCState s1, TLCState s2) {
        return app.isInActions(s1, s2);
    }

    @Override
    public TLCStateInfo getState(long fp) {
        return app.getState(fp);
    }

    @Override
    public TLCStateInfo getState(long fp, TLCState s) {
        return app.getState(fp, s);
    }

    @Override
    public TLCStateInfo getState(TLCState s1, TLCState s) {
        return app.getState(s1, s);
    }

    @Override
    public void setCallStack() {
        app.setCallStack();
    }

    @Override
    public String printCallStack() {
        return app.printCallStack();
    }

    @Override
    public String getSpecDir() {
        return app.getSpecDir();
    }

    @Override
    public String getConfigName() {
        return app.getConfigName();
    }
}
