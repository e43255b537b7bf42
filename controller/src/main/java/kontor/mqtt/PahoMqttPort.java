package kontor.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import kontor.tls.PemTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that knows Paho. Each connection gets a fresh Paho client driven from our own thread
 * ("kontor-mqtt"): our own connect loop with exponential backoff and jitter (Paho's automatic reconnect
 * never starts when the first connect fails), our own CONNACK timeout (Paho #1028), subscriptions
 * restored from our thread rather than from Paho's connectComplete (#999), and every client disconnected
 * and closed when it is dropped (#654). Memory persistence: Paho keeps nothing.
 *
 * <p>Sessions: the first connection of a port starts clean (a new gateway process owes nothing to an old session,
 * and must see the retained messages of its subscriptions). Every reconnect asks the broker to resume the session,
 * which it keeps for {@link #SESSION_EXPIRY_SECONDS} after a connection breaks: when it says "session present" it
 * still has our subscriptions and its retained messages, so a flapping connection costs no full republish
 * ({@link #resumedSession()}), and requests published during a short break are delivered on the reconnect.
 */
public final class PahoMqttPort implements MqttPort {
    private static final Logger log = LoggerFactory.getLogger(PahoMqttPort.class);
    private static final int MAX_WAITING_PUBLISHES = 10_000;
    private static final int REASON_MAX_INFLIGHT = MqttClientException.REASON_CODE_MAX_INFLIGHT;
    /** How long the broker keeps our session after the connection breaks: long enough for a flap, not an outage. */
    static final long SESSION_EXPIRY_SECONDS = 60;

    private final MqttSettings settings;
    private final ScheduledExecutorService thread;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private boolean started;
    private volatile boolean closed;
    private volatile Session session;
    private int failedAttempts;
    private volatile Throwable lastConnectFailure;
    /** Set once a connection succeeded: from then on connections ask to resume the session. */
    private boolean connectedBefore;
    private volatile boolean resumedSession;

    private record Subscription(TopicFilter topics, int qos, boolean requests, Consumer<Message> handler) {
        String filter() {
            return topics.toString();
        }

        MqttSubscription toPaho() {
            MqttSubscription s = new MqttSubscription(filter(), qos);
            if (requests) {
                s.setRetainHandling(2);       // never send a retained request
                s.setRetainAsPublished(true); // and show the flag of one published retained
                s.setNoLocal(true);
            } else {
                s.setRetainHandling(1);       // retained messages only for a new subscription, not a resumed one
            }
            return s;
        }
    }

    public PahoMqttPort(MqttSettings settings) {
        this.settings = settings;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kontor-mqtt");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("MQTT port is closed");
            }
            if (started) {
                return;
            }
            started = true;
        }
        thread.execute(this::connectOnce);
    }

    @Override
    public boolean connected() {
        Session s = session;
        return s != null && s.up;
    }

    @Override
    public void onConnectionChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
        return send(topic, payload, qos, retained, null);
    }

    @Override
    public CompletableFuture<Void> publishReply(String topic, byte[] payload, byte[] correlationData) {
        return send(topic, payload, 1, false, correlationData);
    }

    @Override
    public boolean resumedSession() {
        return resumedSession;
    }

    @Override
    public void subscribe(String filter, int qos, Consumer<Message> handler) {
        add(new Subscription(TopicFilter.of(filter), qos, false, handler));
    }

    @Override
    public void subscribeRequests(String filter, int qos, Consumer<Message> handler) {
        add(new Subscription(TopicFilter.of(filter), qos, true, handler));
    }

    private void add(Subscription sub) {
        String filter = sub.filter();
        if (sub.qos() < 0 || sub.qos() > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2");
        }
        subscriptions.add(sub);
        onPortThread(() -> {
            Session s = session;
            if (s != null && s.up) {
                try {
                    // The array form: Paho 1.2.5's single-subscription form with a null message
                    // listener throws IndexOutOfBoundsException.
                    s.client.subscribe(new MqttSubscription[] {sub.toPaho()}, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            logRefusedSubscriptions(token, List.of(filter));
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            log.warn("MQTT subscribe to {} failed: {}", filter, e.toString());
                        }
                    }, new MqttProperties());
                } catch (MqttException | RuntimeException e) {
                    log.warn("MQTT subscribe to {} failed: {}", filter, e.toString());
                }
            }
        });
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            thread.submit(() -> {
                Session s = session;
                session = null;
                if (s != null) {
                    boolean wasUp = s.up;
                    s.up = false;
                    s.failAll(new NotConnectedException("MQTT port closed"));
                    try {
                        // A DISCONNECT with reason 0 tells the broker not to send the last will; a session expiry of
                        // 0 ends our session (a stopped gateway wants nothing queued; the next start is clean).
                        MqttProperties end = new MqttProperties();
                        end.setSessionExpiryInterval(0L);
                        s.client.disconnect(1000, null, null, 0, end).waitForCompletion(2000);
                    } catch (MqttException | RuntimeException e) {
                        log.debug("MQTT disconnect: {}", e.toString());
                    }
                    discard(s.client);
                    if (wasUp) {
                        notifyListeners(false);
                    }
                }
            }).get(settings.connectTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("MQTT port did not close cleanly: {}", e.toString());
        } finally {
            thread.shutdownNow();
        }
    }

    /** Why the latest connect attempt failed, null before the first failure; for diagnostics. */
    Throwable lastConnectFailure() {
        return lastConnectFailure;
    }

    // ---- connection loop, all on the port thread ----

    private void connectOnce() {
        if (closed) {
            return;
        }
        MqttAsyncClient client = null;
        try {
            client = new MqttAsyncClient(settings.serverUri().toString(), settings.clientId(), new MemoryPersistence());
            Session s = new Session(client);
            client.setCallback(new Callback(s));
            boolean clean = !connectedBefore;
            IMqttToken token = client.connect(options(clean));
            // Our own deadline: a broker that accepts TCP but never sends CONNACK must not hang us (Paho #1028).
            token.waitForCompletion(settings.connectTimeout().toMillis());
            if (!client.isConnected()) {
                throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
            }
            MqttProperties connack = token.getResponseProperties();
            Integer serverReceiveMaximum = connack == null ? null : connack.getReceiveMaximum();
            s.limit = Math.min(settings.maxInflight(), serverReceiveMaximum == null ? 65535 : serverReceiveMaximum);
            resumedSession = !clean && token.getSessionPresent();
            session = s;
            restoreSubscriptions(s);
            if (session != s || closed) {
                return; // lost while restoring; the loss handler took over
            }
            s.up = true;
            failedAttempts = 0;
            connectedBefore = true;
            log.info("MQTT connected to {}{}", settings.serverUri(), resumedSession ? " (session resumed)" : "");
            notifyListeners(true);
        } catch (MqttException | RuntimeException e) {
            if (client != null) {
                discard(client);
            }
            if (session != null && session.client == client) {
                session = null;
            }
            failedAttempts++;
            lastConnectFailure = e;
            long delay = backoffMillis(failedAttempts);
            if (failedAttempts == 1) {
                log.warn("MQTT connect to {} failed ({}); retrying with backoff", settings.serverUri(), describe(e));
            } else {
                log.debug("MQTT connect attempt {} failed ({}); next in {} ms", failedAttempts, describe(e), delay);
            }
            scheduleConnect(delay);
        }
    }

    private void restoreSubscriptions(Session s) throws MqttException {
        Map<String, Subscription> filters = new LinkedHashMap<>();
        for (Subscription sub : subscriptions) {
            // One filter, one subscription: the highest QoS, and request handling if any handler asked for it.
            filters.merge(sub.filter(), sub, (a, b) -> new Subscription(a.topics(), Math.max(a.qos(), b.qos()),
                    a.requests() || b.requests(), a.handler()));
        }
        if (filters.isEmpty()) {
            return;
        }
        MqttSubscription[] subs = filters.values().stream().map(Subscription::toPaho).toArray(MqttSubscription[]::new);
        IMqttToken token = s.client.subscribe(subs);
        token.waitForCompletion(settings.connectTimeout().toMillis());
        if (!token.isComplete()) {
            throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
        }
        logRefusedSubscriptions(token, new ArrayList<>(filters.keySet()));
    }

    private static void logRefusedSubscriptions(IMqttToken token, List<String> filters) {
        int[] codes = token.getReasonCodes();
        if (codes == null) {
            return;
        }
        for (int i = 0; i < codes.length && i < filters.size(); i++) {
            if (codes[i] >= 0x80) {
                log.warn("MQTT broker refused subscription to {} (reason 0x{})", filters.get(i), Integer.toHexString(codes[i]));
            }
        }
    }

    private MqttConnectionOptions options(boolean clean) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(clean);
        o.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) Math.max(1, settings.keepAlive().toSeconds()));
        o.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        o.setReceiveMaximum(settings.maxInflight());
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        char[] password = settings.password();
        if (password != null) {
            o.setPassword(new String(password).getBytes(StandardCharsets.UTF_8));
        }
        if (settings.tls()) {
            o.setSocketFactory(NoDelaySockets.tls(
                    PemTls.socketFactory(settings.caFile(), settings.clientCertFile(), settings.clientKeyFile())));
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(NoDelaySockets.plain());
        }
        if (settings.willTopic() != null) {
            MqttMessage will = new MqttMessage(settings.willPayload());
            will.setQos(1);
            will.setRetained(settings.willRetained());
            o.setWill(settings.willTopic(), will);
        }
        return o;
    }

    private void connectionLost(Session s, String why) {
        if (session != s) {
            return;
        }
        session = null;
        boolean wasUp = s.up;
        s.up = false;
        s.failAll(new NotConnectedException("MQTT connection lost: " + why));
        discard(s.client);
        if (closed) {
            return;
        }
        log.warn("MQTT connection to {} lost: {}", settings.serverUri(), why);
        if (wasUp) {
            notifyListeners(false);
        }
        failedAttempts = 0;
        scheduleConnect(backoffMillis(1));
    }

    private void scheduleConnect(long delayMillis) {
        if (closed) {
            return;
        }
        try {
            thread.schedule(this::connectOnce, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Exponential backoff with jitter: attempt 1 waits about minBackoff, doubling up to maxBackoff. */
    private long backoffMillis(int attempt) {
        long min = settings.minBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long ceiling = min << Math.min(attempt - 1, 20);
        long delay = Math.min(max, ceiling);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    /** Drops a Paho client for good, so that none of its threads outlives it (Paho #654). */
    private static void discard(MqttAsyncClient client) {
        try {
            // Also when still connecting: this closes the socket a stalled CONNACK wait sits on.
            client.disconnectForcibly(0, 100, false);
        } catch (MqttException | RuntimeException e) {
            log.debug("MQTT forced disconnect: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            log.debug("MQTT close: {}", e.toString());
        }
    }

    private void notifyListeners(boolean up) {
        for (Consumer<Boolean> l : listeners) {
            try {
                l.accept(up);
            } catch (RuntimeException e) {
                log.error("MQTT connection listener failed", e);
            }
        }
    }

    private void dispatch(Session s, Message m) {
        if (session != s) {
            return;
        }
        for (Subscription sub : subscriptions) {
            if (sub.topics().matches(m.topic())) {
                try {
                    sub.handler().accept(m);
                } catch (RuntimeException e) {
                    log.error("MQTT handler for {} failed on {}", sub.filter(), m.topic(), e);
                }
            }
        }
    }

    private void onPortThread(Runnable r) {
        try {
            thread.execute(r);
        } catch (RejectedExecutionException e) {
            r.run(); // closed: whatever it does sees the port as disconnected
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        String text = m == null ? e.getClass().getSimpleName() : m;
        if (cause != null) {
            text += ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        return text;
    }

    // ---- publishing with flow control ----

    private CompletableFuture<Void> send(String topic, byte[] payload, int qos, boolean retained, byte[] correlationData) {
        try {
            MqttTopicValidator.validate(topic, false, true);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad MQTT topic '" + topic + "': " + e.getMessage()));
        }
        if (qos < 0 || qos > 2) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("QoS must be 0, 1 or 2"));
        }
        Session s = session;
        if (s == null || !s.up) {
            return CompletableFuture.failedFuture(new NotConnectedException("MQTT not connected"));
        }
        MqttMessage message = new MqttMessage(payload == null ? new byte[0] : payload);
        message.setQos(qos);
        message.setRetained(retained);
        if (correlationData != null) {
            MqttProperties props = new MqttProperties();
            props.setCorrelationData(correlationData);
            message.setProperties(props);
        }
        Outgoing out = new Outgoing(topic, message, new CompletableFuture<>());
        onPortThread(() -> s.offer(out));
        return out.future;
    }

    private record Outgoing(String topic, MqttMessage message, CompletableFuture<Void> future) { }

    /** One Paho client and everything in flight on it. Mutated only on the port thread. */
    private final class Session {
        final MqttAsyncClient client;
        volatile boolean up;
        int limit = 1;
        int inflight;
        final Deque<Outgoing> waiting = new ArrayDeque<>();
        final Set<Outgoing> outstanding = new HashSet<>();

        Session(MqttAsyncClient client) {
            this.client = client;
        }

        void offer(Outgoing out) {
            if (session != this || !up) {
                out.future.completeExceptionally(new NotConnectedException("MQTT not connected"));
                return;
            }
            if (out.message.getQos() == 0 || inflight < limit) {
                transmit(out);
            } else if (waiting.size() < MAX_WAITING_PUBLISHES) {
                waiting.addLast(out);
            } else {
                out.future.completeExceptionally(new IllegalStateException("too many MQTT publishes waiting for the broker"));
            }
        }

        private void transmit(Outgoing out) {
            boolean counted = out.message.getQos() > 0;
            if (counted) {
                inflight++;
            }
            outstanding.add(out);
            try {
                client.publish(out.topic, out.message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        onPortThread(() -> finished(out, counted, null));
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        onPortThread(() -> finished(out, counted, e));
                    }
                });
            } catch (MqttException e) {
                outstanding.remove(out);
                if (counted) {
                    inflight--;
                }
                if (e.getReasonCode() == REASON_MAX_INFLIGHT) {
                    // Paho counts an acknowledgement a little later than we do. Wait, but not for a next
                    // acknowledgement that may never come (nothing of ours may be in flight): try again shortly.
                    waiting.addFirst(out);
                    try {
                        thread.schedule(this::drain, 5, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closed) {
                        // the port is closing: failAll settles what waits
                    }
                } else {
                    out.future.completeExceptionally(e);
                }
            } catch (RuntimeException e) {
                outstanding.remove(out);
                if (counted) {
                    inflight--;
                }
                out.future.completeExceptionally(e);
            }
        }

        private void finished(Outgoing out, boolean counted, Throwable failure) {
            if (!outstanding.remove(out)) {
                return; // already failed by failAll
            }
            if (failure == null) {
                out.future.complete(null);
            } else {
                out.future.completeExceptionally(failure);
            }
            if (counted) {
                inflight--;
            }
            drain();
        }

        private void drain() {
            while (up && session == this && !waiting.isEmpty() && inflight < limit) {
                int before = waiting.size();
                transmit(waiting.pollFirst());
                if (waiting.size() >= before) {
                    return; // put back (Paho still full): the retry is scheduled
                }
            }
        }

        void failAll(RuntimeException why) {
            for (Outgoing out : outstanding) {
                out.future.completeExceptionally(why);
            }
            outstanding.clear();
            for (Outgoing out : waiting) {
                out.future.completeExceptionally(why);
            }
            waiting.clear();
            inflight = 0;
        }
    }

    /** Paho's callbacks run on Paho's threads: hand everything to the port thread and never throw. */
    private final class Callback implements MqttCallback {
        private final Session s;

        Callback(Session s) {
            this.s = s;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String why = response == null ? "disconnected" : String.valueOf(response.getException() != null
                    ? describe(response.getException()) : "reason " + response.getReturnCode());
            onPortThread(() -> connectionLost(s, why));
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            log.warn("MQTT protocol error: {}", e.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                MqttProperties p = message.getProperties();
                Message m = new Message(topic, message.getPayload(),
                        p == null ? null : p.getResponseTopic(), p == null ? null : p.getCorrelationData(),
                        message.isRetained());
                onPortThread(() -> dispatch(s, m));
            } catch (RuntimeException e) {
                log.error("MQTT message on {} dropped", topic, e);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // publish futures complete through their action listeners
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Deliberately empty: subscribing here can deadlock Paho (#999); the port thread does it.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
