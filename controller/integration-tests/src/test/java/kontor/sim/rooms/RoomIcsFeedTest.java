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

    private void start() throws Exception {
        Files.writeString(www.resolve("room-1.ics"), FEED);
        server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), www,
                SimpleFileServer.OutputLevel.NONE);
        server.start();
        URI feed = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/room-1.ics");
        Site demo = SiteFiles.demo();
        var rooms = demo.rooms().stream().map(r -> r.id().equals("room-1")
                ? r.withCalendar(new CalendarSpec(CalendarSpec.Kind.ICS, feed, null, null, Duration.ofSeconds(60))) : r).toList();
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
}
