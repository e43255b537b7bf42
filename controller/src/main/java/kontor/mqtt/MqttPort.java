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

    /** Subscribes now (if connected) and after every reconnect. Handlers run on the port's thread. */
    void subscribe(String filter, int qos, Consumer<Message> handler);

    /** Disconnects cleanly (the last will is not sent) and stops reconnecting. */
    @Override
    void close();
}
