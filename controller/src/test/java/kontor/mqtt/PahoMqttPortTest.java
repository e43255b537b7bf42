package kontor.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kontor.testing.Mosquitto;
import kontor.testing.TcpProxy;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PahoMqttPortTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Mosquitto broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = Mosquitto.startAnonymous();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        broker.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private static MqttSettings.Builder settings(String url) {
        return MqttSettings.builder(url, "gw-" + UUID.randomUUID())
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .connectTimeout(Duration.ofSeconds(2));
    }

    private PahoMqttPort startedPort(MqttSettings s) {
        PahoMqttPort port = closing(new PahoMqttPort(s));
        port.start();
        await().atMost(WAIT).until(port::connected);
        return port;
    }

    @Test
    void publishes_and_receives_through_a_real_broker() throws Exception {
        PahoMqttPort port = closing(new PahoMqttPort(settings(broker.url()).build()));
        List<Message> received = new CopyOnWriteArrayList<>();
        port.subscribe("in/#", 1, received::add);
        port.start();
        await().atMost(WAIT).until(port::connected);
        TestMqttClient client = closing(TestMqttClient.connect(broker.url())).subscribe("out/#");

        client.publish("in/hello", "ping");
        port.publish("out/hello", "pong".getBytes(UTF_8), 1, false).get(20, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(new String(received.getFirst().payload(), UTF_8)).isEqualTo("ping");
        assertThat(received.getFirst().topic()).isEqualTo("in/hello");
        assertThat(TestMqttClient.text(client.awaitMessage("out/hello"))).isEqualTo("pong");
    }

    @Test
    void qos0_and_qos1_publishes_complete_and_a_disconnected_port_fails_at_once() throws Exception {
        PahoMqttPort idle = closing(new PahoMqttPort(settings(broker.url()).build()));
        assertThat(idle.publish("a/b", new byte[] {1}, 1, false))
                .failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(NotConnectedException.class);

        PahoMqttPort port = startedPort(settings(broker.url()).build());
        assertThat(port.publish("a/b", new byte[] {1}, 0, false)).succeedsWithin(WAIT);
        assertThat(port.publish("a/b", new byte[] {2}, 1, false)).succeedsWithin(WAIT);
        assertThat(port.publish("a/+", new byte[] {3}, 1, false)).failsWithin(WAIT);
    }

    @Test
    void many_qos1_publishes_at_once_respect_the_brokers_receive_maximum() {
        PahoMqttPort port = startedPort(settings(broker.url()).build());
        TestMqttClient client = closing(TestMqttClient.connect(broker.url())).subscribe("burst/#");
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add(port.publish("burst/" + i, ("m" + i).getBytes(UTF_8), 1, false));
        }
        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> client.messages().size() == 500);
        assertThat(client.messages().getFirst().topic()).isEqualTo("burst/0");
        assertThat(client.messages().getLast().topic()).isEqualTo("burst/499");
    }

    @Test
    void reconnects_after_the_broker_restarts_and_restores_subscriptions() {
        PahoMqttPort port = closing(new PahoMqttPort(settings(broker.url()).build()));
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        List<Message> received = new CopyOnWriteArrayList<>();
        port.onConnectionChange(changes::add);
        port.subscribe("in/#", 1, received::add);
        port.start();
        await().atMost(WAIT).until(() -> changes.equals(List.of(true)));

        broker.stop();
        await().atMost(WAIT).until(() -> changes.equals(List.of(true, false)));
        assertThat(port.connected()).isFalse();
        assertThat(port.publish("x/y", new byte[] {1}, 1, false)).isCompletedExceptionally();

        broker.start();
        await().atMost(WAIT).until(() -> changes.equals(List.of(true, false, true)));
        try (TestMqttClient client = TestMqttClient.connect(broker.url())) {
            client.publish("in/after", "again");
        }
        await().atMost(WAIT).until(() -> received.stream().anyMatch(m -> m.topic().equals("in/after")));
    }

    @Test
    void connects_when_the_broker_appears_after_a_failed_first_attempt() {
        broker.stop();
        PahoMqttPort port = closing(new PahoMqttPort(settings(broker.url()).build()));
        port.start();
        await().atMost(WAIT).until(() -> port.lastConnectFailure() != null);
        assertThat(port.connected()).isFalse();

        broker.start();
        await().atMost(WAIT).until(port::connected);
    }

    @Test
    void gives_up_on_a_server_that_never_sends_connack_and_retries() {
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        proxy.blackHole(true);
        PahoMqttPort port = closing(new PahoMqttPort(settings(proxy.url()).connectTimeout(Duration.ofSeconds(1)).build()));
        port.start();
        await().atMost(WAIT).until(() -> proxy.accepted() >= 2);
        assertThat(port.connected()).isFalse();

        proxy.blackHole(false);
        await().atMost(WAIT).until(port::connected);
    }

    @Test
    void the_broker_publishes_the_last_will_when_the_connection_is_cut_and_the_port_comes_back() {
        TcpProxy proxy = closing(new TcpProxy(broker.port()));
        TestMqttClient watcher = closing(TestMqttClient.connect(broker.url())).subscribe("site/status");
        PahoMqttPort port = startedPort(settings(proxy.url())
                .will("site/status", "{\"state\":\"offline\"}".getBytes(UTF_8), true).build());
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        port.onConnectionChange(changes::add);

        proxy.cut();

        TestMqttClient.Message will = watcher.awaitMessage("site/status");
        assertThat(TestMqttClient.text(will)).isEqualTo("{\"state\":\"offline\"}");
        await().atMost(WAIT).until(() -> changes.equals(List.of(false, true)));
    }

    @Test
    void close_sends_no_last_will_and_leaves_no_paho_threads() {
        TestMqttClient watcher = closing(TestMqttClient.connect(broker.url())).subscribe("site/status");
        String clientId = "gw-close-" + UUID.randomUUID();
        MqttSettings s = MqttSettings.builder(broker.url(), clientId)
                .will("site/status", "offline".getBytes(UTF_8), false).build();
        PahoMqttPort port = new PahoMqttPort(s);
        port.start();
        await().atMost(WAIT).until(port::connected);
        assertThat(threadsNamedAfter(clientId)).isNotEmpty();

        port.close();

        // Anything the broker sent for our disconnect would arrive before this marker.
        watcher.publish("site/status", "marker");
        assertThat(TestMqttClient.text(watcher.awaitMessage("site/status"))).isEqualTo("marker");
        await().atMost(WAIT).until(() -> threadsNamedAfter(clientId).isEmpty());
        assertThat(port.connected()).isFalse();
    }

    @Test
    void a_failing_handler_does_not_stop_later_messages() {
        PahoMqttPort port = closing(new PahoMqttPort(settings(broker.url()).build()));
        List<String> received = new CopyOnWriteArrayList<>();
        port.subscribe("in/#", 1, m -> {
            received.add(m.topic());
            if (m.topic().equals("in/boom")) {
                throw new IllegalStateException("handler bug");
            }
        });
        port.start();
        await().atMost(WAIT).until(port::connected);
        TestMqttClient client = closing(TestMqttClient.connect(broker.url()));
        client.publish("in/boom", "1");
        client.publish("in/fine", "2");
        await().atMost(WAIT).until(() -> received.equals(List.of("in/boom", "in/fine")));
    }

    @Test
    void received_messages_carry_response_topic_and_correlation_data() {
        PahoMqttPort port = closing(new PahoMqttPort(settings(broker.url()).build()));
        List<Message> received = new CopyOnWriteArrayList<>();
        port.subscribe("req", 1, received::add);
        port.start();
        await().atMost(WAIT).until(port::connected);
        TestMqttClient client = closing(TestMqttClient.connect(broker.url())).subscribe("resp");

        client.publish("req", "q".getBytes(UTF_8), 1, false, "resp", new byte[] {7, 8});
        await().atMost(WAIT).until(() -> received.size() == 1);
        Message m = received.getFirst();
        assertThat(m.responseTopic()).isEqualTo("resp");
        assertThat(m.correlationData()).containsExactly(7, 8);

        port.publishReply(m.responseTopic(), "a".getBytes(UTF_8), m.correlationData());
        assertThat(client.awaitMessage("resp").correlationData()).containsExactly(7, 8);
    }

    private static List<String> threadsNamedAfter(String clientId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.contains(clientId)).toList();
    }
}
