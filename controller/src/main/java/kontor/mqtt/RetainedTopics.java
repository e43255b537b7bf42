package kontor.mqtt;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained topics the gateway owns and their current values. Publishes a value only when it changed.
 * After a reconnect it makes sure the broker holds the truth again: when the broker resumed our session
 * ({@link MqttPort#resumedSession()}) it still has every value it acknowledged, so only the values it never
 * acknowledged go again (and the topics the broker itself may change, the last will's); otherwise (a new
 * session: the broker restarted, or the break outlasted the session) all of them, since it may have lost its
 * retained store. A flapping connection thus costs a few messages, not every discovery config each time.
 */
public final class RetainedTopics {
    private static final Logger log = LoggerFactory.getLogger(RetainedTopics.class);
    private static final byte[] EMPTY = new byte[0];

    private final MqttPort mqtt;
    private final Runnable beforeChange;
    private final Map<String, byte[]> current = new LinkedHashMap<>();
    /** Clears not yet acknowledged by the broker: sent again after a reconnect. */
    private final Set<String> pendingClears = new LinkedHashSet<>();
    /** Topics whose current value the broker has not acknowledged: sent again after any reconnect. */
    private final Set<String> unconfirmed = new LinkedHashSet<>();
    /** Topics the broker may change behind our back (a last will): sent again after any reconnect. */
    private final Set<String> brokerWritten = new LinkedHashSet<>();
    private final List<BiConsumer<String, byte[]>> listeners = new CopyOnWriteArrayList<>();

    public RetainedTopics(MqttPort mqtt) {
        this(mqtt, () -> { });
    }

    /** {@code beforeChange} runs before a new value or a clear is sent (the gateway's: wait for the journal). */
    public RetainedTopics(MqttPort mqtt, Runnable beforeChange) {
        this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
        this.beforeChange = Objects.requireNonNull(beforeChange, "beforeChange");
        mqtt.onConnectionChange(up -> {
            if (up) {
                republish(!mqtt.resumedSession());
            }
        });
    }

    /**
     * Marks {@code topic} as one the broker itself may write while the gateway is away (the last will on the
     * gateway status): its value is sent again after every reconnect, also when the session was resumed.
     */
    public synchronized void brokerMayWrite(String topic) {
        brokerWritten.add(Objects.requireNonNull(topic, "topic"));
    }

    /**
     * Makes {@code payload} the retained value of {@code topic}. The future completes when the broker has it
     * (at once when nothing changed); it fails when disconnected, and the value is then sent on reconnect.
     */
    public CompletableFuture<Void> put(String topic, byte[] payload) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (payload.length == 0) {
            throw new IllegalArgumentException("an empty retained payload deletes the topic: use clear(" + topic + ")");
        }
        byte[] copy = payload.clone();
        CompletableFuture<Void> sent;
        synchronized (this) {
            if (Arrays.equals(current.get(topic), payload)) {
                return CompletableFuture.completedFuture(null);
            }
        }
        beforeChange.run();
        synchronized (this) {
            current.put(topic, copy);
            pendingClears.remove(topic);
            unconfirmed.add(topic);
            sent = mqtt.connected()
                    ? send(topic, copy)
                    : CompletableFuture.failedFuture(new NotConnectedException("MQTT not connected; " + topic + " is sent on reconnect"));
        }
        changed(topic, copy);
        return sent;
    }

    /** Deletes the retained value of {@code topic} from the broker and forgets it. */
    public CompletableFuture<Void> clear(String topic) {
        Objects.requireNonNull(topic, "topic");
        CompletableFuture<Void> sent;
        boolean had;
        beforeChange.run();
        synchronized (this) {
            had = current.remove(topic) != null;
            unconfirmed.remove(topic);
            pendingClears.add(topic);
            sent = sendClear(topic);
        }
        if (had) {
            changed(topic, null);
        }
        return sent;
    }

    /** The current value of {@code topic}, whether or not the broker has it yet. */
    public synchronized Optional<byte[]> get(String topic) {
        byte[] value = current.get(topic);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    /**
     * Calls {@code listener} with (topic, new value) after every change of a value, and with (topic, null) when
     * one is cleared; on the thread that made the change (the site thread), outside this object's lock. It must
     * be quick and must not throw. This is how other fronts (CoAP observe) follow exactly what MQTT sees.
     */
    public void onChange(BiConsumer<String, byte[]> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void changed(String topic, byte[] value) {
        for (BiConsumer<String, byte[]> listener : listeners) {
            try {
                listener.accept(topic, value == null ? null : value.clone());
            } catch (RuntimeException e) {
                log.warn("A listener of {} failed: {}", topic, e.toString());
            }
        }
    }

    public synchronized Map<String, byte[]> snapshot() {
        Map<String, byte[]> copy = new HashMap<>();
        current.forEach((t, p) -> copy.put(t, p.clone()));
        return copy;
    }

    private synchronized void republish(boolean all) {
        for (String topic : Set.copyOf(pendingClears)) {
            sendClear(topic);
        }
        int sent = 0;
        for (Map.Entry<String, byte[]> e : current.entrySet()) {
            String topic = e.getKey();
            if (all || unconfirmed.contains(topic) || brokerWritten.contains(topic)) {
                sent++;
                send(topic, e.getValue()).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        log.debug("retained {} not republished: {}", topic, failure.toString());
                    }
                });
            }
        }
        log.debug("republished {} of {} retained topics ({})", sent, current.size(),
                all ? "new session: the broker may have lost them" : "resumed session: only what it may lack");
    }

    /** Publishes a value; once the broker acknowledged it, and it is still the current one, it is confirmed. */
    private CompletableFuture<Void> send(String topic, byte[] value) {
        return mqtt.publish(topic, value, 1, true).whenComplete((ok, e) -> {
            if (e == null) {
                synchronized (this) {
                    if (current.get(topic) == value) {
                        unconfirmed.remove(topic);
                    }
                }
            }
        });
    }

    private CompletableFuture<Void> sendClear(String topic) {
        if (!mqtt.connected()) {
            return CompletableFuture.failedFuture(new NotConnectedException("MQTT not connected; " + topic + " is cleared on reconnect"));
        }
        return mqtt.publish(topic, EMPTY, 1, true).whenComplete((ok, e) -> {
            if (e == null) {
                synchronized (this) {
                    if (!current.containsKey(topic)) {
                        pendingClears.remove(topic);
                    }
                }
            }
        });
    }
}
