package kontor.sim.rooms;

import static kontor.sim.rooms.RoomSite.ACCESSIBLE;
import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.tap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import kontor.sim.SiteHarness;
import kontor.site.CalendarSpec;
import kontor.site.Site;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room linked to a plain iCalendar feed, served by a static file server (the JDK's own): read only, the same
 * bookings at the door as from CalDAV, nothing written back, and a feed that is gone changes nothing at the door.
 */
class RoomIcsFeedTest {
    @TempDir
    Path data;
    @TempDir
    Path www;
    private HttpServer server;
    private SiteHarness site;

    @AfterEach
    void stop() {
        over.countDown();
        if (site != null) {
            site.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static final String FEED = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//LibreBooking//EN",
            "BEGIN:VEVENT", "UID:lb-1", "DTSTAMP:20261101T000000Z", "DTSTART;TZID=Europe/Stockholm:20261201T100000",
            "DTEND;TZID=Europe/Stockholm:20261201T110000", "SUMMARY:Board meeting",
            "ORGANIZER;CN=Alice:mailto:Alice@Example.org", "END:VEVENT", "END:VCALENDAR", "");

    /** Released when the test is over: the stalling feed holds its connection until then. */
    private final CountDownLatch over = new CountDownLatch(1);

    private void start() throws Exception {
        start("room-1.ics");
    }

    /** Serves {@code www}, plus a hostile feed or two; room-1 is linked to {@code room1Feed}, room-2 to the stalling one. */
    private void start(String room1Feed) throws Exception {
        Files.writeString(www.resolve("room-1.ics"), FEED);
        server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), www,
                SimpleFileServer.OutputLevel.NONE);
        server.createContext("/endless.ics", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, without end
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'A');
            try (var out = exchange.getResponseBody()) {
                for (long n = 0; n < 8L * 1024 * 1024 * 1024; n += chunk.length) {
                    out.write(chunk);
                }
            } catch (java.io.IOException closedByTheClient) {
                // what a client that stops reading does
            }
        });
        server.createContext("/stalls.ics", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                out.write("BEGIN:VCALENDAR\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                over.await(); // headers and a line, then nothing
            } catch (java.io.IOException | InterruptedException ended) {
                // the test is over
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        URI feed = URI.create(base + room1Feed);
        URI stalls = URI.create(base + "stalls.ics");
        Site demo = SiteFiles.demo();
        var rooms = demo.rooms().stream().map(r -> r.id().equals("room-1")
                ? r.withCalendar(new CalendarSpec(CalendarSpec.Kind.ICS, feed, null, null, Duration.ofSeconds(60)))
                : r.id().equals("room-2") && !room1Feed.equals("room-1.ics")
                ? r.withCalendar(new CalendarSpec(CalendarSpec.Kind.ICS, stalls, null, null, Duration.ofSeconds(60))) : r).toList();
        Site linked = new Site(demo.id(), demo.name(), demo.zone(), demo.capacity(), demo.currency(), demo.minorUnitDigits(),
                demo.hours(), demo.policy(), demo.mqtt(), demo.devices(), demo.lockerBanks(), rooms, demo.entrance(),
                demo.fireInput(), demo.homeAssistant(), demo.coap(), demo.http(), demo.fleet(), demo.loanBanks());
        site = SiteHarness.of(linked, data, LocalDateTime.parse("2026-12-01T09:00:00"));
    }

    private JsonNode sync() {
        JsonNode reply = site.command("calendars.sync", "");
        assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
        site.settle();
        return reply.path("result").path("rooms");
    }

    private List<JsonNode> live() {
        List<JsonNode> out = new ArrayList<>();
        site.command("bookings.list", "{\"room\":\"room-1\"}").path("result").path("bookings").forEach(out::add);
        return out;
    }

    @Test
    void a_published_feed_books_the_room_read_only() throws Exception {
        start();
        sync();
        String alice = site.command("member.show", "{\"card\":\"" + VISITOR + "\"}").path("result").path("member").asText();
        assertThat(live()).singleElement().satisfies(b -> assertThat(b.path("member").asText()).isEqualTo(alice));

        advanceTo(site, "2026-12-01T10:00");
        assertThat(tap(site, "reader-room-1", ACCESSIBLE).path("reason").asText()).isEqualTo("room_booked");
        assertThat(tap(site, "reader-room-1", VISITOR).path("action").asText()).isEqualTo("check_in");
        JsonNode rooms = sync();
        assertThat(rooms).singleElement().satisfies(r -> assertThat(r.path("written").asInt()).isZero());
        assertThat(Files.readString(www.resolve("room-1.ics"))).isEqualTo(FEED);
    }

    @Test
    void a_feed_that_is_gone_changes_nothing_at_the_door() throws Exception {
        start();
        sync();
        Files.delete(www.resolve("room-1.ics"));
        JsonNode rooms = sync();
        assertThat(rooms).singleElement().satisfies(r -> assertThat(r.path("reason").asText()).isEqualTo("http_404"));
        assertThat(site.retained("alarms/calendar.unreachable:room-1")).isNotNull();
        assertThat(live()).hasSize(1);

        Files.writeString(www.resolve("room-1.ics"), FEED);
        sync();
        assertThat(site.retained("alarms/calendar.unreachable:room-1")).isNull();
        assertThat(live()).hasSize(1);
    }

    @Test
    void a_feed_without_end_or_one_that_stalls_raises_the_alarm_and_the_doors_go_on() throws Exception {
        start("endless.ics");
        // The first syncs run by themselves at start: room-1's endless feed is cut at the limit at once; room-2's
        // feed sends its headers and then nothing, and costs the calendars' worker its deadline, nothing more.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                site.retained("alarms/calendar.unreachable:room-1") != null);
        assertThat(site.retained("alarms/calendar.unreachable:room-1").toString()).contains("too_large");
        assertThat(tap(site, "reader-room-2", ACCESSIBLE).path("action").asText()).as("the site thread is free")
                .isEqualTo("on_the_spot");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                site.retained("alarms/calendar.unreachable:room-2") != null);
        assertThat(site.retained("alarms/calendar.unreachable:room-2").toString()).contains("timeout");
        assertThat(site.events("calendar.unreachable")).extracting(e -> e.path("device").asText())
                .containsExactlyInAnyOrder("room-1", "room-2");
    }
}
