package kontor.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kontor.mqtt.Json;
import kontor.testing.TestMqttClient.Message;
import kontor.site.DeviceSpec;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running demo, seen only over MQTT as an operator's tool sees it: the embedded broker with its
 * demo users, the simulated site, commands and simulator control.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoOverMqttTest {
    private static final String ROOT = "kontor/demo";

    private DemoCommand.Demo demo;
    private String url;
    private TestMqttClient operator;

    @BeforeAll
    void startDemo(@TempDir Path data) {
        demo = DemoFixture.embedded(data, "2026-12-01T09:00:00");
        url = demo.brokerUri().toString();
        operator = TestMqttClient.connect(url, "operator", "demo-operator");
        operator.subscribe(ROOT + "/events");
        operator.awaitAnswering(ROOT + "/cmd/gateway.info");
    }

    @AfterAll
    void stopDemo() {
        operator.close();
        demo.close();
    }

    @Test
    void monitor_sees_gateway_status_and_availability_and_state_of_every_demo_device() {
        try (TestMqttClient monitor = TestMqttClient.connect(url, "monitor", "demo-monitor")) {
            monitor.subscribe(ROOT + "/#");
            JsonNode status = json(monitor.awaitMessage(ROOT + "/gateway/status"));
            assertThat(status.path("state").asText()).isEqualTo("online");
            assertThat(status.hasNonNull("version")).isTrue();
            assertThat(status.hasNonNull("started")).isTrue();
            for (DeviceSpec device : demo.world().site().devices()) {
                Message availability = monitor.awaitMessage(ROOT + "/devices/" + device.id() + "/availability");
                assertThat(TestMqttClient.text(availability)).isIn("online", "offline");
                assertThat(json(monitor.awaitMessage(ROOT + "/devices/" + device.id() + "/state")).isObject()).isTrue();
            }
        }
    }

    @Test
    void gateway_info_replies_on_the_mqtt5_response_topic_with_the_correlation_data() {
        JsonNode reply = json(operator.request(ROOT + "/cmd/gateway.info", "{\"id\":\"info-1\"}"));
        assertThat(reply.path("id").asText()).isEqualTo("info-1");
        assertThat(reply.path("ok").asBoolean()).isTrue();
        JsonNode result = reply.path("result");
        assertThat(result.path("site").asText()).isEqualTo("demo");
        assertThat(result.path("devices").asInt()).isEqualTo(demo.world().site().devices().size());
        assertThat(result.path("journal").path("last_seq").asLong()).isPositive();
        assertThat(result.path("journal").has("unpublished")).isTrue();
    }

    @Test
    void device_list_names_every_device_with_its_kind() {
        JsonNode devices = json(operator.request(ROOT + "/cmd/device.list", "{\"id\":\"list-1\"}")).path("result").path("devices");
        assertThat(devices.size()).isEqualTo(demo.world().site().devices().size());
        assertThat(devices.findValuesAsText("id")).contains("locker-01", "reader-room-1", "printer-1", "fire-panel");
    }

    @Test
    void a_tap_of_an_unknown_card_is_denied_as_unknown_card_and_the_card_is_never_shown_whole() {
        operator.publish(ROOT + "/sim/tap", "{\"reader\":\"reader-room-1\",\"card\":\"0DDBA11C\"}");
        JsonNode denied = awaitEvent("card.denied", "reader-room-1");
        assertThat(denied.path("reason").asText()).isEqualTo("unknown_card");
        assertThat(denied.path("card").asText()).isEqualTo("…A11C");
        assertThat(operator.messages()).noneMatch(m -> TestMqttClient.text(m).contains("0DDBA11C"));
    }

    @Test
    void a_retained_simulator_input_is_ignored() {
        // Issue 14.5: a retained sim/fire {"active":true} re-raised a cleared fire and unlocked every door on the next
        // reconnect. The demo broker refuses it (DemoBrokerTest), and the simulator would ignore it too
        // (RetainedSimulatorInputTest, on a broker that lets it through); a later, plain input shows it went first.
        operator.publish(ROOT + "/sim/fire", "{\"active\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, true);
        try {
            operator.publish(ROOT + "/sim/tap", "{\"reader\":\"reader-room-2\",\"card\":\"0DDBA11D\"}");
            awaitEvent("card.denied", "reader-room-2");
            // The site thread has handled everything before this reply.
            assertThat(json(operator.request(ROOT + "/cmd/gateway.info", "{\"id\":\"after-retained-fire\"}")).path("ok").asBoolean()).isTrue();
            assertThat(operator.messages()).noneMatch(m -> m.topic().equals(ROOT + "/events")
                    && json(m).path("type").asText().equals("fire.active"));
        } finally {
            operator.publish(ROOT + "/sim/fire", new byte[0], 1, true);
        }
    }

    @Test
    void an_enrolled_card_is_granted_and_once_revoked_is_denied() {
        JsonNode enrolled = json(operator.request(ROOT + "/cmd/card.enroll", "{\"id\":\"e-1\",\"card\":\"04AA00BB11CC22\"}"));
        assertThat(enrolled.path("ok").asBoolean()).as(enrolled.toString()).isTrue();
        String member = enrolled.path("result").path("member").asText();

        operator.publish(ROOT + "/sim/tap", "{\"reader\":\"reader-bank-a\",\"card\":\"04AA00BB11CC22\"}");
        assertThat(awaitEvent("card.granted", "reader-bank-a").path("member").asText()).isEqualTo(member);

        JsonNode revoked = json(operator.request(ROOT + "/cmd/card.revoke", "{\"id\":\"r-1\",\"card\":\"04AA00BB11CC22\"}"));
        assertThat(revoked.path("ok").asBoolean()).as(revoked.toString()).isTrue();
        operator.publish(ROOT + "/sim/tap", "{\"reader\":\"reader-bank-a\",\"card\":\"04AA00BB11CC22\"}");
        assertThat(awaitEvent("card.denied", "reader-bank-a").path("reason").asText()).isEqualTo("revoked");

        JsonNode shown = json(operator.request(ROOT + "/cmd/member.show", "{\"id\":\"s-1\",\"member\":\"" + member + "\"}"));
        assertThat(shown.path("result").path("revoked").asBoolean()).isTrue();
    }

    @Test
    void the_demo_cards_are_enrolled_with_their_roles() {
        JsonNode host = json(operator.request(ROOT + "/cmd/member.show", "{\"id\":\"h-1\",\"card\":\"04A1B2C3D4E503\"}"));
        assertThat(host.path("result").path("role").asText()).isEqualTo("host");
        JsonNode accessible = json(operator.request(ROOT + "/cmd/member.show", "{\"id\":\"a-1\",\"card\":\"04A1B2C3D4E502\"}"));
        assertThat(accessible.path("result").path("accessible").asBoolean()).isTrue();
        operator.publish(ROOT + "/sim/tap", "{\"reader\":\"reader-copier-1\",\"card\":\"04A1B2C3D4E5FF\"}");
        assertThat(awaitEvent("card.denied", "reader-copier-1").path("reason").asText()).isEqualTo("revoked");
    }

    @Test
    void a_malformed_command_gets_bad_request_and_a_repeated_id_gets_the_first_reply() {
        JsonNode bad = json(operator.request(ROOT + "/cmd/card.enroll", "{\"id\":\"bad-1\",\"card\":\"not hex!\"}"));
        assertThat(bad.path("ok").asBoolean()).isFalse();
        assertThat(bad.path("error").path("code").asText()).isEqualTo("bad_request");

        JsonNode first = json(operator.request(ROOT + "/cmd/card.enroll", "{\"id\":\"twice\",\"card\":\"0A0B0C0D\"}"));
        JsonNode again = json(operator.request(ROOT + "/cmd/card.enroll", "{\"id\":\"twice\",\"card\":\"0A0B0C0D\"}"));
        assertThat(again).isEqualTo(first);
        assertThat(first.path("ok").asBoolean()).isTrue();
    }

    @Test
    void the_monitor_cannot_publish_commands() {
        String replies = ROOT + "/cmd/gateway.info/reply";
        operator.subscribe(replies);
        try (TestMqttClient monitor = TestMqttClient.connect(url, "monitor", "demo-monitor")) {
            try {
                monitor.publish(ROOT + "/cmd/gateway.info", "{\"id\":\"from-monitor\"}");
            } catch (IllegalStateException refused) {
                // The broker may refuse the publish outright; either way it must not reach the gateway.
            }
        }
        operator.publish(ROOT + "/cmd/gateway.info", "{\"id\":\"from-operator\"}");
        operator.awaitMessage(m -> m.topic().equals(replies) && TestMqttClient.text(m).contains("from-operator"));
        assertThat(operator.messages()).noneMatch(m -> TestMqttClient.text(m).contains("from-monitor"));
    }

    @Test
    void five_denied_taps_lock_a_reader_out_for_a_minute_with_an_alarm() {
        String reader = "reader-room-2";
        operator.subscribe(ROOT + "/alarms/#");
        for (int i = 0; i < 5; i++) {
            operator.publish(ROOT + "/sim/tap", "{\"reader\":\"" + reader + "\",\"card\":\"0BADCA" + i + "0\"}");
        }
        JsonNode lockedOut = awaitEvent("reader.locked_out", reader);
        assertThat(lockedOut.hasNonNull("until")).isTrue();
        Message alarm = operator.awaitMessage(ROOT + "/alarms/reader.locked_out:" + reader);
        assertThat(json(alarm).path("type").asText()).isEqualTo("reader.locked_out");

        operator.publish(ROOT + "/sim/tap", "{\"reader\":\"" + reader + "\",\"card\":\"04A1B2C3D4E501\"}");
        assertThat(awaitEvent("card.denied", reader, e -> e.path("reason").asText().equals("locked_out"))).isNotNull();

        operator.publish(ROOT + "/sim/clock", "{\"advance\":\"PT61S\"}");
        Message cleared = operator.awaitMessage(m -> m.topic().equals(ROOT + "/alarms/reader.locked_out:" + reader) && m.payload().length == 0);
        assertThat(cleared).isNotNull();
        operator.publish(ROOT + "/sim/tap", "{\"reader\":\"" + reader + "\",\"card\":\"04A1B2C3D4E501\"}");
        assertThat(awaitEvent("card.granted", reader)).isNotNull();
    }

    private JsonNode awaitEvent(String type, String device) {
        return awaitEvent(type, device, e -> true);
    }

    private JsonNode awaitEvent(String type, String device, java.util.function.Predicate<JsonNode> also) {
        Message m = operator.awaitMessage(msg -> {
            if (!msg.topic().equals(ROOT + "/events")) {
                return false;
            }
            JsonNode e = json(msg);
            return e.path("type").asText().equals(type) && e.path("device").asText().equals(device) && also.test(e);
        });
        return json(m);
    }

    private static JsonNode json(Message m) {
        return Json.tree(m.payload());
    }
}
