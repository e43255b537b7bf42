package kontor.sim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kontor.gateway.Gateway;
import kontor.mqtt.MqttPort;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.testing.InMemoryMqtt;
import kontor.testing.Mosquitto;
import kontor.testing.TcpProxy;
import kontor.testing.TestMqttClient;

/**
 * The broker as a {@link SiteHarness} sees it: the gateway's connection to it, and an operator's tool on it
 * that publishes and sees everything published. Either the in-memory fake or a real Mosquitto.
 */
interface SiteBroker extends AutoCloseable {

    /** The gateway's connection, with its last will. */
    MqttPort gatewayPort(Gateway.Will will);

    /** Returns once the gateway answers a command on {@code topic}: it is connected and subscribed. */
    void awaitGatewayAnswering(String topic);

    /** A client publishes, optionally with MQTT 5 response topic and correlation data. */
    void clientPublish(String topic, String payload, String responseTopic, byte[] correlation);

    /** Everything published so far that a subscriber to {@code #} got, oldest first. */
    List<InMemoryMqtt.Published> published();

    /** The retained value of a topic, as a subscriber arriving now would get it; null if none. */
    String retained(String topic);

    /** Whether the gateway is connected. */
    boolean connected();

    /** Returns once everything the gateway handed its connection so far has reached the subscribers. */
    void flush();

    /** Drops the gateway's connection abruptly, as a flaky network would (no DISCONNECT; it reconnects by itself). */
    default void dropGateway() {
        throw new UnsupportedOperationException("only the real broker's connection can be dropped");
    }

    @Override
    void close();

    static SiteBroker inMemory(InMemoryMqtt mqtt) {
        return new SiteBroker() {
            @Override
            public MqttPort gatewayPort(Gateway.Will will) {
                return mqtt;
            }

            @Override
            public void awaitGatewayAnswering(String topic) {
                // the in-memory broker delivers within the publish: subscribed once started
            }

            @Override
            public void clientPublish(String topic, String payload, String responseTopic, byte[] correlation) {
                mqtt.clientPublish(topic, payload, responseTopic, correlation);
            }

            @Override
            public List<InMemoryMqtt.Published> published() {
                return mqtt.published();
            }

            @Override
            public String retained(String topic) {
                return mqtt.retained(topic);
            }

            @Override
            public boolean connected() {
                return mqtt.connected();
            }

            @Override
            public void flush() {
                // delivered within the publish
            }

            @Override
            public void close() {
                // the gateway closes its port
            }
        };
    }

    /** A fresh anonymous Mosquitto, a monitoring client on {@code #}, and the gateway on Paho as in production. */
    static SiteBroker mosquitto() {
        return new MosquittoSiteBroker();
    }

    /** The real one. Retained values are read from the monitor's messages: it subscribes retain-as-published. */
    final class MosquittoSiteBroker implements SiteBroker {
        private static final String FLUSH_TOPIC = "test/flush";
        private final Mosquitto broker = Mosquitto.startAnonymous();
        private final TestMqttClient monitor;
        /** Between the gateway and the broker, so that a test can cut the gateway's connection alone. */
        private final TcpProxy gatewayPath;
        private volatile PahoMqttPort gateway;

        private MosquittoSiteBroker() {
            try {
                monitor = TestMqttClient.connect(broker.url()).subscribe("#");
                gatewayPath = new TcpProxy(broker.port());
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }

        @Override
        public MqttPort gatewayPort(Gateway.Will will) {
            gateway = new PahoMqttPort(MqttSettings.builder(gatewayPath.url(), "kontor-test-" + UUID.randomUUID())
                    .will(will.topic(), will.payload(), true)
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .build());
            return gateway;
        }

        @Override
        public void awaitGatewayAnswering(String topic) {
            monitor.awaitAnswering(topic);
        }

        @Override
        public void clientPublish(String topic, String payload, String responseTopic, byte[] correlation) {
            monitor.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, responseTopic, correlation);
        }

        @Override
        public List<InMemoryMqtt.Published> published() {
            return monitor.messages().stream()
                    .map(m -> new InMemoryMqtt.Published(m.topic(), m.payload(), 1, m.retained(), m.correlationData()))
                    .toList();
        }

        @Override
        public String retained(String topic) {
            Map<String, byte[]> retained = new HashMap<>();
            for (TestMqttClient.Message m : monitor.messages()) {
                if (m.retained()) {
                    retained.put(m.topic(), m.payload());
                }
            }
            byte[] value = retained.get(topic);
            return value == null || value.length == 0 ? null : new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean connected() {
            return gateway != null && gateway.connected();
        }

        /**
         * Sends a marker on the gateway's own connection and waits until the monitor has it: one connection's
         * publishes of one QoS reach a subscriber in order, so everything handed to Paho before it has arrived too.
         */
        @Override
        public void flush() {
            String marker = UUID.randomUUID().toString();
            gateway.publish(FLUSH_TOPIC, marker.getBytes(StandardCharsets.UTF_8), 1, false);
            monitor.awaitMessage(m -> m.topic().equals(FLUSH_TOPIC) && TestMqttClient.text(m).equals(marker));
        }

        @Override
        public void dropGateway() {
            gatewayPath.cut();
        }

        @Override
        public void close() {
            monitor.close();
            gatewayPath.close();
            broker.close();
        }
    }
}
