package kontor.sim.entrance;

import static kontor.sim.rooms.RoomSite.HOST;
import static kontor.sim.rooms.RoomSite.VISITOR;
import static kontor.sim.rooms.RoomSite.advanceTo;
import static kontor.sim.rooms.RoomSite.alarm;
import static kontor.sim.rooms.RoomSite.door;
import static kontor.sim.rooms.RoomSite.locked;
import static kontor.sim.rooms.RoomSite.tap;
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

/** The entrance by the opening hours, and the people counted through it (Tuesday 1 December 2026). */
class EntranceTest {
    @TempDir
    Path data;
    SiteHarness site;

    @BeforeEach
    void start() {
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T21:00:00"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void the_entrance_is_released_while_open_and_locked_at_closing() {
        assertThat(locked(site, "door-entrance")).isFalse();
        assertThat(tap(site, "reader-entrance", VISITOR).path("type").asText()).isEqualTo("card.granted");
        door(site, "door-entrance", true);
        site.advance(Duration.ofMinutes(2));
        assertThat(alarm(site, "door.forced", "door-entrance")).isNull();
        assertThat(alarm(site, "door.held_open", "door-entrance")).as("a released door may stand open").isNull();
        door(site, "door-entrance", false);

        advanceTo(site, "2026-12-01T22:00");

        assertThat(locked(site, "door-entrance")).isTrue();
    }

    @Test
    void out_of_hours_only_host_cards_open_the_entrance() {
        advanceTo(site, "2026-12-01T23:00");

        JsonNode denied = tap(site, "reader-entrance", VISITOR);
        assertThat(denied.path("type").asText()).isEqualTo("card.denied");
        assertThat(denied.path("reason").asText()).isEqualTo("closed");
        assertThat(locked(site, "door-entrance")).isTrue();

        assertThat(tap(site, "reader-entrance", HOST).path("type").asText()).isEqualTo("card.granted");
        assertThat(locked(site, "door-entrance")).isFalse();
        door(site, "door-entrance", true);
        assertThat(locked(site, "door-entrance")).as("relocked as it opens").isTrue();
        assertThat(alarm(site, "door.forced", "door-entrance")).isNull();
        door(site, "door-entrance", false);
    }

    @Test
    void opening_the_entrance_out_of_hours_without_a_card_is_forced() {
        advanceTo(site, "2026-12-01T23:00");

        door(site, "door-entrance", true);

        assertThat(alarm(site, "door.forced", "door-entrance")).isNotNull();
    }

    @Test
    void people_are_counted_in_and_out_never_below_zero() {
        people(3, 0);
        assertThat(occupancy().path("present").asInt()).isEqualTo(3);
        assertThat(occupancy().path("capacity").asInt()).isEqualTo(40);
        people(0, 5);
        assertThat(occupancy().path("present").asInt()).isZero();
        people(2, 0);
        assertThat(occupancy().path("present").asInt()).isEqualTo(2);
    }

    @Test
    void more_people_than_the_capacity_raise_over_capacity_until_enough_leave() {
        people(41, 0);
        JsonNode raised = alarm(site, "over_capacity", "counter-entrance");
        assertThat(raised).isNotNull();
        assertThat(raised.path("present").asInt()).isEqualTo(41);

        people(0, 1);

        assertThat(alarm(site, "over_capacity", "counter-entrance")).isNull();
    }

    @Test
    void the_headcount_starts_from_zero_at_closing_and_survives_a_restart() {
        people(5, 0);
        site.close();
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T21:10:00"));
        assertThat(occupancy().path("present").asInt()).isEqualTo(5);

        advanceTo(site, "2026-12-01T22:00");

        assertThat(occupancy().path("present").asInt()).isZero();
    }

    private void people(int in, int out) {
        site.world().people("counter-entrance", in, out);
        site.settle();
    }

    private JsonNode occupancy() {
        return site.retained("occupancy");
    }
}
