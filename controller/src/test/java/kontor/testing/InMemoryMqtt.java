package kontor.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 */
public final class InMemoryMqtt implements MqttPort {

    /** One publish as the broker saw it. */
    public record Published(String topic, byte[] payload, boolean retained, byte[] correlationData) {
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

    @Override
    public void start() {
        started = true;
        listeners.forEach(l -> l.accept(true));
    }

    @Override
    public boolean connected() {
        return started && up;
    }

    /** The broker goes away (false) or comes back (true); listeners are told as Paho would tell them. */
    public void brokerUp(boolean up) {
        this.up = up;
        if (started) {
            listeners.forEach(l -> l.accept(up));
        }
    }

    @Override
    public void onConnectionChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        return deliver(new Published(topic, payload.clone(), retain, null));
    }

    @Override
    public CompletableFuture<Void> publishReply(String topic, byte[] payload, byte[] correlationData) {
        return deliver(new Published(topic, payload.clone(), false, correlationData));
    }

    private CompletableFuture<Void> deliver(Published p) {
        if (!connected()) {
            return CompletableFuture.failedFuture(new NotConnectedException("in-memory broker is down"));
        }
        synchronized (this) {
            published.add(p);
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
        return CompletableFuture.completedFuture(null);
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

    /** MQTT topic filter matching ({@code +} one level, {@code #} the rest). */
    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
