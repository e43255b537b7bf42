package kontor.sim.broker;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import kontor.testing.OnMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho v5 client that records what it receives. */
final class TestClient implements AutoCloseable {

    record Received(String topic, String payload, boolean retained, MqttProperties properties) {}

    private static final long WAIT_MS = 10_000;

    private final MqttAsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private TestClient(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects, or throws the broker's refusal (its reason code is in {@link MqttException#getReasonCode()}). */
    static TestClient connect(DemoBroker broker, String username, String password) throws MqttException {
        return connect(broker, username, password, null);
    }

    /** @param willTopic a last will ("gone") on this topic, or null for none */
    static TestClient connect(DemoBroker broker, String username, String password, String willTopic)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(broker.serverUri(), "test-" + UUID.randomUUID(), new MemoryPersistence());
        TestClient testClient = new TestClient(client);
        client.setCallback(new OnMessage(testClient::record));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (willTopic != null) {
            options.setWill(willTopic, new MqttMessage("gone".getBytes(StandardCharsets.UTF_8)));
        }
        try {
            client.connect(options).waitForCompletion(WAIT_MS);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return testClient;
    }

    /** @return the SUBACK reason code (0..2 granted QoS, 0x80 and up refused) */
    int subscribe(String filter) throws MqttException {
        IMqttToken token = client.subscribe(filter, 1);
        token.waitForCompletion(WAIT_MS);
        return token.getReasonCodes()[0];
    }

    /** Publishes with QoS 1 and returns the PUBACK reason code. */
    int publish(String topic, String payload, boolean retained) throws MqttException {
        return publish(topic, payload, retained, new MqttProperties());
    }

    int publish(String topic, String payload, boolean retained, MqttProperties properties) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        message.setProperties(properties);
        IMqttToken token = client.publish(topic, message);
        token.waitForCompletion(WAIT_MS);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    boolean isConnected() {
        return client.isConnected();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received awaitMessage(Predicate<Received> wanted) {
        await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> received.stream().anyMatch(wanted));
        return received.stream().filter(wanted).findFirst().orElseThrow();
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
        } finally {
            client.close(true);
        }
    }

    private void record(String topic, MqttMessage message) {
        received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                message.isRetained(), message.getProperties()));
    }
}
