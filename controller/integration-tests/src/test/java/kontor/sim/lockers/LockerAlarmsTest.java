package kontor.sim.lockers;

import static kontor.sim.lockers.LockerSites.BANK;
import static kontor.sim.lockers.LockerSites.POOR_VISITOR;
import static kontor.sim.lockers.LockerSites.VISITOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LockerSites.QuickPolling.class)
class LockerAlarmsTest {

    @Test
    void a_locker_door_opened_without_an_unlock_raises_forced_until_a_host_sees_to_it(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            LockerSites.tap(site, VISITOR);
            LockerSites.door(site, "locker-01", true);
            LockerSites.door(site, "locker-01", false);
            assertThat(site.retained("alarms/locker.forced:locker-01")).as("opened after an unlock").isNull();

            site.advance(Duration.ofMinutes(1));
            LockerSites.door(site, "locker-05", true);

            JsonNode alarm = site.retained("alarms/locker.forced:locker-05");
            assertThat(alarm.path("type").asText()).isEqualTo("locker.forced");
            assertThat(site.events("locker.opened")).extracting(e -> e.path("device").asText())
                    .containsExactly("locker-01", "locker-05");
            LockerSites.door(site, "locker-05", false);
            assertThat(site.retained("alarms/locker.forced:locker-05")).as("shut again, still forced").isNotNull();

            site.command("locker.open", "{\"locker\":\"locker-05\",\"by\":\"anna\"}");

            assertThat(site.retained("alarms/locker.forced:locker-05")).isNull();
            assertThat(site.events("locker.unlocked").getLast().path("by").asText()).isEqualTo("anna");
        }
    }

    @Test
    void a_locker_left_open_raises_an_alarm_that_clears_when_it_closes(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            LockerSites.tap(site, VISITOR);
            LockerSites.door(site, "locker-01", true);
            assertThat(site.retained("lockers/locker-01/state").path("open").asBoolean()).isTrue();

            site.advance(Duration.ofSeconds(119));
            assertThat(site.retained("alarms/locker.left_open:locker-01")).isNull();
            site.advance(Duration.ofSeconds(2));
            assertThat(site.retained("alarms/locker.left_open:locker-01").path("type").asText()).isEqualTo("locker.left_open");

            LockerSites.door(site, "locker-01", false);

            assertThat(site.retained("alarms/locker.left_open:locker-01")).isNull();
            assertThat(site.events("alarm.cleared")).extracting(e -> e.path("alarm").asText())
                    .contains("locker.left_open:locker-01");
            assertThat(site.retained("lockers/locker-01/state").path("open").asBoolean()).isFalse();
        }
    }

    @Test
    void a_lock_whose_feedback_does_not_follow_is_jammed_and_not_given_out(@TempDir Path data) {
        try (SiteHarness site = LockerSites.withFeedback(data)) {
            site.command("locker.open", "{\"locker\":\"locker-01\"}");
            site.advance(Duration.ofSeconds(2));
            assertThat(site.retained("alarms/locker.jammed:locker-01")).as("feedback followed").isNull();

            site.world().fault("locker-01", "jammed");
            LockerSites.tap(site, VISITOR);
            site.advance(Duration.ofSeconds(2));

            JsonNode alarm = site.retained("alarms/locker.jammed:locker-01");
            assertThat(alarm.path("expected").asText()).isEqualTo("unlocked");
            LockerSites.tap(site, POOR_VISITOR);
            assertThat(site.events("locker.assigned")).extracting(e -> e.path("device").asText())
                    .containsExactly("locker-01", "locker-02");

            site.world().fault("locker-01", "none");
            site.command("locker.open", "{\"locker\":\"locker-01\"}");
            site.advance(Duration.ofSeconds(2));

            assertThat(site.retained("alarms/locker.jammed:locker-01")).isNull();
        }
    }

    @Test
    void a_locker_opens_at_most_six_times_a_minute(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            for (int i = 0; i < 6; i++) {
                assertThat(site.command("locker.open", "{\"locker\":\"locker-03\"}").path("ok").asBoolean()).isTrue();
                site.advance(Duration.ofSeconds(5));
            }
            JsonNode refused = site.command("locker.open", "{\"locker\":\"locker-03\"}");
            assertThat(refused.path("error").path("code").asText()).isEqualTo("denied");
            assertThat(site.events("locker.unlocked")).hasSize(6);

            site.advance(Duration.ofSeconds(31));

            assertThat(site.command("locker.open", "{\"locker\":\"locker-03\"}").path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void a_holder_tapping_too_often_is_refused_with_a_reason(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            for (int i = 0; i < 6; i++) {
                LockerSites.tap(site, VISITOR);
                site.advance(Duration.ofSeconds(5));
            }
            LockerSites.tap(site, VISITOR);

            assertThat(site.events("locker.unlocked")).hasSize(6);
            assertThat(site.events("locker.denied")).singleElement().satisfies(e -> {
                assertThat(e.path("reason").asText()).isEqualTo("rate_limited");
                assertThat(e.path("device").asText()).isEqualTo("locker-01");
            });
            assertThat(site.events("locker.released")).isEmpty();
        }
    }
}
