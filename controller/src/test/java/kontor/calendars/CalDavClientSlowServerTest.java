package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** A calendar server that accepts the connection and never answers costs the caller its timeout, no more. */
class CalDavClientSlowServerTest {
    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        // The backlog accepts the TCP connection; nobody ever reads the request or writes a response.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CalDavClient client = new CalDavClient(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/room-1/"),
                    "kontor", "secret", Duration.ofMillis(300));
            assertThatThrownBy(() -> client.events(Instant.EPOCH, Instant.EPOCH.plusSeconds(3600)))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }
}
