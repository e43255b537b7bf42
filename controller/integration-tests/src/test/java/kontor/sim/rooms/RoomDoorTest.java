package kontor.sim.rooms;

import static kontor.sim.rooms.RoomSite.ACCESSIBLE;
import static kontor.sim.rooms.RoomSite.HOST;
import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.alarm;
import static kontor.sim.rooms.RoomSite.booked;
import static kontor.sim.rooms.RoomSite.door;
import static kontor.sim.rooms.RoomSite.locked;
import static kontor.sim.rooms.RoomSite.roomState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Taps at a room's door, its strike and its door alarms (Tuesday 1 December 2026, 09:00). */
class RoomDoorTest {
    @TempDir
    Path data;
    SiteHarness site;

    @BeforeEach
    void start() {
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void the_bookers_tap_from_ten_minutes_before_the_start_unlocks_and_checks_in() {
        String id = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        advanceTo(site, "2026-12-01T09:49:59");
        assertThat(RoomSite.tap(site, "reader-room-1", VISITOR).path("reason").asText())
                .as("too early: the room is not free for 15 minutes either").isEqualTo("room_booked");
        assertThat(locked(site, "door-room-1")).isTrue();

        advanceTo(site, "2026-12-01T09:50");
        JsonNode granted = RoomSite.tap(site, "reader-room-1", VISITOR);
        RoomSite.motion(site, "pir-room-1", true);

        assertThat(granted.path("type").asText()).isEqualTo("card.granted");
        assertThat(granted.path("booking").asText()).isEqualTo(id);
        assertThat(granted.path("action").asText()).isEqualTo("check_in");
        assertThat(site.events("booking.checked_in")).singleElement()
                .satisfies(e -> assertThat(e.path("booking").asText()).isEqualTo(id));
        assertThat(locked(site, "door-room-1")).isFalse();
        JsonNode state = roomState(site, "room-1");
        assertThat(state.path("status").asText()).isEqualTo("in_use");
        assertThat(state.path("light").asText()).isEqualTo("red");
        assertThat(state.path("booking").path("checked_in").asBoolean()).isTrue();

        site.advance(Duration.ofSeconds(5));
        assertThat(locked(site, "door-room-1")).as("relocked after the strike time").isTrue();
        advanceTo(site, "2026-12-01T10:30");
        assertThat(site.events("booking.released")).as("checked in: no no-show release").isEmpty();
    }

    @Test
    void an_accessible_member_gets_the_longer_strike_time() {
        booked(site, "room-2", ACCESSIBLE, "2026-12-01T09:05", "2026-12-01T10:00");
        RoomSite.tap(site, "reader-room-2", ACCESSIBLE);

        site.advance(Duration.ofSeconds(14));
        assertThat(locked(site, "door-room-2")).isFalse();
        site.advance(Duration.ofSeconds(1));
        assertThat(locked(site, "door-room-2")).isTrue();
    }

    @Test
    void anyone_else_is_denied_while_the_room_is_booked() {
        booked(site, "room-1", VISITOR, "2026-12-01T09:00", "2026-12-01T10:00");

        JsonNode denied = RoomSite.tap(site, "reader-room-1", ACCESSIBLE);

        assertThat(denied.path("type").asText()).isEqualTo("card.denied");
        assertThat(denied.path("reason").asText()).isEqualTo("room_booked");
        assertThat(site.events("card.granted")).isEmpty();
        assertThat(locked(site, "door-room-1")).isTrue();
    }

    @Test
    void a_host_may_always_enter_without_checking_anyone_in() {
        booked(site, "room-1", VISITOR, "2026-12-01T09:00", "2026-12-01T10:00");

        JsonNode granted = RoomSite.tap(site, "reader-room-1", HOST);

        assertThat(granted.path("type").asText()).as(granted.toString()).isEqualTo("card.granted");
        assertThat(granted.path("action").asText()).isEqualTo("host");
        assertThat(locked(site, "door-room-1")).isFalse();
        assertThat(site.events("booking.checked_in")).isEmpty();
        assertThat(site.events("booking.created")).hasSize(1);
    }

    @Test
    void a_tap_at_a_free_room_books_it_on_the_spot_for_an_hour() {
        JsonNode granted = RoomSite.tap(site, "reader-room-3", VISITOR);

        assertThat(granted.path("action").asText()).as(granted.toString()).isEqualTo("on_the_spot");
        JsonNode created = site.events("booking.created").getFirst();
        assertThat(created.path("on_the_spot").asBoolean()).isTrue();
        assertThat(created.path("start").asText()).isEqualTo("2026-12-01T09:00:00.000+01:00");
        assertThat(created.path("end").asText()).isEqualTo("2026-12-01T10:00:00.000+01:00");
        assertThat(site.events("booking.checked_in")).hasSize(1);
        assertThat(locked(site, "door-room-3")).isFalse();
        assertThat(roomState(site, "room-3").path("status").asText()).isEqualTo("in_use");
    }

    @Test
    void an_on_the_spot_booking_lasts_until_the_next_booking() {
        booked(site, "room-1", ACCESSIBLE, "2026-12-01T09:30", "2026-12-01T10:30");

        RoomSite.tap(site, "reader-room-1", VISITOR);

        assertThat(site.events("booking.created").getLast().path("end").asText()).isEqualTo("2026-12-01T09:30:00.000+01:00");
    }

    @Test
    void a_free_slot_shorter_than_fifteen_minutes_is_not_booked_on_the_spot() {
        booked(site, "room-1", ACCESSIBLE, "2026-12-01T09:14", "2026-12-01T10:00");

        JsonNode denied = RoomSite.tap(site, "reader-room-1", VISITOR);

        assertThat(denied.path("reason").asText()).isEqualTo("room_booked");
        assertThat(site.events("booking.created")).hasSize(1);
    }

    @Test
    void an_occupied_room_without_a_booking_is_not_booked_on_the_spot() {
        RoomSite.motion(site, "pir-room-1", true);

        assertThat(RoomSite.tap(site, "reader-room-1", VISITOR).path("reason").asText()).isEqualTo("room_in_use");
    }

    @Test
    void on_the_spot_bookings_count_towards_the_daily_limit() {
        booked(site, "room-1", VISITOR, "2026-12-01T12:00", "2026-12-01T13:00");
        booked(site, "room-2", VISITOR, "2026-12-01T14:00", "2026-12-01T15:00");

        assertThat(RoomSite.tap(site, "reader-room-3", VISITOR).path("reason").asText()).isEqualTo("booking_limit");
    }

    @Test
    void the_strike_relocks_as_soon_as_the_door_opens() {
        RoomSite.tap(site, "reader-room-1", VISITOR);
        assertThat(locked(site, "door-room-1")).isFalse();

        door(site, "door-room-1", true);

        assertThat(locked(site, "door-room-1")).isTrue();
        assertThat(alarm(site, "door.forced", "door-room-1")).isNull();
        door(site, "door-room-1", false);
        door(site, "door-room-1", true);
        assertThat(alarm(site, "door.forced", "door-room-1")).as("one unlock, one opening").isNotNull();
    }

    @Test
    void the_exit_button_always_unlocks_and_its_opening_is_not_forced() {
        RoomSite.exit(site, "door-room-2");
        assertThat(locked(site, "door-room-2")).isFalse();

        door(site, "door-room-2", true);

        assertThat(alarm(site, "door.forced", "door-room-2")).isNull();
        assertThat(site.events("door.opened")).hasSize(1);
    }

    @Test
    void a_door_opened_without_unlock_or_exit_button_is_forced() {
        door(site, "door-room-2", true);

        JsonNode forced = alarm(site, "door.forced", "door-room-2");
        assertThat(forced).isNotNull();
        assertThat(forced.path("type").asText()).isEqualTo("door.forced");
        assertThat(site.events("alarm.raised").getFirst().path("alarm_type").asText()).isEqualTo("door.forced");

        door(site, "door-room-2", false);
        assertThat(alarm(site, "door.forced", "door-room-2")).as("cleared when the door is shut again").isNull();
    }

    @Test
    void a_door_open_for_more_than_a_minute_raises_held_open_until_it_closes() {
        RoomSite.tap(site, "reader-room-1", VISITOR);
        door(site, "door-room-1", true);

        site.advance(Duration.ofSeconds(59));
        assertThat(alarm(site, "door.held_open", "door-room-1")).isNull();
        site.advance(Duration.ofSeconds(1));
        assertThat(alarm(site, "door.held_open", "door-room-1")).isNotNull();

        door(site, "door-room-1", false);
        assertThat(alarm(site, "door.held_open", "door-room-1")).isNull();
        assertThat(site.events("alarm.cleared")).anySatisfy(e -> assertThat(e.path("alarm_type").asText()).isEqualTo("door.held_open"));
    }
}
