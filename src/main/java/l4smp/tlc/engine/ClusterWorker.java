package l4smp.tlc.engine;

import tlc2.tool.TLCState;
import tlc2.tool.WorkerException;
import tlc2.tool.distributed.DistApp;
import tlc2.tool.distributed.NextStateResult;
import tlc2.tool.distributed.TLCWorker;
import tlc2.tool.distributed.TLCWorkerRMI;
import tlc2.tool.distributed.fp.IFPSetManager;

import java.net.URI;
import java.rmi.RemoteException;
import java.rmi.server.UnicastRemoteObject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker thread as TLC's server sees it. The states are expanded by TLC's own
 * {@link TLCWorker}, called in process; this object answers the server's calls in its place, on
 * the worker's one callback port and under the worker process's name, and tells the worker
 * process when the server releases it ({@link #exit}). TLC's worker would instead end through
 * static timers that only its own {@code main} sets up.
 */
@SuppressWarnings("serial")
final class ClusterWorker extends UnicastRemoteObject implements TLCWorkerRMI {
    private final transient TLCWorker tlc;
    private final URI uri;
    private final transient CountDownLatch released;
    private final transient AtomicBoolean exited = new AtomicBoolean();
    private final transient AtomicLong expanded = new AtomicLong();

    private ClusterWorker(TLCWorker tlc, URI uri, int port, CountDownLatch released) throws RemoteException {
        super(port);
        this.tlc = tlc;
        this.uri = uri;
        this.released = released;
    }

    /** Thread {@code thread} of the worker process at {@code host:port}. */
    static ClusterWorker create(int thread, DistApp work, IFPSetManager fingerprints, String host, int port,
                                CountDownLatch released) throws RemoteException {
        TLCWorker tlc = new TLCWorker(thread, work, fingerprints, host);
        UnicastRemoteObject.unexportObject(tlc, true); // only this object answers the server
        return new ClusterWorker(tlc, WorkerNames.thread(host, port, thread), port, released);
    }

    @Override
    public NextStateResult getNextStates(TLCState[] states) throws RemoteException, WorkerException {
        NextStateResult next = tlc.getNextStates(states);
        expanded.addAndGet(states.length);
        return next;
    }

    @Override
    public boolean isAlive() {
        return true;
    }

    @Override
    public void exit() {
        if (exited.compareAndSet(false, true)) released.countDown();
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public double getCacheRateRatio() throws RemoteException {
        return tlc.getCacheRateRatio();
    }

    long expanded() {
        return expanded.get();
    }

    void leave() {
        try {
            UnicastRemoteObject.unexportObject(this, true);
        } catch (java.rmi.NoSuchObjectException alreadyGone) {
            // nothing to do
        }
    }
}
