package kontor.sim.rooms;

import static kontor.sim.rooms.RoomSite.HOST;
import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.book;
import static kontor.sim.rooms.RoomSite.booked;
import static kontor.sim.rooms.RoomSite.instant;
import static kontor.sim.rooms.RoomSite.locked;
import static kontor.sim.rooms.RoomSite.roomState;
import static kontor.sim.rooms.RoomSite.tap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rooms and the entrance at closing, across daylight-saving changes, and on a closed holiday. */
class OpeningHoursTest {
    @TempDir
    Path data;

    @Test
    void at_closing_an_on_the_spot_booking_ends_the_room_goes_dark_and_its_door_locks() {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T21:30:00"))) {
            tap(site, "reader-room-1", VISITOR);
            RoomSite.motion(site, "pir-room-1", true);
            RoomSite.motion(site, "pir-room-1", false);
            JsonNode created = site.events("booking.created").getFirst();
            assertThat(created.path("end").asText()).as("cut to closing time").isEqualTo("2026-12-01T22:00:00.000+01:00");
            advanceTo(site, "2026-12-01T21:44");
            RoomSite.motion(site, "pir-room-1", true);
            RoomSite.motion(site, "pir-room-1", false);
            advanceTo(site, "2026-12-01T21:59:58");
            tap(site, "reader-room-1", HOST);
            assertThat(locked(site, "door-room-1")).isFalse();

            advanceTo(site, "2026-12-01T22:00");

            assertThat(site.events("site.closed")).hasSize(1);
            JsonNode released = site.events("booking.released").getFirst();
            assertThat(released.path("booking").asText()).isEqualTo(created.path("booking").asText());
            assertThat(released.path("reason").asText()).isEqualTo("closing");
            JsonNode state = roomState(site, "room-1");
            assertThat(state.path("status").asText()).isEqualTo("closed");
            assertThat(state.path("light").asText()).isEqualTo("off");
            assertThat(locked(site, "door-room-1")).as("the host's unlock ends at closing").isTrue();
            assertThat(tap(site, "reader-room-2", VISITOR).path("reason").asText()).isEqualTo("closed");
            assertThat(tap(site, "reader-room-2", HOST).path("type").asText()).as("hosts may always enter").isEqualTo("card.granted");

            advanceTo(site, "2026-12-02T08:00");
            assertThat(roomState(site, "room-1").path("light").asText()).isEqualTo("green");
        }
    }

    @Test
    void no_on_the_spot_booking_when_the_site_closes_within_fifteen_minutes() {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T21:46:00"))) {
            assertThat(tap(site, "reader-room-1", VISITOR).path("reason").asText()).isEqualTo("closed");
            assertThat(site.events("booking.created")).isEmpty();
        }
    }

    @Test
    void on_the_spring_forward_weekend_rules_follow_local_time() {
        // Stockholm: Sunday 29 March 2026, 02:00 CET becomes 03:00 CEST.
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-03-28T17:00:00"))) {
            JsonNode reply = book(site, "room-1", VISITOR, "2026-03-29T11:00", "2026-03-29T12:00");
            assertThat(reply.path("result").path("booking").path("start").asText()).isEqualTo("2026-03-29T11:00:00.000+02:00");
            assertThat(book(site, "room-2", VISITOR, "2026-03-29T09:30", "2026-03-29T10:30").path("error").path("message").asText())
                    .contains("opening hours on 2026-03-29: 10:00-18:00");

            advanceTo(site, "2026-03-29T10:00");
            assertThat(site.now()).isEqualTo(instant(site, "2026-03-28T17:00").plus(Duration.ofHours(16)));
            assertThat(site.events("site.opened").getLast().path("ts").asText()).startsWith("2026-03-29T10:00:00");
            advanceTo(site, "2026-03-29T10:44:59");
            assertThat(roomState(site, "room-1").path("light").asText()).isEqualTo("green");
            advanceTo(site, "2026-03-29T10:45");
            assertThat(roomState(site, "room-1").path("light").asText()).isEqualTo("amber");
            advanceTo(site, "2026-03-29T11:09:59");
            assertThat(site.events("booking.released")).isEmpty();
            advanceTo(site, "2026-03-29T11:10");
            assertThat(site.events("booking.released").getFirst().path("ts").asText()).startsWith("2026-03-29T11:10:00");
        }
    }

    @Test
    void on_the_fall_back_weekend_a_four_hour_booking_is_four_hours_of_local_time() {
        // Stockholm: Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET.
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-10-24T17:00:00"))) {
            String id = booked(site, "room-3", VISITOR, "2026-10-25T10:00", "2026-10-25T14:00");

            advanceTo(site, "2026-10-25T10:00");
            assertThat(site.now()).isEqualTo(instant(site, "2026-10-24T17:00").plus(Duration.ofHours(18)));
            assertThat(tap(site, "reader-room-3", VISITOR).path("booking").asText()).isEqualTo(id);
            RoomSite.motion(site, "pir-room-3", true);
            advanceTo(site, "2026-10-25T14:00");

            JsonNode released = site.events("booking.released").getFirst();
            assertThat(released.path("reason").asText()).isEqualTo("ended");
            assertThat(released.path("ts").asText()).startsWith("2026-10-25T14:00:00").endsWith("+01:00");
        }
    }

    @Test
    void a_closed_holiday_keeps_rooms_dark_and_the_entrance_locked() throws IOException {
        try (SiteHarness site = SiteHarness.of(withChristmasEveClosed(), data, LocalDateTime.parse("2026-12-23T21:00:00"))) {
            JsonNode refused = book(site, "room-1", VISITOR, "2026-12-24T10:00", "2026-12-24T11:00");
            assertThat(refused.path("error").path("code").asText()).isEqualTo("denied");
            assertThat(refused.path("error").path("message").asText()).contains("opening hours on 2026-12-24: closed");

            long mark = site.lastSeq();
            advanceTo(site, "2026-12-24T12:00");

            assertThat(site.events("site.opened")).noneMatch(e -> e.path("seq").asLong() > mark);
            assertThat(roomState(site, "room-1").path("status").asText()).isEqualTo("closed");
            assertThat(roomState(site, "room-1").path("light").asText()).isEqualTo("off");
            assertThat(locked(site, "door-entrance")).isTrue();
            assertThat(tap(site, "reader-entrance", VISITOR).path("reason").asText()).isEqualTo("closed");
            assertThat(tap(site, "reader-room-1", VISITOR).path("reason").asText()).isEqualTo("closed");

            advanceTo(site, "2026-12-25T08:00");
            assertThat(site.events("site.opened").getLast().path("ts").asText()).startsWith("2026-12-25T08:00:00");
            assertThat(locked(site, "door-entrance")).isFalse();
        }
    }

    /** The demo site with Christmas Eve (a Thursday) closed. */
    static kontor.site.Site withChristmasEveClosed() throws IOException {
        String yaml;
        try (InputStream in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String withHoliday = yaml.replace("    sunday: 10:00-18:00\n",
                "    sunday: 10:00-18:00\n  exceptions:\n    - date: 2026-12-24\n      hours: closed\n      note: Christmas Eve\n");
        if (withHoliday.equals(yaml)) {
            throw new IllegalStateException("the demo site file no longer has the expected Sunday hours");
        }
        try {
            return SiteFiles.parse("christmas.yaml", withHoliday);
        } catch (kontor.site.SiteFileException e) {
            throw new IllegalStateException(e);
        }
    }
}
