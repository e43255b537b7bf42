package kontor.testing;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import kontor.testing.OnMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A small synchronous MQTT 5 client for tests: collects every message of its subscriptions, waits for the
 * one a test expects, and does request/reply with a response topic and correlation data.
 */
public final class TestMqttClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(15);

    /**
     * A message as the client received it; {@code responseTopic} and {@code correlationData} are the MQTT 5
     * request/response properties, null when absent; {@code retained} is the flag its publisher set (every
     * subscription asks for retain-as-published). (Its own type: this module sits below the controller.)
     */
    public record Message(String topic, byte[] payload, String responseTopic, byte[] correlationData, boolean retained) { }

    private final MqttAsyncClient client;
    private final List<Message> received = new ArrayList<>();

    private TestMqttClient(MqttAsyncClient client) {
        this.client = client;
    }

    public static TestMqttClient connect(String url) {
        return connect(url, null, null);
    }

    public static TestMqttClient connect(String url, String user, String password) {
        try {
            MqttAsyncClient c = new MqttAsyncClient(url, "test-" + UUID.randomUUID(), new MemoryPersistence());
            TestMqttClient t = new TestMqttClient(c);
            c.setCallback(new OnMessage(t::collect));
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(10);
            if (user != null) {
                o.setUserName(user);
                o.setPassword(password.getBytes(StandardCharsets.UTF_8));
            }
            c.connect(o).waitForCompletion(WAIT.toMillis());
            return t;
        } catch (MqttException e) {
            throw new IllegalStateException("test client cannot connect to " + url + ": " + e, e);
        }
    }

    /** Subscribes at QoS 1 (retain-as-published) and waits for the SUBACK. */
    public TestMqttClient subscribe(String filter) {
        try {
            MqttSubscription subscription = new MqttSubscription(filter, 1);
            subscription.setRetainAsPublished(true);
            IMqttToken t = client.subscribe(subscription);
            t.waitForCompletion(WAIT.toMillis());
            int[] codes = t.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                throw new IllegalStateException("broker refused subscription to " + filter + ": 0x" + Integer.toHexString(codes[0]));
            }
            return this;
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(String topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    public void publish(String topic, byte[] payload, int qos, boolean retained) {
        publish(topic, payload, qos, retained, null, null);
    }

    /** Publishes (QoS 1) with MQTT 5 response topic and correlation data, either may be null. */
    public void publish(String topic, byte[] payload, int qos, boolean retained, String responseTopic, byte[] correlation) {
        try {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(qos);
            m.setRetained(retained);
            MqttProperties p = new MqttProperties();
            if (responseTopic != null) {
                p.setResponseTopic(responseTopic);
            }
            if (correlation != null) {
                p.setCorrelationData(correlation);
            }
            m.setProperties(p);
            client.publish(topic, m).waitForCompletion(WAIT.toMillis());
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request with a fresh response topic and correlation data and returns the reply that carries
     * the same correlation data.
     */
    public Message request(String topic, String payload) {
        String responseTopic = replyTopicFor(topic);
        byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        subscribe(responseTopic);
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, responseTopic, correlation);
        return awaitMessage(m -> m.topic().equals(responseTopic)
                && java.util.Arrays.equals(m.correlationData(), correlation));
    }

    /**
     * Returns once a request to {@code topic} is answered: the gateway is connected and has subscribed.
     * Each try waits a second for its reply; a request sent before the gateway subscribed is simply lost.
     */
    public void awaitAnswering(String topic) {
        await().atMost(WAIT).until(() -> {
            String responseTopic = replyTopicFor(topic);
            subscribe(responseTopic);
            publish(topic, ("{\"id\":\"ready-" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8), 1, false,
                    responseTopic, null);
            try {
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    synchronized (received) {
                        return received.removeIf(m -> m.topic().equals(responseTopic));
                    }
                });
                return true;
            } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                return false;
            }
        });
    }

    /**
     * A fresh response topic where the gateway replies: {@code <root>/reply/test-<uuid>} for a request on
     * {@code <root>/cmd/<command>} (the gateway replies nowhere else).
     */
    public static String replyTopicFor(String commandTopic) {
        int cmd = commandTopic.lastIndexOf("/cmd/");
        String root = cmd < 0 ? "test" : commandTopic.substring(0, cmd);
        return root + "/reply/test-" + UUID.randomUUID();
    }

    /** Waits for, removes and returns the first received message on {@code topic}. */
    public Message awaitMessage(String topic) {
        return awaitMessage(m -> m.topic().equals(topic));
    }

    /** Waits for, removes and returns the first received message that matches. */
    public Message awaitMessage(Predicate<Message> matching) {
        AtomicReference<Message> found = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            synchronized (received) {
                for (Iterator<Message> it = received.iterator(); it.hasNext(); ) {
                    Message m = it.next();
                    if (matching.test(m)) {
                        it.remove();
                        found.set(m);
                        return true;
                    }
                }
                return false;
            }
        });
        return found.get();
    }

    /** Every message received and not yet taken by an await, oldest first. */
    public List<Message> messages() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public static String text(Message m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT.toMillis());
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to do
        }
    }

    private void collect(String topic, MqttMessage message) {
        MqttProperties p = message.getProperties();
        Message m = new Message(topic, message.getPayload(), p == null ? null : p.getResponseTopic(),
                p == null ? null : p.getCorrelationData(), message.isRetained());
        synchronized (received) {
            received.add(m);
        }
    }
}
