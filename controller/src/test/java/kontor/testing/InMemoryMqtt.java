package kontor.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;
import kontor.mqtt.NotConnectedException;

/**
 * A broker and the gateway's connection to it in one object, in memory: for behaviour tests that
 * need the gateway's MQTT side but not a real broker. It keeps what was published (retained values
 * as a broker would), delivers to subscriptions by MQTT filter matching, and can "lose" the broker.
 *
 * <p>A broker acknowledges each publish at once; {@link #holdAcks()} makes it wait until the test says
 * {@link #ack}, {@link #reject} or drops the connection (which fails every unacknowledged publish, as Paho does).
 */
public final class InMemoryMqtt implements MqttPort {

    /** One publish as the broker saw it. */
    public record Published(String topic, byte[] payload, int qos, boolean retained, byte[] correlationData) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private record Subscription(String filter, Consumer<Message> handler) { }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final List<Published> published = new ArrayList<>();
    private final Map<String, byte[]> retained = new LinkedHashMap<>();
    private volatile boolean started;
    private volatile boolean up = true;
    private volatile boolean holdAcks;
    /** Publishes not yet acknowledged, by identity: two publishes of the same bytes are two publishes. */
    private final Map<Published, CompletableFuture<Void>> unacked = new IdentityHashMap<>();

    @Override
    public void start() {
        started = true;
        listeners.forEach(l -> l.accept(up));
    }

    /** From now on a publish stays unacknowledged until {@link #ack} or {@link #reject}. */
    public InMemoryMqtt holdAcks() {
        holdAcks = true;
        return this;
    }

    /** The broker acknowledges this publish. */
    public void ack(Published p) {
        settle(p).complete(null);
    }

    /** The broker refuses this publish (e.g. its quota is exceeded). */
    public void reject(Published p) {
        settle(p).completeExceptionally(new IllegalStateException("quota exceeded"));
    }

    private synchronized CompletableFuture<Void> settle(Published p) {
        CompletableFuture<Void> ack = unacked.remove(p);
        if (ack == null) {
            throw new AssertionError("not an unacknowledged publish: " + p.topic());
        }
        return ack;
    }

    @Override
    public boolean connected() {
        return started && up;
    }

    /** The broker goes away (false) or comes back (true); listeners are told as Paho would tell them. */
    public void brokerUp(boolean up) {
        this.up = up;
        List<CompletableFuture<Void>> lost = List.of();
        if (!up) {
            synchronized (this) {
                lost = List.copyOf(unacked.values());
                unacked.clear();
            }
        }
        if (started) {
            listeners.forEach(l -> l.accept(up));
        }
        lost.forEach(ack -> ack.completeExceptionally(new NotConnectedException("connection lost")));
    }

    @Override
    public void onConnectionChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        return deliver(new Published(topic, payload.clone(), qos, retain, null));
    }

    @Override
    public CompletableFuture<Void> publishReply(String topic, byte[] payload, byte[] correlationData) {
        return deliver(new Published(topic, payload.clone(), 1, false, correlationData));
    }

    private CompletableFuture<Void> deliver(Published p) {
        if (!connected()) {
            return CompletableFuture.failedFuture(new NotConnectedException("in-memory broker is down"));
        }
        CompletableFuture<Void> ack = holdAcks ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        synchronized (this) {
            published.add(p);
            if (holdAcks) {
                unacked.put(p, ack);
            }
            if (p.retained()) {
                if (p.payload().length == 0) {
                    retained.remove(p.topic());
                } else {
                    retained.put(p.topic(), p.payload());
                }
            }
        }
        for (Subscription s : subscriptions) {
            if (matches(s.filter(), p.topic())) {
                s.handler().accept(new Message(p.topic(), p.payload(), null, p.correlationData()));
            }
        }
        return ack;
    }

    @Override
    public void subscribe(String filter, int qos, Consumer<Message> handler) {
        subscriptions.add(new Subscription(filter, handler));
    }

    /** A client (an operator's tool) publishes, optionally with MQTT 5 response topic and correlation data. */
    public void clientPublish(String topic, String payload, String responseTopic, byte[] correlation) {
        if (!connected()) {
            throw new IllegalStateException("in-memory broker is down");
        }
        Message m = new Message(topic, payload.getBytes(StandardCharsets.UTF_8), responseTopic, correlation);
        for (Subscription s : subscriptions) {
            if (matches(s.filter(), topic)) {
                s.handler().accept(m);
            }
        }
    }

    /** Everything published so far, oldest first. */
    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    /** The retained value of a topic, as a subscriber arriving now would get it; null if none. */
    public synchronized String retained(String topic) {
        byte[] b = retained.get(topic);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        started = false;
    }

    /** MQTT topic filter matching, as the gateway's own MQTT port does it. */
    public static boolean matches(String filter, String topic) {
        return kontor.mqtt.TopicFilter.of(filter).matches(topic);
    }
}
