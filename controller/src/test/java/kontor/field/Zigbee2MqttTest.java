package kontor.field;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kontor.device.Health;
import kontor.device.Signal;
import kontor.device.wiring.CounterWiring;
import kontor.site.ContactSpec;
import kontor.site.CounterSpec;
import kontor.site.PresenceSpec;
import org.junit.jupiter.api.Test;

class Zigbee2MqttTest {
    private static final PresenceSpec.MqttSource SOURCE = new PresenceSpec.MqttSource("zigbee2mqtt/x", null);
    private static final PresenceSpec MOTION = new PresenceSpec("zb-motion", SOURCE);
    private static final ContactSpec CONTACT = new ContactSpec("zb-door", SOURCE);
    private static final CounterSpec COUNTER = new CounterSpec("zb-counter", (CounterWiring) null, SOURCE);

    private static byte[] json(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void occupancy_is_motion_and_battery_is_rounded_while_other_keys_are_ignored() {
        assertThat(Zigbee2Mqtt.state(MOTION, json("{\"occupancy\":true,\"battery\":54.6,\"linkquality\":120,\"illuminance\":31}")))
                .containsExactly(new Signal.MotionChanged("zb-motion", true), new Signal.BatteryReport("zb-motion", 55));
        assertThat(Zigbee2Mqtt.state(MOTION, json("{\"linkquality\":99,\"battery\":null}"))).isEmpty();
    }

    @Test
    void contact_true_means_closed_in_zigbee2mqtt() {
        assertThat(Zigbee2Mqtt.state(CONTACT, json("{\"contact\":true}")))
                .containsExactly(new Signal.ContactChanged("zb-door", false));
        assertThat(Zigbee2Mqtt.state(CONTACT, json("{\"contact\":false,\"battery\":100}")))
                .containsExactly(new Signal.ContactChanged("zb-door", true), new Signal.BatteryReport("zb-door", 100));
        assertThat(Zigbee2Mqtt.state(CONTACT, json("{\"occupancy\":true}"))).isEmpty();
    }

    @Test
    void a_counter_counts_people_in_and_out() {
        assertThat(Zigbee2Mqtt.state(COUNTER, json("{\"in\":2,\"out\":1}")))
                .containsExactly(new Signal.PeopleCounted("zb-counter", 2, 1));
        assertThat(Zigbee2Mqtt.state(COUNTER, json("{\"in\":0}"))).isEmpty();
    }

    @Test
    void wrong_types_make_the_whole_message_malformed() {
        assertThatThrownBy(() -> Zigbee2Mqtt.state(MOTION, json("{\"occupancy\":\"on\",\"battery\":80}")))
                .hasMessage("'occupancy' must be true or false, not \"on\"");
        assertThatThrownBy(() -> Zigbee2Mqtt.state(MOTION, json("{\"battery\":140}")))
                .hasMessage("'battery' must be a number 0..100, not 140");
        assertThatThrownBy(() -> Zigbee2Mqtt.state(COUNTER, json("{\"in\":-1}"))).hasMessageContaining("'in'");
        assertThatThrownBy(() -> Zigbee2Mqtt.state(MOTION, json("[1]"))).hasMessage("not a JSON object");
        assertThatThrownBy(() -> Zigbee2Mqtt.state(MOTION, json("{occupancy"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void availability_is_plain_text_or_the_json_of_zigbee2mqtt_2() {
        assertThat(Zigbee2Mqtt.availability(json("online"))).contains(Health.ONLINE);
        assertThat(Zigbee2Mqtt.availability(json("{\"state\":\"offline\"}")).orElseThrow().isOnline()).isFalse();
        assertThat(Zigbee2Mqtt.availability(json("{\"state\":\"online\"}"))).contains(Health.ONLINE);
        assertThat(Zigbee2Mqtt.availability(json("maybe"))).isEmpty();
        assertThat(Zigbee2Mqtt.availability(json("{broken"))).isEmpty();
    }
}
