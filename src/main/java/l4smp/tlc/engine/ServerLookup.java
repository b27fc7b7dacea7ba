package l4smp.tlc.engine;

import l4smp.tlc.JoinReport;
import l4smp.tlc.JoinRequest;
import tlc2.tool.distributed.TLCServerRMI;

import java.rmi.ConnectException;
import java.rmi.ConnectIOException;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.UnknownHostException;
import java.rmi.registry.LocateRegistry;
import java.util.function.Consumer;

/**
 * Finds TLC's server for a joining process. A server that does not answer yet is tried again
 * until the connect timeout; one that answers but is not ready (it is still computing the initial
 * states, or waiting for fingerprint servers) is waited for as long as it answers.
 */
final class ServerLookup {
    /** The server could not be reached; the message says why. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private ServerLookup() {
    }

    static TLCServerRMI find(JoinRequest join, String name, Consumer<JoinReport> progress, long start)
            throws Unreachable, InterruptedException {
        long deadline = System.currentTimeMillis() + join.connectTimeout().toMillis();
        boolean toldNotReady = false, toldWaiting = false;
        while (true) {
            try {
                return (TLCServerRMI) LocateRegistry.getRegistry(join.server().host(), join.server().port()).lookup(name);
            } catch (NotBoundException notReady) {
                if (!toldNotReady) progress.accept(new JoinReport("the server at " + join.server()
                        + " answers but is not ready yet (computing initial states, or waiting for fingerprint servers)", 0,
                        System.currentTimeMillis() - start));
                toldNotReady = true;
                deadline = Long.MAX_VALUE;
            } catch (UnknownHostException e) {
                throw new Unreachable("unknown host " + join.server().host());
            } catch (ConnectException | ConnectIOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new Unreachable("no server answers at " + join.server() + " (" + cause(e) + ") after trying for "
                            + join.connectTimeout().toSeconds() + " s");
                }
                if (!toldWaiting) progress.accept(new JoinReport("waiting for the server at " + join.server(), 0,
                        System.currentTimeMillis() - start));
                toldWaiting = true;
            } catch (RemoteException e) {
                throw new Unreachable("the server at " + join.server() + " cannot be used: " + cause(e));
            }
            Thread.sleep(500);
        }
    }

    static String cause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null) c = c.getCause();
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
