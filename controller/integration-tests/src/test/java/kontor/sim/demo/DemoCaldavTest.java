package kontor.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import kontor.calendars.CalDavClient;
import kontor.mqtt.Json;
import kontor.testing.Radicale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kontor demo --caldav URL}: every room linked to {@code URL/{room id}/}, created if missing, synced every
 * 10 s, with the password of the URL kept out of the banner (and in a file of mode 600).
 */
class DemoCaldavTest {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void each_room_gets_its_collection_and_a_booking_in_it_reaches_the_site() throws Exception {
        try (Radicale radicale = Radicale.start()) {
            DemoCommand cmd = new DemoCommand();
            cmd.data = dir.resolve("data");
            cmd.mqttPort = freePort();
            cmd.coapPort = freePort();
            cmd.httpPort = freePort();
            cmd.caldav = radicale.home().toString().replace("://", "://" + Radicale.USER + ":" + Radicale.PASSWORD + "@");
            try (DemoCommand.Demo demo = cmd.start()) {
                String banner = demo.banner();
                assertThat(banner).contains(radicale.home() + "{room id}/").doesNotContain(Radicale.PASSWORD)
                        .doesNotContain(Radicale.USER + ":").doesNotContain(Radicale.USER + "@");
                Path secret = cmd.data.resolve(DemoCalendars.PASSWORD_FILE);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");

                CalDavClient room1 = new CalDavClient(radicale.home().resolve("room-1/"), Radicale.USER, Radicale.PASSWORD,
                        Duration.ofSeconds(5));
                await().atMost(Duration.ofSeconds(30)).until(() -> !room1.createIfMissing());

                Instant start = demo.gateway().context().clock().now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
                room1.put(room1.resourceFor("demo-1"), String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0",
                        "PRODID:-//test//EN", "BEGIN:VEVENT", "UID:demo-1", "DTSTAMP:20261101T000000Z",
                        "DTSTART:" + UTC.format(start), "DTEND:" + UTC.format(start.plus(Duration.ofMinutes(30))),
                        "ORGANIZER:mailto:alice@example.org", "END:VEVENT", "END:VCALENDAR", ""), null);
                // No command: the demo's own 10 s poll brings it in.
                java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    // A fresh id each time: a repeated id would get the first reply again.
                    byte[] reply = demo.gateway().commands().call("bookings.list", ("{\"id\":\"l" + ids.incrementAndGet()
                            + "\",\"room\":\"room-1\"}").getBytes(StandardCharsets.UTF_8)).get();
                    JsonNode bookings = Json.tree(reply).path("result").path("bookings");
                    return bookings.size() == 1;
                });

                // The room's free/busy feed over the demo's HTTP: busy from the booking, no names.
                java.net.http.HttpResponse<String> feed = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + cmd.httpPort
                                + "/rooms/room-1/freebusy.ics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(feed.statusCode()).isEqualTo(200);
                assertThat(feed.headers().firstValue("Content-Type").orElse("")).startsWith("text/calendar");
                assertThat(feed.body()).contains("BEGIN:VFREEBUSY")
                        .contains("FREEBUSY;FBTYPE=BUSY:" + UTC.format(start) + "/" + UTC.format(start.plus(Duration.ofMinutes(30))))
                        .doesNotContain("example.org").doesNotContain("ORGANIZER").doesNotContain("SUMMARY").doesNotContain("bk-");
            }
        }
    }
}
