package kontor.sim.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;

import java.time.LocalDateTime;
import java.util.Map;
import kontor.sim.SiteHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlarmsAndReplayTest {
    private static final LocalDateTime TUESDAY_MORNING = LocalDateTime.parse("2026-12-01T09:00:00");

    @Test
    void a_host_acknowledges_an_alarm_and_it_stays_until_its_cause_goes(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING)) {
            site.world().fire(true);
            await().until(() -> site.retained("alarms/fire:fire-panel") != null);
            assertThat(site.retained("alarms/fire:fire-panel").path("acked").asBoolean()).isFalse();

            var reply = site.command("alarm.ack", "{\"alarm\":\"fire:fire-panel\",\"by\":\"host-anna\"}");
            assertThat(reply.path("ok").asBoolean()).as(reply.toString()).isTrue();
            assertThat(site.retained("alarms/fire:fire-panel").path("acked").asBoolean()).isTrue();
            assertThat(site.retained("alarms/fire:fire-panel").path("acked_by").asText()).isEqualTo("host-anna");
            assertThat(site.events("alarm.acked")).singleElement()
                    .satisfies(e -> assertThat(e.path("by").asText()).isEqualTo("host-anna"));

            site.world().fire(false);
            await().until(() -> site.retained("alarms/fire:fire-panel") == null);
            assertThat(site.events("alarm.cleared")).extracting(e -> e.path("alarm").asText()).contains("fire:fire-panel");
        }
    }

    @Test
    void acknowledging_an_alarm_that_is_not_active_is_not_found(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING)) {
            var reply = site.command("alarm.ack", "{\"alarm\":\"fire:fire-panel\"}");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("not_found");
            assertThat(site.events("alarm.acked")).isEmpty();
        }
    }

    @Test
    void active_alarms_survive_a_restart_with_their_acknowledgement(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING)) {
            site.onSiteThread(() -> site.gateway().alarms().raise("door.forced", "door-room-2", Map.of("detail", "test")));
            site.settle();
            site.command("alarm.ack", "{\"alarm\":\"door.forced:door-room-2\",\"by\":\"host-bo\"}");
        }
        try (SiteHarness again = SiteHarness.demo(data, TUESDAY_MORNING.plusMinutes(5))) {
            var alarm = again.retained("alarms/door.forced:door-room-2");
            assertThat(alarm).isNotNull();
            assertThat(alarm.path("acked_by").asText()).isEqualTo("host-bo");
            assertThat(again.gateway().alarms().isActive("door.forced", "door-room-2")).isTrue();
        }
    }

    @Test
    void a_lockout_alarm_does_not_outlive_a_restart(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING)) {
            for (int i = 0; i < 5; i++) {
                site.tap("reader-room-3", "0BADCAF" + i);
            }
            assertThat(site.gateway().alarms().isActive("reader.locked_out", "reader-room-3")).isTrue();
        }
        try (SiteHarness again = SiteHarness.demo(data, TUESDAY_MORNING.plusMinutes(5))) {
            assertThat(again.retained("alarms/reader.locked_out:reader-room-3")).isNull();
            assertThat(again.events("alarm.cleared")).extracting(e -> e.path("alarm").asText())
                    .contains("reader.locked_out:reader-room-3");
        }
    }

    @Test
    void events_replay_answers_the_requester_with_a_page_and_nothing_goes_on_the_live_topic(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING)) {
            site.tap("reader-room-1", "0DDBA11C");
            site.settle();
            long before = site.events().size();
            var result = site.command("events.replay", "{\"from_seq\":1,\"to_seq\":3}").path("result");
            assertThat(result.path("count").asLong()).isEqualTo(3);
            assertThat(result.path("events")).extracting(e -> e.path("seq").asLong()).containsExactly(1L, 2L, 3L);
            assertThat(result.path("next_from_seq").isNull()).isTrue();
            // Paged: a limit of 2 gives two events and where to go on.
            var page = site.command("events.replay", "{\"from_seq\":1,\"to_seq\":3,\"limit\":2}").path("result");
            assertThat(page.path("events")).extracting(e -> e.path("seq").asLong()).containsExactly(1L, 2L);
            assertThat(page.path("next_from_seq").asLong()).isEqualTo(3L);
            site.settle();
            // Issue 14.6: old events never again among the live ones.
            assertThat(site.events().size()).isEqualTo(before);
        }
    }

    @Test
    void a_replay_is_bounded_and_from_seq_near_the_top_is_no_overflow(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING)) {
            assertThat(site.command("events.replay", "{\"from_seq\":1,\"limit\":100000}").path("error").path("code").asText())
                    .isEqualTo("bad_request");
            var top = site.command("events.replay", "{\"from_seq\":" + Long.MAX_VALUE + "}").path("result");
            assertThat(top.path("count").asLong()).isZero();
            assertThat(top.path("next_from_seq").isNull()).isTrue();
        }
    }

    @Test
    void a_replay_with_a_backward_range_is_a_bad_request(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, TUESDAY_MORNING)) {
            assertThat(site.command("events.replay", "{\"from_seq\":5,\"to_seq\":2}").path("error").path("code").asText())
                    .isEqualTo("bad_request");
            assertThat(site.command("events.replay", "{\"from_seq\":0}").path("error").path("code").asText())
                    .isEqualTo("bad_request");
        }
    }


}
