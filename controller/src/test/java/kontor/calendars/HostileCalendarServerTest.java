package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calendar servers that answer with headers and then misbehave in the body: one sends without end, one trickles a
 * byte at a time, one stops. Each costs the CalDAV client and the feed client a bounded amount of memory and time.
 */
class HostileCalendarServerTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final Duration DEADLINE = TIMEOUT.multipliedBy(BoundedBody.DEADLINE_FACTOR);
    private HttpServer server;
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/huge/", exchange -> {
            begin(exchange);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'A');
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(multistatusStart());
                for (long n = 0; n < 8L * 1024 * 1024 * 1024; n += chunk.length) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException closedByTheClient) {
                // what a client that stops reading does
            }
        });
        server.createContext("/trickle/", exchange -> {
            begin(exchange);
            OutputStream out = exchange.getResponseBody();
            // One byte every 50 ms: always something new, never the end.
            trickler.scheduleAtFixedRate(() -> {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException closedByTheClient) {
                    throw new IllegalStateException(closedByTheClient); // ends this schedule
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
        });
        server.createContext("/stall/", exchange -> {
            begin(exchange);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(multistatusStart());
                out.flush();
                released.await(); // and then nothing, until the test is over
            } catch (IOException | InterruptedException over) {
                // the test is over
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        trickler.shutdownNow();
        server.stop(0);
    }

    /** A 207 (or 200 for a feed), chunked: the headers arrive at once, as from a healthy server. */
    private static void begin(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/xml; charset=utf-8");
        exchange.sendResponseHeaders("GET".equals(exchange.getRequestMethod()) ? 200 : 207, 0);
    }

    private static byte[] multistatusStart() {
        return "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>/x</d:href>"
                .getBytes(StandardCharsets.UTF_8);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private CalDavClient caldav(String path) {
        return new CalDavClient(url(path), "kontor", "secret", TIMEOUT);
    }

    @Test
    void a_report_that_never_ends_is_refused_once_past_the_limit() {
        assertThatThrownBy(() -> caldav("/huge/").events(Instant.EPOCH, Instant.EPOCH.plusSeconds(3600)))
                .isInstanceOf(BoundedBody.TooLarge.class).hasMessageContaining("larger than " + BoundedBody.MAX_BYTES);
        // The client stopped reading soon after the limit (the socket buffers hold a little more), and did not retry.
        assertThat(sent.get()).isLessThan(BoundedBody.MAX_BYTES + 8L * 1024 * 1024);
    }

    @Test
    void a_propfind_that_never_ends_is_refused_once_past_the_limit() {
        assertThatThrownBy(() -> caldav("/huge/").createIfMissing()).isInstanceOf(BoundedBody.TooLarge.class);
    }

    @Test
    void a_report_that_trickles_ends_at_the_deadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> caldav("/trickle/").events(Instant.EPOCH, Instant.EPOCH.plusSeconds(3600)))
                .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("no whole response within");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.plus(Duration.ofSeconds(5)));
    }

    @Test
    void a_report_that_stalls_after_its_headers_ends_at_the_deadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> caldav("/stall/").events(Instant.EPOCH, Instant.EPOCH.plusSeconds(3600)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE.plus(Duration.ofSeconds(5)));
    }

    @Test
    void a_feed_that_trickles_or_stalls_ends_at_the_deadline_too() {
        assertThatThrownBy(new IcsFeedClient(url("/trickle/feed.ics"), null, null, TIMEOUT)::fetch)
                .isInstanceOf(HttpTimeoutException.class);
        assertThatThrownBy(new IcsFeedClient(url("/stall/feed.ics"), null, null, TIMEOUT)::fetch)
                .isInstanceOf(HttpTimeoutException.class);
    }
}
