package kontor.mqtt;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The gateway's connection to its broker. Implementations keep trying to connect (with backoff)
 * from {@link #start()} until {@link #close()}, restore subscriptions on every reconnect, and
 * never keep messages of their own: the H2 journal is the only outbox.
 */
public interface MqttPort extends AutoCloseable {

    /** Starts connecting in the background and returns at once. */
    void start();

    boolean connected();

    /**
     * Called with {@code true} after every (re)connect, once subscriptions are restored, and with
     * {@code false} when the connection is lost. Called on the port's own thread; must not block.
     */
    void onConnectionChange(Consumer<Boolean> listener);

    /**
     * Publishes; the future completes when the broker acknowledged it (QoS 1) or it was sent (QoS 0),
     * and fails at once when not connected.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained);

    /** Publishes a reply carrying MQTT 5 correlation data (may be null). */
    CompletableFuture<Void> publishReply(String topic, byte[] payload, byte[] correlationData);

    /**
     * Subscribes now (if connected) and after every reconnect. Handlers run on the port's thread. The broker sends
     * the retained messages that match when the subscription is new, not again when a resumed session already has
     * it (MQTT 5 retain handling 1).
     */
    void subscribe(String filter, int qos, Consumer<Message> handler);

    /**
     * Subscribes to requests made of the gateway (commands, simulator input), which must act once, when sent, and
     * never again because a broker kept them: the broker is asked to send no retained message (retain handling 2),
     * and to keep the RETAIN flag of a message published retained (retain as published), so that the handler
     * sees {@link Message#retained()} and can refuse it. The gateway's own publishes are not sent back (no local).
     */
    default void subscribeRequests(String filter, int qos, Consumer<Message> handler) {
        subscribe(filter, qos, handler);
    }

    /**
     * Whether the current connection resumed the broker's session of this client (MQTT 5 "session present"):
     * then the broker still holds what it had before the connection broke, retained messages included, unless it
     * restored them from an old persistence file. False before the first connection and on every clean start.
     */
    default boolean resumedSession() {
        return false;
    }

    /** Disconnects cleanly (the last will is not sent) and stops reconnecting. */
    @Override
    void close();
}
