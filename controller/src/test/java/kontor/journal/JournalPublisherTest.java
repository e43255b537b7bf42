package kontor.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import kontor.store.Database;
import kontor.testing.InMemoryMqtt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalPublisherTest {
    private static final String TOPIC = "kontor/demo/events";
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir
    Path dir;
    private Database db;
    private Journal journal;
    private JournalPublisher publisher;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        journal = new Journal(db, ZoneId.of("Europe/Stockholm"));
    }

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
        db.close();
    }

    @Test
    void publishes_at_qos_1_in_order_starting_after_the_published_seq() {
        append(4);
        journal.markPublished(2);
        InMemoryMqtt mqtt = start(true, 64);

        await().until(() -> sentSeqs(mqtt).size() == 2);
        assertThat(sentSeqs(mqtt)).containsExactly(3L, 4L);
        assertThat(mqtt.published()).allSatisfy(s -> {
            assertThat(s.topic()).isEqualTo(TOPIC);
            assertThat(s.qos()).isEqualTo(1);
            assertThat(s.retained()).isFalse();
        });
    }

    @Test
    void published_seq_moves_only_over_an_unbroken_run_of_acks() {
        append(3);
        InMemoryMqtt mqtt = start(true, 64);
        await().until(() -> sentSeqs(mqtt).size() == 3);

        ack(mqtt, 2);
        ack(mqtt, 3);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> journal.publishedSeq() == 0);
        ack(mqtt, 1);
        await().until(() -> journal.publishedSeq() == 3);
    }

    @Test
    void keeps_at_most_a_window_of_events_in_flight() {
        append(10);
        InMemoryMqtt mqtt = start(true, 4);
        await().until(() -> sentSeqs(mqtt).size() == 4);
        await().during(Duration.ofMillis(200)).until(() -> sentSeqs(mqtt).size() == 4);

        ack(mqtt, 1);
        await().until(() -> sentSeqs(mqtt).size() == 5);
        assertThat(sentSeqs(mqtt)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void wakes_up_for_a_new_event() {
        InMemoryMqtt mqtt = start(true, 64);
        journal.append("door.opened", "door-room-1", Map.of(), T0);
        await().until(() -> sentSeqs(mqtt).equals(List.of(1L)));
        assertThat(EventJson.parse(mqtt.published().getFirst().payload()).device()).isEqualTo("door-room-1");
        ack(mqtt, 1);
        await().until(() -> journal.publishedSeq() == 1);
    }

    @Test
    void after_a_reconnect_resends_from_the_first_unacknowledged_event_in_order() {
        append(6);
        InMemoryMqtt mqtt = start(true, 64);
        await().until(() -> sentSeqs(mqtt).size() == 6);
        ack(mqtt, 1);
        ack(mqtt, 2);
        ack(mqtt, 4); // 3 is not acked, so 4 must be sent again too
        await().until(() -> journal.publishedSeq() == 2);

        mqtt.brokerUp(false);
        journal.append("while.offline", null, Map.of(), T0);
        mqtt.brokerUp(true);

        await().until(() -> sentSeqs(mqtt).size() == 6 + 5);
        assertThat(sentSeqs(mqtt).subList(6, 11)).containsExactly(3L, 4L, 5L, 6L, 7L);
        for (long seq = 3; seq <= 7; seq++) {
            ack(mqtt, seq);
        }
        await().until(() -> journal.publishedSeq() == 7);
    }

    @Test
    void nothing_is_sent_while_disconnected_and_everything_follows_on_connect() {
        InMemoryMqtt mqtt = start(false, 64);
        append(3);
        await().during(Duration.ofMillis(200)).until(() -> sentSeqs(mqtt).isEmpty());
        mqtt.brokerUp(true);
        await().until(() -> sentSeqs(mqtt).size() == 3);
        assertThat(sentSeqs(mqtt)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void a_rejected_publish_is_sent_again_with_everything_after_it() {
        append(3);
        InMemoryMqtt mqtt = start(true, 64);
        await().until(() -> sentSeqs(mqtt).size() == 3);
        ack(mqtt, 1);
        mqtt.reject(latest(mqtt, 2));
        ack(mqtt, 3);

        await().atMost(Duration.ofSeconds(5)).until(() -> sentSeqs(mqtt).size() == 5);
        assertThat(sentSeqs(mqtt).subList(3, 5)).containsExactly(2L, 3L);
        ack(mqtt, 2);
        ack(mqtt, 3);
        await().until(() -> journal.publishedSeq() == 3);
    }

    @Test
    void a_restarted_publisher_carries_on_where_the_broker_left_off() {
        append(3);
        InMemoryMqtt mqtt = start(true, 64);
        await().until(() -> sentSeqs(mqtt).size() == 3);
        ack(mqtt, 1);
        ack(mqtt, 2);
        await().until(() -> journal.publishedSeq() == 2);
        publisher.close();

        journal.append("after.stop", null, Map.of(), T0);
        assertThat(sentSeqs(mqtt)).as("a closed publisher sends nothing").hasSize(3);

        InMemoryMqtt second = start(true, 64);
        await().until(() -> sentSeqs(second).size() == 2);
        assertThat(sentSeqs(second)).containsExactly(3L, 4L);
    }

    /** An in-memory broker that acknowledges only when the test says so, connected or not, and a publisher on it. */
    private InMemoryMqtt start(boolean connected, int window) {
        InMemoryMqtt mqtt = new InMemoryMqtt().holdAcks();
        mqtt.brokerUp(connected);
        mqtt.start();
        publisher = new JournalPublisher(journal, mqtt, TOPIC, window);
        publisher.start();
        return mqtt;
    }

    /** The seq of every event sent, in order, resends included. */
    private static List<Long> sentSeqs(InMemoryMqtt mqtt) {
        return mqtt.published().stream().map(p -> EventJson.parse(p.payload()).seq()).toList();
    }

    /** The latest publish of this seq. */
    private static InMemoryMqtt.Published latest(InMemoryMqtt mqtt, long seq) {
        return mqtt.published().reversed().stream().filter(p -> EventJson.parse(p.payload()).seq() == seq).findFirst()
                .orElseThrow(() -> new AssertionError("event " + seq + " was never sent"));
    }

    private static void ack(InMemoryMqtt mqtt, long seq) {
        mqtt.ack(latest(mqtt, seq));
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            journal.append("test.event", null, Map.of("i", i), T0);
        }
    }
}
