package kontor.sim.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kontor.sim.broker.BrokerUser.Role;
import org.junit.jupiter.api.Test;

class TopicRightsTest {

    private final TopicRights rights = new TopicRights("kontor/demo");

    @Test
    void operator_publishes_commands_and_simulator_control_only() {
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/cmd/gateway.info", false)).isTrue();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/sim/tap", false)).isTrue();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/cmdx", false)).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/events", false)).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/other/cmd/x", false)).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "homeassistant/status", false)).isTrue();
        assertThat(rights.mayPublish(Role.OPERATOR, "homeassistant/binary_sensor/x/config", false)).isFalse();
        assertThat(rights.mayPublish(Role.MONITOR, "homeassistant/status", false)).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "reply/x", false)).isFalse();
    }

    @Test
    void gateway_publishes_anywhere_and_monitor_nowhere() {
        assertThat(rights.mayPublish(Role.GATEWAY, "reply/x", false)).isTrue();
        assertThat(rights.mayPublish(Role.MONITOR, "kontor/demo/cmd/gateway.info", false)).isFalse();
    }

    @Test
    void commands_and_simulator_input_are_never_retained() {
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/cmd/member.credit", true)).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/sim/fire", true)).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "homeassistant/status", true)).isTrue();
        assertThat(rights.mayPublish(Role.GATEWAY, "kontor/demo/rooms/room-1/state", true)).isTrue();
    }

    @Test
    void a_monitor_reads_states_events_alarms_status_and_discovery_only() {
        assertThat(rights.mayRead(Role.MONITOR, "kontor/demo/events")).isTrue();
        assertThat(rights.mayRead(Role.MONITOR, "kontor/demo/gateway/status")).isTrue();
        assertThat(rights.mayRead(Role.MONITOR, "kontor/demo/rooms/room-1/state")).isTrue();
        assertThat(rights.mayRead(Role.MONITOR, "homeassistant/sensor/kontor_demo/occupancy/config")).isTrue();
        assertThat(rights.mayRead(Role.MONITOR, "kontor/demo/cmd/card.enroll")).isFalse();
        assertThat(rights.mayRead(Role.MONITOR, "kontor/demo/cmd/card.enroll/reply")).isFalse();
        assertThat(rights.mayRead(Role.MONITOR, "kontor/demo/reply/operator/1")).isFalse();
        assertThat(rights.mayRead(Role.MONITOR, "kontor/demo/sim/tap")).isFalse();
        assertThat(rights.mayRead(Role.OPERATOR, "kontor/demo/cmd/card.enroll")).isTrue();
    }

    @Test
    void root_with_wildcards_or_slashes_at_the_ends_is_refused() {
        assertThatThrownBy(() -> new TopicRights("kontor/+")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicRights("kontor/demo/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicRights(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_broker_user_never_prints_its_password() {
        assertThat(new BrokerUser("operator", "demo-operator", Role.OPERATOR).toString())
                .contains("operator").doesNotContain("demo-operator");
    }
}
