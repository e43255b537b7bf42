package kontor.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kontor.store.Database;
import kontor.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's group commit: events handed in share transactions and disk syncs, in order, and nobody waits forever. */
class GroupCommitTest {
    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    @TempDir
    Path dir;
    private Database db;
    private Journal journal;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        journal = new Journal(db, ZoneId.of("Europe/Stockholm"));
    }

    @AfterEach
    void close() {
        journal.close();
        db.close();
    }

    @Test
    void events_handed_in_from_many_threads_share_commits_and_keep_each_threads_order() throws Exception {
        int threads = 4;
        int each = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String device = "reader-" + t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    journal.handIn("card.granted", device, Map.of("n", i), T0, null);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(journal.lastSeq()).isEqualTo(threads * each);
        List<Event> all = journal.read(1, threads * each);
        assertThat(all).extracting(Event::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, threads * each).boxed().toList());
        for (int t = 0; t < threads; t++) {
            String device = "reader-" + t;
            assertThat(all.stream().filter(e -> e.device().equals(device)).map(e -> ((Number) e.fields().get("n")).intValue()))
                    .as("order of %s", device).isSorted().hasSize(each);
        }
        assertThat(journal.groupCommits()).isPositive().isLessThan(threads * each);
    }

    @Test
    void the_writer_tells_each_event_its_seq_once_it_is_stored() {
        Map<String, Long> written = new ConcurrentHashMap<>();
        journal.handIn("door.opened", "door-1", Map.of(), T0, seq -> written.put("door.opened", seq));
        journal.handIn("door.closed", "door-1", Map.of(), T0, seq -> written.put("door.closed", seq));
        journal.awaitWritten();

        assertThat(written).containsEntry("door.opened", 1L).containsEntry("door.closed", 2L);
        assertThat(journal.read(1, 10)).extracting(Event::type).containsExactly("door.opened", "door.closed");
    }

    @Test
    void a_transactions_event_comes_after_the_events_handed_in_before_it() {
        journal.handIn("card.granted", "reader-1", Map.of(), T0, null);
        journal.handIn("locker.unlocked", "locker-01", Map.of(), T0, null);
        db.inTransaction(tx -> journal.append(tx, "payment.charged", "copier-1", Map.of("amount", 200), T0));

        assertThat(journal.read(1, 10)).extracting(Event::type)
                .containsExactly("card.granted", "locker.unlocked", "payment.charged");
    }

    @Test
    void waiting_inside_a_transaction_that_appended_returns_instead_of_waiting_for_itself() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            db.inTransaction(tx -> {
                journal.append(tx, "payment.charged", "copier-1", Map.of(), T0);
                journal.handIn("copier.page", "copier-1", Map.of(), T0, null);
                journal.awaitWritten(); // the writer needs this transaction's row lock: it must not wait here
                return null;
            });
            journal.awaitWritten();
        });
        assertThat(journal.read(1, 10)).extracting(Event::type).containsExactly("payment.charged", "copier.page");
        assertThatThrownBy(() -> db.inTransaction(tx -> {
            journal.append(tx, "payment.charged", "copier-1", Map.of(), T0);
            journal.awaitDurable();
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot wait for the disk");
    }

    @Test
    void callers_asking_for_the_disk_together_share_syncs_and_all_return() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int n = i;
            calls.add(pool.submit(() -> {
                journal.handIn("card.granted", "reader-" + (n % 8), Map.of("n", n), T0, null);
                journal.awaitDurable();
            }));
        }
        for (Future<?> f : calls) {
            f.get();
        }
        pool.shutdown();
        assertThat(journal.lastSeq()).isEqualTo(400);
        assertThat(journal.groupSyncs()).isPositive().isLessThan(400);
    }

    @Test
    void bad_events_are_refused_where_they_are_handed_in_and_nothing_is_stored() {
        assertThatThrownBy(() -> journal.handIn(" ", null, Map.of(), T0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event type");
        assertThatThrownBy(() -> journal.handIn("x", null, Map.of("when", T0), T0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(journal.lastSeq()).isZero();
    }

    @Test
    void close_writes_what_was_handed_in_and_refuses_more() {
        for (int i = 0; i < 100; i++) {
            journal.handIn("bench.load", null, Map.of("n", i), T0, null);
        }
        journal.close();

        assertThat(journal.read(1, 1_000)).hasSize(100);
        assertThatThrownBy(() -> journal.handIn("late", null, Map.of(), T0, null))
                .isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    @Test
    void a_waiter_hears_when_its_event_could_not_be_written() {
        journal.append("gateway.started", null, Map.of(), T0);
        db.close();

        assertThatThrownBy(() -> journal.append("door.opened", "door-1", Map.of(), T0))
                .isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(journal::awaitWritten).as("a later wait hears it too, and does not hang")
                .isInstanceOf(StoreException.class);
        assertThat(journal.groupCommits()).isEqualTo(1);
    }
}
