package kontor.sim.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import kontor.gateway.Gateway;
import kontor.journal.Event;
import kontor.members.Role;
import kontor.sim.demo.DemoCards;
import kontor.sim.demo.SimulatedSite;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.time.SimulatedTime;
import kontor.testing.InMemoryMqtt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Pi that boots without a synchronised clock (no real-time clock, NTP not yet there), on the simulated clock:
 * the hours do not open the site, only the entrance opens, for hosts and cards without an end date; everything
 * else waits with {@code clock_unsynchronised}, and alarm {@code clock.unsynchronised} says why, until the clock
 * is synchronised.
 */
class UnsynchronisedClockTest {
    @TempDir
    Path data;
    private final AtomicBoolean synced = new AtomicBoolean(false);
    private SimulatedTime time;
    private SimulatedSite world;

    private Gateway start(LocalDateTime at) {
        Site site = SiteFiles.demo();
        time = SimulatedTime.frozen(at.atZone(site.zone()).toInstant());
        InMemoryMqtt mqtt = new InMemoryMqtt();
        world = SimulatedSite.start(site, data, time, time, will -> mqtt, null, true, synced::get);
        return world.gateway();
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
        if (time != null) {
            time.close();
        }
    }

    /** Tuesday 1 December 2026, 10:00: inside the demo's hours (08:00-22:00). */
    private static final LocalDateTime OPEN_HOURS = LocalDateTime.of(2026, 12, 1, 10, 0);

    @Test
    void without_a_synchronised_clock_only_the_entrance_opens_and_only_for_cards_valid_at_any_time() {
        Gateway gateway = start(OPEN_HOURS);
        long mark = gateway.journal().lastSeq();
        assertThat(gateway.alarms().isActive("clock.unsynchronised", "gateway")).isTrue();
        assertThat(entranceLocked(gateway)).as("the hours do not release the entrance").isTrue();

        Instant in30Days = time.now().plus(Duration.ofDays(30));
        gateway.members().enroll("04A1B2C3D4E5A0", Role.VISITOR, false, in30Days);

        assertThat(tap(gateway, "reader-entrance", "0DDBA11C").fields()).containsEntry("reason", "unknown_card");
        assertThat(tap(gateway, "reader-entrance", DemoCards.VISITOR).fields())
                .containsEntry("action", "clock_unsynchronised");
        assertThat(tap(gateway, "reader-entrance", DemoCards.HOST).type()).isEqualTo("card.granted");
        Event limited = tap(gateway, "reader-entrance", "04A1B2C3D4E5A0");
        assertThat(limited.type()).isEqualTo("card.denied");
        assertThat(limited.fields()).containsEntry("reason", "clock_unsynchronised");
        Event room = tap(gateway, "reader-room-1", DemoCards.HOST);
        assertThat(room.type()).isEqualTo("card.denied");
        assertThat(room.fields()).containsEntry("reason", "clock_unsynchronised");

        // NTP sets the clock: the alarm clears, the site opens by its hours, a visitor is let in by them again.
        synced.set(true);
        time.advance(Duration.ofSeconds(10));
        settle();
        assertThat(gateway.alarms().isActive("clock.unsynchronised", "gateway")).isFalse();
        assertThat(types(gateway, mark)).contains("alarm.cleared", "site.opened");
        assertThat(entranceLocked(gateway)).isFalse();
        assertThat(tap(gateway, "reader-entrance", "04A1B2C3D4E5A0").fields()).containsEntry("action", "open_hours");
    }

    @Test
    void a_clock_that_stops_being_synchronised_closes_the_site_until_it_is_again() {
        synced.set(true);
        Gateway gateway = start(OPEN_HOURS);
        assertThat(entranceLocked(gateway)).isFalse();
        synced.set(false);
        time.advance(Duration.ofSeconds(10));
        settle();
        assertThat(gateway.alarms().isActive("clock.unsynchronised", "gateway")).isTrue();
        assertThat(entranceLocked(gateway)).isTrue();
        synced.set(true);
        time.advance(Duration.ofSeconds(10));
        settle();
        assertThat(entranceLocked(gateway)).isFalse();
    }

    @Test
    void a_synchronised_clock_that_jumps_forward_by_hours_closes_the_site_once() {
        synced.set(true);
        Gateway gateway = start(OPEN_HOURS);
        long mark = gateway.journal().lastSeq();
        time.set(time.now().plus(Duration.ofHours(13))); // 23:00, past closing
        settle();
        assertThat(types(gateway, mark)).containsOnlyOnce("site.closed").doesNotContain("site.opened");
        assertThat(entranceLocked(gateway)).isTrue();
    }

    private Event tap(Gateway gateway, String reader, String card) {
        long mark = gateway.journal().lastSeq();
        world.tap(reader, card);
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
                .until(() -> gateway.journal().read(mark + 1, 100).stream()
                        .filter(e -> e.type().startsWith("card.") && reader.equals(e.device())).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    private void settle() {
        time.runAndWait(() -> { }, Duration.ofSeconds(10));
    }

    private static boolean entranceLocked(Gateway gateway) {
        return Boolean.TRUE.equals(gateway.devices().get("door-entrance").orElseThrow().state("locked"));
    }

    private static List<String> types(Gateway gateway, long after) {
        return gateway.journal().read(after + 1, 1000).stream().map(Event::type).toList();
    }
}
