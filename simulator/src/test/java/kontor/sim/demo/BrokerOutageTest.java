package kontor.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kontor.mqtt.Json;
import kontor.testing.Mosquitto;
import kontor.testing.OnMessage;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against a real Mosquitto that goes away: it keeps deciding at the doors while the
 * broker is stopped, reconnects when it returns, and then publishes what it journaled meanwhile,
 * in order, with nothing missing.
 */
class BrokerOutageTest {
    private static final String EVENTS = "kontor/demo/events";

    @Test
    void decisions_go_on_while_the_broker_is_down_and_every_event_arrives_in_order_afterwards(@TempDir Path data) throws Exception {
        try (Mosquitto broker = Mosquitto.builder().persistence(true).start();
             EventCollector operator = new EventCollector(broker.url());
             DemoCommand.Demo demo = DemoFixture.external(data, "2026-12-01T09:00:00", broker.url())) {
            SimulatedSite world = demo.world();
            var journal = demo.gateway().journal();
            await().atMost(Duration.ofSeconds(15)).until(() -> operator.lastSeq() >= journal.lastSeq());

            broker.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> !demo.gateway().mqtt().connected());
            long before = journal.lastSeq();
            world.tap("reader-room-1", "0DDBA11C");
            world.tap("reader-bank-a", DemoCards.VISITOR);
            world.tap("reader-entrance", DemoCards.REVOKED);
            await().atMost(Duration.ofSeconds(15)).until(() -> journal.lastSeq() >= before + 3);
            assertThat(journal.read(before + 1, 100)).extracting(e -> e.type())
                    .contains("card.denied", "card.granted");

            broker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> operator.lastSeq() >= journal.lastSeq());

            List<JsonNode> seen = operator.events();
            long first = seen.get(0).path("seq").asLong();
            long expected = first;
            for (JsonNode e : seen) {
                long seq = e.path("seq").asLong();
                assertThat(seq).as("no gap, no reordering (a repeat of the last one is allowed)").isIn(expected, expected - 1);
                expected = seq + 1;
            }
            assertThat(seen).extracting(e -> e.path("type").asText() + "@" + e.path("device").asText())
                    .contains("card.denied@reader-room-1", "card.granted@reader-bank-a", "card.denied@reader-entrance");
        }
    }

    /** An operator's tool with a persistent session: the broker keeps its QoS 1 events while it is away. */
    private static final class EventCollector implements AutoCloseable {
        private final MqttAsyncClient client;
        private final MqttConnectionOptions options = new MqttConnectionOptions();
        private final List<JsonNode> events = new ArrayList<>();

        EventCollector(String url) throws MqttException {
            client = new MqttAsyncClient(url, "outage-test-operator", new MemoryPersistence());
            client.setCallback(new OnMessage((topic, message) -> add(message)));
            options.setCleanStart(false);
            options.setSessionExpiryInterval(3600L);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
            client.connect(options).waitForCompletion(10_000);
            client.subscribe(EVENTS, 1).waitForCompletion(10_000);
        }

        synchronized List<JsonNode> events() {
            return List.copyOf(events);
        }

        synchronized long lastSeq() {
            return events.isEmpty() ? 0 : events.get(events.size() - 1).path("seq").asLong();
        }

        private synchronized void add(MqttMessage message) {
            events.add(Json.tree(message.getPayload()));
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        }
    }
}
