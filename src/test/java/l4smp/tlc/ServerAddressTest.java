package l4smp.tlc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerAddressTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"10.0.0.1, 10.0.0.1, 10997", "10.0.0.1:4000, 10.0.0.1, 4000", "host.example:1, host.example, 1",
            "[::1]:4000, ::1, 4000", "[fe80::1], fe80::1, 10997", "::1, ::1, 10997"})
    void parsesHostAndPort(String text, String host, int port) {
        assertEquals(new ServerAddress(host, port), ServerAddress.parse(text));
    }

    @Test
    void printsIpv6InBrackets() {
        assertEquals("[::1]:4000", new ServerAddress("::1", 4000).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"host:0", "host:65536", "host:x", ":4000", "[::1", "[::1]4000"})
    void rejectsWhatIsNoAddress(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
