package kontor.sim.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kontor.sim.broker.BrokerUser.Role;
import org.junit.jupiter.api.Test;

class TopicRightsTest {

    private final TopicRights rights = new TopicRights("kontor/demo");

    @Test
    void operator_publishes_commands_and_simulator_control_only() {
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/cmd/gateway.info")).isTrue();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/sim/tap")).isTrue();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/cmdx")).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/demo/events")).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "kontor/other/cmd/x")).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "homeassistant/status")).isTrue();
        assertThat(rights.mayPublish(Role.OPERATOR, "homeassistant/binary_sensor/x/config")).isFalse();
        assertThat(rights.mayPublish(Role.MONITOR, "homeassistant/status")).isFalse();
        assertThat(rights.mayPublish(Role.OPERATOR, "reply/x")).isFalse();
    }

    @Test
    void gateway_publishes_anywhere_and_monitor_nowhere() {
        assertThat(rights.mayPublish(Role.GATEWAY, "reply/x")).isTrue();
        assertThat(rights.mayPublish(Role.MONITOR, "kontor/demo/cmd/gateway.info")).isFalse();
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
