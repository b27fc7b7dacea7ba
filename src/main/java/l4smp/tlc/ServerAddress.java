package l4smp.tlc;

/** Where a TLC server listens: {@code HOST[:PORT]}, an IPv6 host in brackets ({@code [::1]:10997}). */
public record ServerAddress(String host, int port) {
    /** TLC's own default port for its distributed mode. */
    public static final int DEFAULT_PORT = 10997;

    /** @throws IllegalArgumentException with a message saying what is wrong with {@code text} */
    public static ServerAddress parse(String text) {
        String s = text.trim();
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "' opens [ for an IPv6 address but does not close it");
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') throw new IllegalArgumentException("'" + text + "': expected :PORT after ]");
                port = s.substring(close + 2);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (host.isEmpty()) throw new IllegalArgumentException("'" + text + "' names no host");
        return new ServerAddress(host, port == null ? DEFAULT_PORT : portNumber(port, text));
    }

    private static int portNumber(String port, String text) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "': the port must be a number in 1..65535");
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
