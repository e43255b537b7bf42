package kontor.sim.rooms;

import static kontor.sim.rooms.RoomSite.ACCESSIBLE;
import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.booked;
import static kontor.sim.rooms.RoomSite.deviceState;
import static kontor.sim.rooms.RoomSite.motion;
import static kontor.sim.rooms.RoomSite.roomState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.device.LightColor;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release of no-shows and empty rooms, presence, and the light that always agrees with the state. */
class RoomReleaseTest {
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
    void a_booking_turns_the_light_amber_fifteen_minutes_before_it_starts() {
        String id = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        advanceTo(site, "2026-12-01T09:44:59");
        assertLight("room-1", "free", "green");

        advanceTo(site, "2026-12-01T09:45");

        JsonNode state = assertLight("room-1", "booked", "amber");
        assertThat(state.path("booking").path("id").asText()).isEqualTo(id);
        assertThat(state.path("booking").path("checked_in").asBoolean()).isFalse();
        assertThat(state.path("next").isNull()).isTrue();
    }

    @Test
    void a_booking_not_checked_in_within_ten_minutes_of_its_start_is_released_as_no_show() {
        String id = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        advanceTo(site, "2026-12-01T10:09:59");
        assertLight("room-1", "booked", "amber");
        assertThat(site.events("booking.released")).isEmpty();

        site.advance(Duration.ofSeconds(1));

        JsonNode released = site.events("booking.released").getFirst();
        assertThat(released.path("booking").asText()).isEqualTo(id);
        assertThat(released.path("reason").asText()).isEqualTo("no_show");
        assertLight("room-1", "free", "green");
        assertThat(roomState(site, "room-1").path("booking").isNull()).isTrue();
    }

    @Test
    void a_checked_in_room_without_presence_for_fifteen_minutes_is_released_as_vacant() {
        String id = booked(site, "room-2", VISITOR, "2026-12-01T10:00", "2026-12-01T12:00");
        advanceTo(site, "2026-12-01T10:00");
        RoomSite.tap(site, "reader-room-2", VISITOR);
        motion(site, "pir-room-2", true);
        advanceTo(site, "2026-12-01T10:01");
        motion(site, "pir-room-2", false);

        advanceTo(site, "2026-12-01T10:05:59");
        assertThat(roomState(site, "room-2").path("occupied").asBoolean()).isTrue();
        advanceTo(site, "2026-12-01T10:06");
        assertThat(site.events("room.vacant")).hasSize(1);
        assertLight("room-2", "in_use", "red");

        advanceTo(site, "2026-12-01T10:20:59");
        assertThat(site.events("booking.released")).isEmpty();
        advanceTo(site, "2026-12-01T10:21");

        JsonNode released = site.events("booking.released").getFirst();
        assertThat(released.path("booking").asText()).isEqualTo(id);
        assertThat(released.path("reason").asText()).isEqualTo("vacant");
        assertLight("room-2", "free", "green");
    }

    @Test
    void motion_keeps_a_checked_in_booking_going() {
        booked(site, "room-2", VISITOR, "2026-12-01T09:00", "2026-12-01T11:00");
        RoomSite.tap(site, "reader-room-2", VISITOR);
        for (int i = 0; i < 6; i++) {
            motion(site, "pir-room-2", true);
            motion(site, "pir-room-2", false);
            site.advance(Duration.ofMinutes(4));
        }

        assertThat(site.events("booking.released")).isEmpty();
        assertThat(site.events("room.vacant")).isEmpty();
    }

    @Test
    void motion_makes_a_room_occupied_and_five_minutes_without_makes_it_vacant() {
        motion(site, "pir-room-3", true);
        assertThat(site.events("room.occupied")).singleElement()
                .satisfies(e -> assertThat(e.path("device").asText()).isEqualTo("room-3"));
        JsonNode state = assertLight("room-3", "in_use", "red");
        assertThat(state.path("occupied").asBoolean()).isTrue();

        motion(site, "pir-room-3", false);
        site.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(site.events("room.vacant")).isEmpty();
        site.advance(Duration.ofSeconds(1));

        assertThat(site.events("room.vacant")).hasSize(1);
        assertThat(assertLight("room-3", "free", "green").path("occupied").asBoolean()).isFalse();
    }

    @Test
    void a_booking_ends_at_its_end() {
        String id = booked(site, "room-1", ACCESSIBLE, "2026-12-01T09:00", "2026-12-01T09:30");
        RoomSite.tap(site, "reader-room-1", ACCESSIBLE);
        motion(site, "pir-room-1", true);

        advanceTo(site, "2026-12-01T09:30");

        JsonNode released = site.events("booking.released").getFirst();
        assertThat(released.path("booking").asText()).isEqualTo(id);
        assertThat(released.path("reason").asText()).isEqualTo("ended");
        assertThat(assertLight("room-1", "in_use", "red").path("booking").isNull()).as("still occupied, no booking").isTrue();
    }

    @Test
    void a_checked_in_booking_that_has_not_started_shows_red_with_the_next_booking_after_it() {
        booked(site, "room-1", VISITOR, "2026-12-01T09:10", "2026-12-01T10:00");
        booked(site, "room-1", ACCESSIBLE, "2026-12-01T10:00", "2026-12-01T11:00");

        RoomSite.tap(site, "reader-room-1", VISITOR);

        JsonNode state = assertLight("room-1", "in_use", "red");
        assertThat(state.path("booking").path("checked_in").asBoolean()).isTrue();
        assertThat(state.path("next").path("start").asText()).isEqualTo("2026-12-01T10:00:00.000+01:00");
    }

    /** The retained state has that status and light, and the light device shows the same colour. */
    private JsonNode assertLight(String room, String status, String light) {
        JsonNode state = roomState(site, room);
        assertThat(state.path("status").asText()).as(state.toString()).isEqualTo(status);
        assertThat(state.path("light").asText()).isEqualTo(light);
        String lightId = "light-" + room;
        assertThat(deviceState(site, lightId).path("color").asText()).isEqualTo(light);
        assertThat(site.gateway().devices().light(lightId).orElseThrow().color())
                .isEqualTo(LightColor.valueOf(light.toUpperCase(java.util.Locale.ROOT)));
        return state;
    }
}
