package kontor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import kontor.journal.Journal;
import kontor.store.CommandReplies;
import kontor.store.Database;
import kontor.time.SimulatedTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredCommandLogTest {
    @TempDir
    Path dir;
    private Database db;
    private Journal journal;
    private SimulatedTime clock;
    private final ByHand keeper = new ByHand();
    private StoredCommandLog log;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        journal = new Journal(db, ZoneId.of("Europe/Stockholm"));
        clock = SimulatedTime.frozen(Instant.parse("2026-12-07T08:00:00Z"));
        log = new StoredCommandLog(db, journal, clock, keeper);
    }

    @AfterEach
    void close() {
        journal.close();
        db.close();
        clock.close();
    }

    @Test
    void a_reply_is_found_at_once_and_sent_only_once_it_is_stored() {
        CompletableFuture<Void> kept = log.remember("member.credit", "req-1", bytes("first"));

        assertThat(kept).as("not yet in the database: not to be sent").isNotDone();
        assertThat(log.find("member.credit", "req-1")).as("a repeat meanwhile gets it, and is not carried out")
                .hasValueSatisfying(r -> assertThat(r).isEqualTo(bytes("first")));
        assertThat(stored("req-1")).isFalse();

        keeper.runAll();

        assertThat(kept).isCompleted();
        assertThat(stored("req-1")).isTrue();
        assertThat(log.find("member.credit", "req-1")).hasValueSatisfying(r -> assertThat(r).isEqualTo(bytes("first")));
    }

    @Test
    void replies_given_together_are_kept_in_one_pass() {
        List<CompletableFuture<Void>> kept = List.of(log.remember("member.credit", "a", bytes("1")),
                log.remember("member.credit", "b", bytes("2")), log.remember("gateway.info", "c", bytes("3")));

        assertThat(keeper.tasks).as("one keeper task for all three").hasSize(1);
        keeper.runAll();

        assertThat(kept).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(stored("a") && stored("b")).isTrue();
    }

    @Test
    void after_close_a_reply_is_refused_and_not_sent() {
        keeper.shutdown();

        CompletableFuture<Void> kept = log.remember("member.credit", "late", bytes("x"));

        assertThat(kept).isCompletedExceptionally();
        assertThat(log.find("member.credit", "late")).as("nothing half kept").isEmpty();
    }

    @Test
    void close_keeps_the_replies_still_waiting_before_the_journal_closes() {
        StoredCommandLog real = new StoredCommandLog(db, journal, clock);
        List<CompletableFuture<Void>> kept = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            kept.add(real.remember("member.credit", "c" + i, bytes("r" + i)));
        }

        real.close();

        assertThat(kept).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(stored("c0") && stored("c49")).isTrue();
        assertThat(real.remember("member.credit", "late", bytes("x"))).as("refused after close").isCompletedExceptionally();
    }

    private boolean stored(String id) {
        return new CommandReplies(db, clock::now).find("member.credit", id).isPresent();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An executor whose tasks the test runs when it chooses. */
    private static final class ByHand extends AbstractExecutorService {
        final Queue<Runnable> tasks = new ArrayDeque<>();
        private boolean shut;

        void runAll() {
            for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
                r.run();
            }
        }

        @Override
        public void execute(Runnable command) {
            if (shut) {
                throw new RejectedExecutionException("shut down");
            }
            tasks.add(command);
        }

        @Override
        public void shutdown() {
            shut = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shut = true;
            return List.copyOf(tasks);
        }

        @Override
        public boolean isShutdown() {
            return shut;
        }

        @Override
        public boolean isTerminated() {
            return shut && tasks.isEmpty();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return isTerminated();
        }
    }
}
