package kontor.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {
    private final Topics topics = new Topics("kontor/demo");

    @Test
    void filters_match_as_mqtt_says() {
        assertThat(Topics.matches("a/+/state", "a/door-1/state")).isTrue();
        assertThat(Topics.matches("a/+/state", "a/door-1/x/state")).isFalse();
        assertThat(Topics.matches("a/#", "a")).isTrue();
        assertThat(Topics.matches("a/#", "a/b/c")).isTrue();
        assertThat(Topics.matches("a/#", "ab/c")).isFalse();
        assertThat(Topics.matches("a/b", "a/b/c")).isFalse();
        assertThat(Topics.matches("a/+", "a")).isFalse();
    }

    @Test
    void a_monitor_reads_states_events_alarms_and_status_but_no_command_traffic() {
        assertThat(topics.monitorMayRead(topics.gatewayStatus())).isTrue();
        assertThat(topics.monitorMayRead(topics.events())).isTrue();
        assertThat(topics.monitorMayRead(topics.alarm("fire:fire-panel"))).isTrue();
        assertThat(topics.monitorMayRead(topics.deviceState("door-room-1"))).isTrue();
        assertThat(topics.monitorMayRead(topics.availability("door-room-1"))).isTrue();
        assertThat(topics.monitorMayRead(topics.roomState("room-1"))).isTrue();
        assertThat(topics.monitorMayRead(topics.lockerState("locker-01"))).isTrue();
        assertThat(topics.monitorMayRead(topics.loanState("loan-01"))).isTrue();
        assertThat(topics.monitorMayRead(topics.occupancy())).isTrue();

        assertThat(topics.monitorMayRead("kontor/demo/cmd/card.enroll")).isFalse();
        assertThat(topics.monitorMayRead("kontor/demo/cmd/card.enroll/reply")).isFalse();
        assertThat(topics.monitorMayRead("kontor/demo/reply/operator/1")).isFalse();
        assertThat(topics.monitorMayRead(topics.sim("tap"))).isFalse();
        assertThat(topics.monitorMayRead("kontor/other/events")).isFalse();
    }
}
