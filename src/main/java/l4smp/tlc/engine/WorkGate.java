package l4smp.tlc.engine;

import tlc2.tool.TLCState;
import tlc2.tool.distributed.TLCServer;
import tlc2.tool.distributed.TLCWorkerRMI;
import tlc2.tool.distributed.selector.BlockSelectorFactory;
import tlc2.tool.distributed.selector.IBlockSelector;
import tlc2.tool.queue.IStateQueue;

import java.rmi.RemoteException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds TLC's server back until the expected workers have joined, and counts the states handed
 * to each. TLC starts a worker's thread as soon as the worker registers and gives it states at
 * once; the gate sits where that thread asks for its next block of states (TLC's block selector,
 * which TLC lets a system property replace), so no state moves before the gate opens.
 *
 * <p>One gate per run: the isolated class loader gives each run its own {@link #current}.
 */
final class WorkGate {
    /** The gate of this run, found by the selector factory TLC instantiates by name. */
    static volatile WorkGate current;

    private final Map<String, AtomicLong> expanded = new ConcurrentHashMap<>();
    private boolean open;

    synchronized void open() {
        open = true;
        notifyAll();
    }

    synchronized boolean isOpen() {
        return open;
    }

    private synchronized void awaitOpen() throws InterruptedException {
        while (!open) wait();
    }

    /** States handed out so far, per worker process (see {@link WorkerNames#process}). */
    Map<String, Long> expanded() {
        Map<String, Long> copy = new java.util.HashMap<>();
        expanded.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** TLC's default selector behind the gate. */
    public static final class SelectorFactory extends BlockSelectorFactory {
        @Override
        protected IBlockSelector getSelector(TLCServer server) {
            return new Selector(super.getSelector(server), current);
        }
    }

    private static final class Selector implements IBlockSelector {
        private final IBlockSelector tlc;
        private final WorkGate gate;
        private final Map<TLCWorkerRMI, String> names = new ConcurrentHashMap<>();

        Selector(IBlockSelector tlc, WorkGate gate) {
            this.tlc = tlc;
            this.gate = gate;
        }

        @Override
        public TLCState[] getBlocks(IStateQueue queue, TLCWorkerRMI worker) {
            try {
                gate.awaitOpen();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null; // TLC's server thread then ends as if the run were over
            }
            TLCState[] block = tlc.getBlocks(queue, worker);
            if (block != null) gate.expanded.computeIfAbsent(name(worker), k -> new AtomicLong()).addAndGet(block.length);
            return block;
        }

        private String name(TLCWorkerRMI worker) {
            return names.computeIfAbsent(worker, w -> {
                try {
                    return WorkerNames.process(w.getURI().toString());
                } catch (RemoteException e) {
                    return "unknown worker";
                }
            });
        }

        @Override
        public void setMaxTXSize(int maximum) {
            tlc.setMaxTXSize(maximum);
        }

        @Override
        public long getAverageBlockCnt() {
            return tlc.getAverageBlockCnt();
        }
    }
}
