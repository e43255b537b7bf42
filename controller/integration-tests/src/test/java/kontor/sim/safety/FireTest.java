package kontor.sim.safety;

import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.alarm;
import static kontor.sim.rooms.RoomSite.booked;
import static kontor.sim.rooms.RoomSite.door;
import static kontor.sim.rooms.RoomSite.locked;
import static kontor.sim.rooms.RoomSite.roomState;
import static kontor.sim.rooms.RoomSite.tap;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fire input: doors fail safe, lockers stay locked, and everything returns when it clears. */
class FireTest {
    private static final String[] DOORS = {"door-room-1", "door-room-2", "door-room-3", "door-entrance"};

    @TempDir
    Path data;
    SiteHarness site;

    @BeforeEach
    void start() {
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T10:00:00"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void fire_during_a_booking_releases_every_door_keeps_lockers_locked_and_returns_when_cleared() {
        String id = booked(site, "room-1", VISITOR, "2026-12-01T10:00", "2026-12-01T11:00");
        tap(site, "reader-room-1", VISITOR);
        site.advance(Duration.ofSeconds(5));
        assertThat(locked(site, "door-room-1")).isTrue();

        fire(true);

        for (String d : DOORS) {
            assertThat(locked(site, d)).as(d + " released").isFalse();
        }
        assertThat(site.gateway().devices().locker("locker-01").orElseThrow().lock().unlocked()).isFalse();
        assertThat(alarm(site, "fire", "fire-panel")).isNotNull();
        door(site, "door-room-2", true);
        site.advance(Duration.ofMinutes(3));
        assertThat(alarm(site, "door.forced", "door-room-2")).as("leaving in a fire is not forcing a door").isNull();
        assertThat(alarm(site, "door.held_open", "door-room-2")).isNull();
        assertThat(locked(site, "door-room-1")).as("still released after any strike time").isFalse();
        door(site, "door-room-2", false);

        fire(false);

        assertThat(locked(site, "door-room-1")).isTrue();
        assertThat(locked(site, "door-room-2")).isTrue();
        assertThat(locked(site, "door-room-3")).isTrue();
        assertThat(locked(site, "door-entrance")).as("open hours: the entrance stays released").isFalse();
        assertThat(alarm(site, "fire", "fire-panel")).isNull();
        assertThat(roomState(site, "room-1").path("booking").path("id").asText()).as("the booking goes on").isEqualTo(id);
    }

    @Test
    void fire_at_night_releases_the_entrance_and_locks_it_again_when_cleared() {
        advanceTo(site, "2026-12-01T23:00");
        assertThat(locked(site, "door-entrance")).isTrue();

        fire(true);
        assertThat(locked(site, "door-entrance")).isFalse();
        fire(false);

        assertThat(locked(site, "door-entrance")).isTrue();
    }

    @Test
    void a_tap_during_a_fire_does_not_relock_a_released_door() {
        fire(true);

        tap(site, "reader-room-3", VISITOR);
        site.advance(Duration.ofSeconds(10));

        assertThat(locked(site, "door-room-3")).isFalse();
    }

    private void fire(boolean active) {
        long mark = site.lastSeq();
        site.world().fire(active);
        site.awaitEvent(mark, active ? "fire.active" : "fire.cleared", e -> true);
        site.settle();
    }
}
