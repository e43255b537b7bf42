package kontor.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;

/**
 * The gateway's MQTT port, with a count of the publishes the broker acknowledged: the moment the
 * last event is acknowledged ends the pipeline's clock.
 */
final class AckCounter implements MqttPort {
    private final MqttPort port;
    private final AtomicLong acked = new AtomicLong();
    private volatile long lastAckNanos;
    private volatile long firstUpNanos;

    AckCounter(MqttPort port) {
        this.port = port;
        port.onConnectionChange(up -> {
            if (up && firstUpNanos == 0) {
                firstUpNanos = System.nanoTime();
            }
        });
    }

    long acked() {
        return acked.get();
    }

    /** nanoTime of the latest acknowledgement. */
    long lastAckNanos() {
        return lastAckNanos;
    }

    /** nanoTime at which the connection first came up, 0 before. */
    long firstUpNanos() {
        return firstUpNanos;
    }

    @Override
    public void start() {
        port.start();
    }

    @Override
    public boolean connected() {
        return port.connected();
    }

    @Override
    public void onConnectionChange(Consumer<Boolean> listener) {
        port.onConnectionChange(listener);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
        CompletableFuture<Void> f = port.publish(topic, payload, qos, retained);
        f.whenComplete((ok, failure) -> {
            if (failure == null) {
                lastAckNanos = System.nanoTime();
                acked.incrementAndGet();
            }
        });
        return f;
    }

    @Override
    public CompletableFuture<Void> publishReply(String topic, byte[] payload, byte[] correlationData) {
        return port.publishReply(topic, payload, correlationData);
    }

    @Override
    public void subscribe(String filter, int qos, Consumer<Message> handler) {
        port.subscribe(filter, qos, handler);
    }

    @Override
    public void close() {
        port.close();
    }
}
