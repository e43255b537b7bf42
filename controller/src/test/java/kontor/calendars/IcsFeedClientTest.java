package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A published feed served by the JDK's own HTTP server, the way a booking system publishes one. */
class IcsFeedClientTest {
    private static final String FEED = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//LibreBooking//EN\nBEGIN:VEVENT\nUID:lb-1\n"
            + "DTSTAMP:20261101T000000Z\nDTSTART:20261201T090000Z\nDTEND:20261201T100000Z\n"
            + "ORGANIZER:mailto:alice@example.org\nEND:VEVENT\nEND:VCALENDAR\n").replace("\n", "\r\n");
    private HttpServer server;
    private final AtomicInteger fullResponses = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/room-1.ics", exchange -> {
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                exchange.sendResponseHeaders(304, -1);
            } else {
                byte[] body = FEED.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("ETag", "\"v1\"");
                exchange.getResponseHeaders().add("Content-Type", "text/calendar");
                fullResponses.incrementAndGet();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.createContext("/endless.ics", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, with no end
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'A');
            try (var out = exchange.getResponseBody()) {
                for (long sent = 0; sent < 4L * 1024 * 1024 * 1024; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException closedByTheClient) {
                // what a client that stops reading does
            }
        });
        server.createContext("/moved.ics", exchange -> {
            exchange.getResponseHeaders().add("Location", url("/room-1.ics").toString());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void readsTheFeedThenAsksOnlyWhetherItChanged() throws Exception {
        IcsFeedClient client = new IcsFeedClient(url("/room-1.ics"), null, null, Duration.ofSeconds(5));
        String first = client.fetch();
        assertThat(client.fetch()).isEqualTo(first);
        assertThat(fullResponses.get()).isEqualTo(1);
        assertThat(notModified.get()).isEqualTo(1);
        assertThat(new CalendarOccurrences(ZoneId.of("Europe/Stockholm"))
                .expand(first, Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z")))
                .singleElement().satisfies(o -> assertThat(o.emails()).containsExactly("alice@example.org"));
    }

    @Test
    void aMissingFeedIsAnErrorNotAnEmptyCalendar() {
        IcsFeedClient client = new IcsFeedClient(url("/nothing.ics"), null, null, Duration.ofSeconds(5));
        assertThatThrownBy(client::fetch).isInstanceOfSatisfying(CalDavClient.CalDavException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void onlyHttpUrlsWithoutCredentialsInThemAreAccepted() {
        assertThatThrownBy(() -> new IcsFeedClient(URI.create("file:///etc/passwd"), null, null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IcsFeedClient(URI.create("https://a:b@cal.example/x.ics"), null, null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("a:b");
    }

    @Test
    void aFeedThatNeverEndsIsRefusedAfterTheLimitNotReadIntoMemory() {
        IcsFeedClient client = new IcsFeedClient(url("/endless.ics"), null, null, Duration.ofSeconds(5));
        long before = fullResponses.get();
        assertThatThrownBy(client::fetch).isInstanceOf(IOException.class).hasMessageContaining("larger than");
        assertThat(fullResponses.get()).isEqualTo(before);
    }

    @Test
    void credentialsAreNotCarriedAcrossARedirect() {
        IcsFeedClient anonymous = new IcsFeedClient(url("/moved.ics"), null, null, Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThatCode(anonymous::fetch).doesNotThrowAnyException();
        IcsFeedClient withCredentials = new IcsFeedClient(url("/moved.ics"), "alice", "secret", Duration.ofSeconds(5));
        assertThatThrownBy(withCredentials::fetch).isInstanceOfSatisfying(CalDavClient.CalDavException.class,
                e -> assertThat(e.status()).isEqualTo(302));
    }
}
