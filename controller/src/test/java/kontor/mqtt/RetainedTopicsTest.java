package kontor.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.testing.Mosquitto;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetainedTopicsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Mosquitto broker;
    private PahoMqttPort port;
    private RetainedTopics retained;
    private final List<Boolean> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        broker = Mosquitto.startAnonymous();
        port = new PahoMqttPort(MqttSettings.builder(broker.url(), "gw-retained")
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).build());
        retained = new RetainedTopics(port);
        port.onConnectionChange(changes::add);
        port.start();
        await().atMost(WAIT).until(port::connected);
    }

    @AfterEach
    void stop() {
        port.close();
        broker.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void publishes_a_value_only_when_it_changes() {
        try (TestMqttClient watcher = TestMqttClient.connect(broker.url()).subscribe("s/#")) {
            assertThat(retained.put("s/a", b("1"))).succeedsWithin(WAIT);
            assertThat(retained.put("s/a", b("1"))).isCompleted();
            assertThat(retained.put("s/a", b("2"))).succeedsWithin(WAIT);

            assertThat(TestMqttClient.text(watcher.awaitMessage("s/a"))).isEqualTo("1");
            assertThat(TestMqttClient.text(watcher.awaitMessage("s/a"))).isEqualTo("2");
        }
        try (TestMqttClient late = TestMqttClient.connect(broker.url()).subscribe("s/a")) {
            assertThat(TestMqttClient.text(late.awaitMessage("s/a"))).isEqualTo("2");
        }
        assertThat(retained.snapshot()).containsOnlyKeys("s/a");
    }

    @Test
    void restores_every_value_after_the_broker_lost_them_in_a_restart() {
        assertThat(retained.put("s/a", b("A"))).succeedsWithin(WAIT);
        assertThat(retained.put("s/b", b("B"))).succeedsWithin(WAIT);

        broker.kill();
        await().atMost(WAIT).until(() -> changes.contains(false));
        assertThat(retained.put("s/c", b("C-while-down"))).isCompletedExceptionally();
        broker.start();
        await().atMost(WAIT).until(() -> changes.equals(List.of(true, false, true)));

        try (TestMqttClient late = TestMqttClient.connect(broker.url()).subscribe("s/#")) {
            await().atMost(WAIT).until(() -> late.messages().size() == 3);
            assertThat(late.messages()).extracting(m -> m.topic() + "=" + TestMqttClient.text(m))
                    .containsExactlyInAnyOrder("s/a=A", "s/b=B", "s/c=C-while-down");
        }
    }

    @Test
    void clear_deletes_the_retained_value_and_forgets_it() {
        assertThat(retained.put("s/a", b("A"))).succeedsWithin(WAIT);
        assertThat(retained.clear("s/a")).succeedsWithin(WAIT);
        assertThat(retained.snapshot()).isEmpty();

        try (TestMqttClient late = TestMqttClient.connect(broker.url()).subscribe("s/a")) {
            // A retained value would reach a new subscriber before anything published after it subscribed.
            late.publish("s/a", "marker");
            assertThat(TestMqttClient.text(late.awaitMessage("s/a"))).isEqualTo("marker");
        }
    }

    @Test
    void a_clear_while_disconnected_is_sent_after_the_reconnect() {
        Mosquitto persistent = Mosquitto.builder().persistence(true).start();
        try (persistent; PahoMqttPort p = new PahoMqttPort(MqttSettings.builder(persistent.url(), "gw-clear")
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).build())) {
            RetainedTopics topics = new RetainedTopics(p);
            List<Boolean> seen = new CopyOnWriteArrayList<>();
            p.onConnectionChange(seen::add);
            p.start();
            await().atMost(WAIT).until(p::connected);
            assertThat(topics.put("s/alarm", b("raised"))).succeedsWithin(WAIT);

            persistent.stop(); // clean stop: the broker saves its retained messages
            await().atMost(WAIT).until(() -> seen.contains(false));
            assertThat(topics.clear("s/alarm")).isCompletedExceptionally();
            persistent.start();
            await().atMost(WAIT).until(() -> seen.equals(List.of(true, false, true)));

            try (TestMqttClient late = TestMqttClient.connect(persistent.url()).subscribe("s/alarm")) {
                late.publish("s/alarm", "marker");
                assertThat(TestMqttClient.text(late.awaitMessage("s/alarm"))).isEqualTo("marker");
            }
        }
    }
}
