package kontor.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import kontor.testing.OnMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A bare Paho MQTT 5 client, none of Kontor's code in between: the baseline publisher, the events
 * subscriber that checks order, and the operator that sends commands.
 */
final class RawClient implements AutoCloseable {
    private static final long WAIT_MS = 10_000;

    private final MqttAsyncClient client;
    private final int serverReceiveMaximum;

    private RawClient(MqttAsyncClient client, int serverReceiveMaximum) {
        this.client = client;
        this.serverReceiveMaximum = serverReceiveMaximum;
    }

    /**
     * Connects. {@code keepSession} makes a session that outlives the connection (an hour), so that the
     * broker queues messages for it while it is away; {@code onMessage} receives on Paho's thread.
     */
    static RawClient connect(String url, String clientId, boolean keepSession, Consumer<MqttMessage> onMessage) {
        return connect(url, clientId, keepSession, false, onMessage);
    }

    /**
     * As {@link #connect(String, String, boolean, Consumer)}; {@code noDelay} turns Nagle's algorithm off
     * on the client's socket, which Paho itself never does.
     */
    static RawClient connect(String url, String clientId, boolean keepSession, boolean noDelay, Consumer<MqttMessage> onMessage) {
        try {
            MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            client.setCallback(new OnMessage((topic, message) -> {
                if (onMessage != null) {
                    onMessage.accept(message);
                }
            }));
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(!keepSession);
            o.setSessionExpiryInterval(keepSession ? 3600L : 0L);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(30);
            if (noDelay) {
                o.setSocketFactory(new NoDelaySockets());
            }
            IMqttToken token = client.connect(o);
            token.waitForCompletion(WAIT_MS);
            Integer max = token.getResponseProperties() == null ? null : token.getResponseProperties().getReceiveMaximum();
            return new RawClient(client, max == null ? 65535 : max);
        } catch (MqttException e) {
            throw new BenchException("a plain MQTT client could not connect to " + url + ": " + e.getMessage(), e);
        }
    }

    /** How many QoS 1 messages the broker lets a client have unacknowledged. */
    int serverReceiveMaximum() {
        return serverReceiveMaximum;
    }

    void subscribe(String filter, int qos) throws MqttException {
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}).waitForCompletion(WAIT_MS);
    }

    /** Publishes; the future completes when the broker acknowledged it (QoS 1). */
    CompletableFuture<Void> publish(String topic, byte[] payload, int qos, MqttProperties properties) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        if (properties != null) {
            m.setProperties(properties);
        }
        try {
            client.publish(topic, m, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (MqttException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Plain sockets with TCP_NODELAY: a small message goes out at once, not after the peer's delayed ACK. */
    static final class NoDelaySockets extends javax.net.SocketFactory {
        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket s = new java.net.Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
        } catch (MqttException e) {
            // going away anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // going away anyway
        }
    }
}
