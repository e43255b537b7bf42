package kontor.sim.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.device.Signal;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlappingInputTest {

    @Test
    void a_flapping_contact_is_reported_once_and_its_settled_state_when_it_is_quiet(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"))) {
            for (int i = 0; i < 500; i++) {
                site.gateway().signal(new Signal.ContactChanged("door-room-2", i % 2 == 0));
            }
            site.settle();
            int reported = site.events("door.opened").size() + site.events("door.closed").size();
            assertThat(reported).as("changes reported before the damping starts").isLessThanOrEqualTo(10);
            assertThat(site.events("alarm.raised")).filteredOn(e -> e.path("alarm").asText().equals("device.flapping:door-room-2"))
                    .hasSize(1);

            site.advance(Duration.ofSeconds(11));
            assertThat(site.retained("alarms/device.flapping:door-room-2")).isNull();
            assertThat(site.retained("devices/door-room-2/state").path("open").asBoolean())
                    .as("the last state (closed) is passed on once it settles").isFalse();
            assertThat(site.events("door.opened").size() + site.events("door.closed").size()).isLessThanOrEqualTo(11);
        }
    }

    @Test
    void an_input_that_changes_now_and_then_is_not_damped(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"))) {
            for (int i = 0; i < 20; i++) {
                site.gateway().signal(new Signal.ContactChanged("door-room-2", i % 2 == 0));
                site.advance(Duration.ofSeconds(2));
            }
            assertThat(site.events("door.opened")).hasSize(10);
            assertThat(site.events("door.closed")).hasSize(10);
            assertThat(site.events("alarm.raised")).noneMatch(e -> e.path("alarm_type").asText().equals("device.flapping"));
        }
    }
}
