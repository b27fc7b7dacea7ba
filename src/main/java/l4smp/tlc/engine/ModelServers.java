package l4smp.tlc.engine;

import l4smp.tlc.CheckRequest;
import tlc2.tool.TLCTrace;
import tlc2.tool.distributed.DistributedFPSetTLCServer;
import tlc2.tool.distributed.TLCApp;
import tlc2.tool.distributed.TLCServer;
import tlc2.tool.distributed.fp.IFPSetManager;
import tlc2.tool.distributed.fp.NonDistributedFPSetManager;
import tlc2.tool.fp.FPSet;
import tlc2.tool.fp.FPSetFactory;
import util.FilenameToStream;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.server.UnicastRemoteObject;

/**
 * TLC's server, as a distributed run of l4smp needs it. TLC's {@link TLCServer} is used as it
 * is, except for three things it does differently from a local run:
 * <ul>
 *   <li>It would listen on its registry port and on a random one for itself and its fingerprint
 *   set; here they all share the one port of {@code --port}, the only port to open.</li>
 *   <li>It serves workers the modules it finds in its working directory; here it serves those of
 *   the run's search path and the run's cfg, found by file name only (nothing outside them).</li>
 *   <li>Its in-server fingerprint set ends the JVM when the run closes it (TLC's
 *   {@code DiskFPSet.exit} calls {@code System.exit}); here it is closed without exiting, so that
 *   the result can still be sent.</li>
 * </ul>
 */
final class ModelServers {
    private ModelServers() {
    }

    /** A server for one model, not yet checking. */
    interface Served {
        TLCServer server();

        /** TLC's whole distributed run: listen, compute the initial states, serve workers until done. */
        void check() throws IOException, InterruptedException, NotBoundException;

        /** The depth TLC's server reached when it ended, 0 before. */
        int depth();
    }

    /** A server on {@code TLCServer.Port}; with {@code fpsets > 0} it waits for that many fingerprint servers. */
    static Served create(TLCApp app, int fpsets, CheckRequest request, FilenameToStream resolver)
            throws IOException, NotBoundException {
        RunFiles run = new RunFiles(request, resolver);
        return fpsets > 0 ? new SharedFingerprints(app, fpsets, run) : new OwnFingerprints(app, run);
    }

    /** Exports {@code object} again on {@code port}, which every object of the JVM may share. */
    static void moveTo(Remote object, int port) throws RemoteException {
        try {
            UnicastRemoteObject.unexportObject(object, true);
        } catch (NoSuchObjectException notExported) {
            // export it below all the same
        }
        UnicastRemoteObject.exportObject(object, port);
    }

    @SuppressWarnings("serial")
    private static final class OwnFingerprints extends TLCServer implements Served {
        private final transient RunFiles run;

        OwnFingerprints(TLCApp app, RunFiles run) throws IOException, NotBoundException {
            super(app);
            this.run = run;
            moveTo(this, Port);
        }

        /** Called by TLC's constructor, before this class's fields are set: uses only TLC's. */
        @Override
        protected IFPSetManager getFPSetManagerImpl(TLCApp work, String metadir, int fpsetCount) throws IOException {
            FPSet fpSet = FPSetFactory.getFPSet(work.getFPSetConfiguration());
            fpSet.init(1, metadir, work.getFileName());
            fpSet.unexportObject(true); // also the nested sets of a MultiFPSet, which only it calls
            UnicastRemoteObject.exportObject(fpSet, Port);
            return new KeptFingerprints(fpSet, trace);
        }

        @Override
        public byte[] getFile(String file) {
            return run.file(file);
        }

        @Override
        public synchronized long getNewStates() {
            return run.atEnd(this, super.getNewStates());
        }

        @Override
        public TLCServer server() {
            return this;
        }

        @Override
        public void check() throws IOException, InterruptedException, NotBoundException {
            modelCheck();
        }

        @Override
        public int depth() {
            return run.depth();
        }
    }

    /** The same additions as {@link OwnFingerprints}, to TLC's other server class (Java has no mixins). */
    @SuppressWarnings("serial")
    private static final class SharedFingerprints extends DistributedFPSetTLCServer implements Served {
        private final transient RunFiles run;

        SharedFingerprints(TLCApp app, int fpsets, RunFiles run) throws IOException, NotBoundException {
            super(app, fpsets);
            this.run = run;
            moveTo(this, Port);
        }

        @Override
        public byte[] getFile(String file) {
            return run.file(file);
        }

        @Override
        public synchronized long getNewStates() {
            return run.atEnd(this, super.getNewStates());
        }

        @Override
        public TLCServer server() {
            return this;
        }

        @Override
        public void check() throws IOException, InterruptedException, NotBoundException {
            modelCheck();
        }

        @Override
        public int depth() {
            return run.depth();
        }
    }

    /**
     * TLC's manager of a fingerprint set inside the server, closed without ending the JVM. It is
     * also what workers receive to look fingerprints up (remotely, through the set's stub).
     */
    @SuppressWarnings("serial")
    static final class KeptFingerprints extends NonDistributedFPSetManager {
        private final transient FPSet fpSet;

        KeptFingerprints(FPSet fpSet, TLCTrace trace) throws IOException {
            super(fpSet, "server", trace);
            this.fpSet = fpSet;
        }

        @Override
        public void close(boolean cleanup) throws IOException {
            fpSet.close();
            fpSet.unexportObject(true);
        }
    }

    /**
     * What both kinds of server add to TLC's: the files a worker may ask for (the run's cfg and
     * the modules on its search path, by name), and the depth at the end. TLC's server works the
     * depth out at the end of every run but reports it only when no error was found; a local run
     * reports it always. The server asks for the states left on the queue just before, the last
     * moment its trace file is open: the depth is taken then.
     */
    private static final class RunFiles {
        private final CheckRequest request;
        private final FilenameToStream resolver;
        private volatile int depth;

        RunFiles(CheckRequest request, FilenameToStream resolver) {
            this.request = request;
            this.resolver = resolver;
        }

        byte[] file(String name) {
            String base = new File(name).getName();
            File file = base.equals(request.config().getFileName().toString()) ? request.config().toFile()
                    : resolver.resolve(base, true);
            if (file == null || !file.isFile()) {
                throw new IllegalArgumentException("the server has no module or cfg named " + base);
            }
            try {
                return Files.readAllBytes(Path.of(file.getPath()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code left}, the states TLC's server says are left; notes its depth once it is done. */
        long atEnd(TLCServer server, long left) {
            if (!server.isRunning()) {
                try {
                    int d = server.trace.getLevelForReporting();
                    if (d > 0) depth = d;
                } catch (IOException | RuntimeException closed) {
                    // the trace is closed: the depth was noted before
                }
            }
            return left;
        }

        int depth() {
            return depth;
        }
    }
}
