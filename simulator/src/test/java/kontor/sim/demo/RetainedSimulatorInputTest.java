package kontor.sim.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kontor.mqtt.Json;
import kontor.testing.Mosquitto;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kontor demo --mqtt} on a stock Mosquitto, which lets anyone retain anything: the simulator itself ignores
 * retained input (issue 14.5), where the demo's own broker would already have refused it.
 */
class RetainedSimulatorInputTest {
    private static final String ROOT = "kontor/demo";

    @Test
    void a_retained_fire_input_does_not_raise_the_fire_alarm(@TempDir Path data) {
        try (Mosquitto broker = Mosquitto.startAnonymous();
             DemoCommand.Demo demo = DemoFixture.external(data, "2026-12-01T09:00:00", broker.url());
             TestMqttClient operator = TestMqttClient.connect(broker.url()).subscribe(ROOT + "/events")) {
            operator.awaitAnswering(ROOT + "/cmd/gateway.info");
            operator.publish(ROOT + "/sim/fire", "{\"active\":true}".getBytes(UTF_8), 1, true);
            operator.publish(ROOT + "/sim/tap", "{\"reader\":\"reader-room-2\",\"card\":\"0DDBA11D\"}");
            operator.awaitMessage(m -> m.topic().equals(ROOT + "/events") && json(m).path("type").asText().equals("card.denied"));
            // Simulator input runs in order, and the site thread has handled everything before this reply.
            assertThat(json(operator.request(ROOT + "/cmd/gateway.info", "{\"id\":\"after\"}")).path("ok").asBoolean()).isTrue();
            assertThat(operator.messages()).noneMatch(m -> json(m).path("type").asText().startsWith("fire."));
        }
    }

    private static JsonNode json(TestMqttClient.Message m) {
        return Json.tree(m.payload());
    }
}
