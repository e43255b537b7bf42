package kontor.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;

/** An {@link MqttPort} whose connection and broker acks the test controls. */
final class FakeMqtt implements MqttPort {
    record Sent(String topic, Event event, int qos, boolean retained, CompletableFuture<Void> ack) { }

    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private volatile boolean connected;

    FakeMqtt(boolean connected) {
        this.connected = connected;
    }

    @Override
    public void start() { }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void onConnectionChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
        if (!connected) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        CompletableFuture<Void> ack = new CompletableFuture<>();
        sent.add(new Sent(topic, EventJson.parse(payload), qos, retained, ack));
        return ack;
    }

    @Override
    public CompletableFuture<Void> publishReply(String topic, byte[] payload, byte[] correlationData) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void subscribe(String filter, int qos, Consumer<Message> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() { }

    /** Drops the connection: what was in flight is lost, as with Paho. */
    void disconnect() {
        List<Sent> pending;
        synchronized (this) {
            connected = false;
            pending = sent.stream().filter(s -> !s.ack().isDone()).toList();
        }
        listeners.forEach(l -> l.accept(false));
        pending.forEach(s -> s.ack().completeExceptionally(new IllegalStateException("connection lost")));
    }

    void connect() {
        connected = true;
        listeners.forEach(l -> l.accept(true));
    }

    synchronized List<Long> sentSeqs() {
        return sent.stream().map(s -> s.event().seq()).toList();
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Acks the latest publish of this seq. */
    void ack(long seq) {
        find(seq).ack().complete(null);
    }

    void reject(long seq) {
        find(seq).ack().completeExceptionally(new IllegalStateException("quota exceeded"));
    }

    private synchronized Sent find(long seq) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).event().seq() == seq) {
                return sent.get(i);
            }
        }
        throw new AssertionError("event " + seq + " was never sent");
    }
}
