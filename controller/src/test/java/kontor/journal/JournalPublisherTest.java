package kontor.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import kontor.store.Database;
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
        FakeMqtt mqtt = start(new FakeMqtt(true), 64);

        await().until(() -> mqtt.sentSeqs().size() == 2);
        assertThat(mqtt.sentSeqs()).containsExactly(3L, 4L);
        assertThat(mqtt.sent()).allSatisfy(s -> {
            assertThat(s.topic()).isEqualTo(TOPIC);
            assertThat(s.qos()).isEqualTo(1);
            assertThat(s.retained()).isFalse();
        });
    }

    @Test
    void published_seq_moves_only_over_an_unbroken_run_of_acks() {
        append(3);
        FakeMqtt mqtt = start(new FakeMqtt(true), 64);
        await().until(() -> mqtt.sentSeqs().size() == 3);

        mqtt.ack(2);
        mqtt.ack(3);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> journal.publishedSeq() == 0);
        mqtt.ack(1);
        await().until(() -> journal.publishedSeq() == 3);
    }

    @Test
    void keeps_at_most_a_window_of_events_in_flight() {
        append(10);
        FakeMqtt mqtt = start(new FakeMqtt(true), 4);
        await().until(() -> mqtt.sentSeqs().size() == 4);
        await().during(Duration.ofMillis(200)).until(() -> mqtt.sentSeqs().size() == 4);

        mqtt.ack(1);
        await().until(() -> mqtt.sentSeqs().size() == 5);
        assertThat(mqtt.sentSeqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void wakes_up_for_a_new_event() {
        FakeMqtt mqtt = start(new FakeMqtt(true), 64);
        journal.append("door.opened", "door-room-1", Map.of(), T0);
        await().until(() -> mqtt.sentSeqs().equals(java.util.List.of(1L)));
        assertThat(mqtt.sent().getFirst().event().device()).isEqualTo("door-room-1");
        mqtt.ack(1);
        await().until(() -> journal.publishedSeq() == 1);
    }

    @Test
    void after_a_reconnect_resends_from_the_first_unacknowledged_event_in_order() {
        append(6);
        FakeMqtt mqtt = start(new FakeMqtt(true), 64);
        await().until(() -> mqtt.sentSeqs().size() == 6);
        mqtt.ack(1);
        mqtt.ack(2);
        mqtt.ack(4); // 3 is not acked, so 4 must be sent again too
        await().until(() -> journal.publishedSeq() == 2);

        mqtt.disconnect();
        journal.append("while.offline", null, Map.of(), T0);
        mqtt.connect();

        await().until(() -> mqtt.sentSeqs().size() == 6 + 5);
        assertThat(mqtt.sentSeqs().subList(6, 11)).containsExactly(3L, 4L, 5L, 6L, 7L);
        for (long seq = 3; seq <= 7; seq++) {
            mqtt.ack(seq);
        }
        await().until(() -> journal.publishedSeq() == 7);
    }

    @Test
    void nothing_is_sent_while_disconnected_and_everything_follows_on_connect() {
        FakeMqtt mqtt = start(new FakeMqtt(false), 64);
        append(3);
        await().during(Duration.ofMillis(200)).until(() -> mqtt.sentSeqs().isEmpty());
        mqtt.connect();
        await().until(() -> mqtt.sentSeqs().size() == 3);
        assertThat(mqtt.sentSeqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void a_rejected_publish_is_sent_again_with_everything_after_it() {
        append(3);
        FakeMqtt mqtt = start(new FakeMqtt(true), 64);
        await().until(() -> mqtt.sentSeqs().size() == 3);
        mqtt.ack(1);
        mqtt.reject(2);
        mqtt.ack(3);

        await().atMost(Duration.ofSeconds(5)).until(() -> mqtt.sentSeqs().size() == 5);
        assertThat(mqtt.sentSeqs().subList(3, 5)).containsExactly(2L, 3L);
        mqtt.ack(2);
        mqtt.ack(3);
        await().until(() -> journal.publishedSeq() == 3);
    }

    @Test
    void a_restarted_publisher_carries_on_where_the_broker_left_off() {
        append(3);
        FakeMqtt mqtt = start(new FakeMqtt(true), 64);
        await().until(() -> mqtt.sentSeqs().size() == 3);
        mqtt.ack(1);
        mqtt.ack(2);
        await().until(() -> journal.publishedSeq() == 2);
        publisher.close();

        journal.append("after.stop", null, Map.of(), T0);
        assertThat(mqtt.sentSeqs()).as("a closed publisher sends nothing").hasSize(3);

        FakeMqtt second = start(new FakeMqtt(true), 64);
        await().until(() -> second.sentSeqs().size() == 2);
        assertThat(second.sentSeqs()).containsExactly(3L, 4L);
    }

    private FakeMqtt start(FakeMqtt mqtt, int window) {
        publisher = new JournalPublisher(journal, mqtt, TOPIC, window);
        publisher.start();
        return mqtt;
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            journal.append("test.event", null, Map.of("i", i), T0);
        }
    }
}
