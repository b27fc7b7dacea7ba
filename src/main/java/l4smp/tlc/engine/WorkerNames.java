package l4smp.tlc.engine;

import java.net.URI;

/**
 * Names of worker processes. Each of a worker's threads registers with TLC's server as a worker
 * of its own, named by a URI {@code rmi://HOST:PORT/THREAD}; the process is {@code HOST:PORT}, its
 * callback address, which is unique while it runs.
 */
final class WorkerNames {
    private WorkerNames() {
    }

    static URI thread(String host, int port, int thread) {
        return URI.create("rmi://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + thread);
    }

    static String process(String threadUri) {
        URI u = URI.create(threadUri.trim());
        return u.getAuthority() == null ? threadUri : u.getAuthority();
    }
}
