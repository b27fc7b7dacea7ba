package l4smp.tlc.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;

/**
 * RMI's sockets for a JVM that takes part in a distributed run: every server socket RMI opens
 * (the registry, TLC's server, a worker's callback objects) listens on one address only, so that
 * {@code --bind 127.0.0.1} keeps the unauthenticated RMI protocol off every other interface.
 * RMI lets a JVM set its socket factory once, which is why such a JVM runs nothing else.
 */
public final class BoundSockets extends RMISocketFactory {
    private final InetAddress address;

    private BoundSockets(InetAddress address) {
        this.address = address;
    }

    /**
     * Makes RMI listen on {@code address} only ({@code 0.0.0.0} or {@code ::}: on all interfaces).
     *
     * @throws IOException when the address is not one of this machine's, or RMI's factory is set
     */
    public static synchronized void install(String address) throws IOException {
        InetAddress a = InetAddress.getByName(address);
        if (!a.isAnyLocalAddress()) {
            try (ServerSocket probe = new ServerSocket(0, 1, a)) {
                probe.getLocalPort(); // the address can be bound: it is one of this machine's
            }
        }
        RMISocketFactory.setSocketFactory(new BoundSockets(a));
    }

    /** A machine that does not answer fails the call after this long, instead of TCP's minutes. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new ServerSocket(port, 50, address);
    }
}
